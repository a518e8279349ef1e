/**
 * Property tests over every response schema (the 289 operations with a 200 example),
 * through the whole client pipeline (`FlashdutyClient.call`: bytes → envelope → decode).
 *
 * 1. Go-style alterations of a real answer (nil slices and maps as `null`, omitted fields,
 *    extra fields, enum values this SDK does not know) always decode, to a value that
 *    re-encodes and decodes to itself (so it has the declared types).
 * 2. Hostile alterations (wrong types, `null` anywhere, int64-sized numbers, arbitrary
 *    JSON) decode or fail with a `DecodeError` whose path leads into the answer; never a
 *    defect, another error, or a hang.
 */
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Cause, Effect, Exit, Layer, Redacted, Schema } from "effect"
import { FlashdutyClient } from "../../src/FlashdutyClient.js"
import { endpoints } from "../../src/generated/endpoints.js"
import { examples } from "../../src/generated/examples.js"
import type { Endpoint } from "../../src/runtime/Endpoint.js"
import { fakeHttp, text } from "../core/fakeHttp.js"

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

const withExample = Object.entries(endpoints).flatMap(([operationId, endpoint]) => {
  const response = examples[operationId]?.response as { data?: Json } | undefined
  return response !== undefined && "data" in response
    ? [{ operationId, endpoint, data: response.data as Json }]
    : []
})

/** A client over a fake HTTP server that answers whatever body is set next. */
const harness = () => {
  let body = ""
  const http = fakeHttp(() => text(body, 200, { "content-type": "application/json" }))
  const layer = FlashdutyClient.layer({
    appKey: Redacted.make("property-key"),
    retry: false,
    rateLimit: false
  }).pipe(Layer.provide(http.layer), Layer.orDie)
  const answer = (endpoint: Endpoint<unknown, unknown>, data: Json) =>
    Effect.gen(function* () {
      body = JSON.stringify({ request_id: "req-prop", data })
      const client = yield* FlashdutyClient
      const input = examples[endpoint.operation.operationId]?.request
      // The request side is not under test: send nothing to encode when there is no input.
      // An operation with its own credentials (the Automation trigger) gets its token per call.
      const options = endpoint.operation.auth === undefined ? undefined : { bearerToken: "property-token" }
      return yield* Effect.exit(client.call({ ...endpoint, request: undefined }, input, options))
    }).pipe(Effect.provide(layer))
  return { answer }
}

// ---- walking and altering JSON -------------------------------------------------------

type Place = { readonly parent: Json; readonly key: string | number; readonly value: Json }

/** Every (parent, key, value) below the root, depth first. */
const places = (root: Json): Array<Place> => {
  const out: Array<Place> = []
  const walk = (node: Json) => {
    if (node === null || typeof node !== "object") return
    const entries: Array<[string | number, Json]> = Array.isArray(node)
      ? node.map((value, key) => [key, value] as [number, Json])
      : Object.entries(node)
    for (const [key, value] of entries) {
      out.push({ parent: node, key, value })
      walk(value)
    }
  }
  walk(root)
  return out
}

const setAt = (parent: Json, key: string | number, value: Json | undefined) => {
  const container = parent as Record<string | number, Json>
  if (value === undefined) delete container[key]
  else container[key] = value
}

const looksLikeTime = (s: string) =>
  s.trim() !== "" && (!Number.isNaN(Number(s)) || !Number.isNaN(Date.parse(s)))

const goKinds = ["nullCollection", "dropField", "extraField", "unknownEnum"] as const
const hostileKinds = ["wrongType", "nullAnywhere", "int64", "arbitrary", "nullInArray"] as const

const Step = <K extends string>(kinds: ReadonlyArray<K>) =>
  Arbitrary.all({
    kind: Arbitrary.schema(Schema.Literals(kinds)),
    pick: Arbitrary.schema(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 1_000_000 }))),
    word: Arbitrary.schema(Schema.String),
    json: Arbitrary.schema(Schema.Json)
  })
type StepValue = {
  readonly kind: string
  readonly pick: number
  readonly word: string
  readonly json: unknown
}

/** Applies one alteration at a place chosen by `pick`; a step with nowhere to apply is a no-op. */
const alter = (root: Json, step: StepValue): Json => {
  const all = places(root)
  const where = (filter: (p: Place) => boolean) => {
    const candidates = all.filter(filter)
    return candidates.length === 0 ? undefined : candidates[step.pick % candidates.length]
  }
  const isObject = (v: Json) => v !== null && typeof v === "object" && !Array.isArray(v)
  const inObject = (p: Place) => isObject(p.parent)
  switch (step.kind) {
    case "nullCollection": {
      // Go's nil slice or map: a field holding an array or an object arrives as null.
      const p = where((p) => inObject(p) && p.value !== null && typeof p.value === "object")
      if (p) setAt(p.parent, p.key, null)
      return root
    }
    case "dropField": {
      const p = where(inObject)
      if (p) setAt(p.parent, p.key, undefined)
      return root
    }
    case "extraField": {
      const objects = [root, ...all.map((p) => p.value)].filter(isObject)
      const target = objects[step.pick % objects.length]
      // The value copies a sibling's, so a map (labels: string → string) stays well-typed
      // while a struct gets a field it does not declare. An empty object may be a map of
      // anything: with no sibling to copy, nothing is added.
      if (target) {
        const siblings = Object.values(target as Record<string, Json>)
        if (siblings.length > 0)
          setAt(target, `x_extra_${step.pick}`, clone(siblings[step.pick % siblings.length]!))
      }
      return root
    }
    case "unknownEnum": {
      // A string the SDK does not know (an enum grown on the server); not one read as a time.
      const p = where((p) => inObject(p) && typeof p.value === "string" && !looksLikeTime(p.value))
      if (p) setAt(p.parent, p.key, `NewValue_${step.pick}`)
      return root
    }
    case "wrongType": {
      const p = where(() => true)
      if (p) setAt(p.parent, p.key, typeof p.value === "string" ? step.pick : String(step.word))
      return root
    }
    case "nullAnywhere": {
      const p = where(() => true)
      if (p) setAt(p.parent, p.key, null)
      return root
    }
    case "int64": {
      // As large as a Go int64 id can be (JSON.parse rounds it to the nearest double).
      const p = where((p) => typeof p.value === "number")
      if (p) setAt(p.parent, p.key, step.pick % 2 === 0 ? 2 ** 63 : -(2 ** 63))
      return root
    }
    case "nullInArray": {
      const p = where((p) => Array.isArray(p.parent))
      if (p) setAt(p.parent, p.key, null)
      return root
    }
    default: {
      const p = where(() => true)
      if (p) setAt(p.parent, p.key, step.json as Json)
      else return step.json as Json
      return root
    }
  }
}

const clone = (value: Json): Json => JSON.parse(JSON.stringify(value))

/** A decoded value has the declared types: it encodes, and decoding that gives it back. */
const roundTrips = (endpoint: Endpoint<unknown, unknown>, value: unknown): boolean => {
  const schema = endpoint.response as Schema.Codec<unknown, unknown>
  const encoded = Schema.encodeUnknownExit(schema)(value)
  if (Exit.isFailure(encoded)) return false
  const again = Schema.decodeUnknownExit(schema)(JSON.parse(JSON.stringify(encoded.value)))
  return (
    Exit.isSuccess(again) &&
    JSON.stringify(Schema.encodeUnknownSync(schema)(again.value)) === JSON.stringify(encoded.value)
  )
}

/** Whether a dotted path leads into `data`: every segment but the last exists. */
const pathLeadsInto = (data: Json, path: string): boolean => {
  if (path === "") return true
  let node: Json = data
  const segments = path.split(".")
  for (const segment of segments.slice(0, -1)) {
    if (node === null || typeof node !== "object") return false
    node = (node as Record<string, Json>)[segment] as Json
    if (node === undefined) return false
  }
  return true
}

const runs = Number(process.env.PROPERTY_RUNS ?? 6)

describe("response schemas under altered answers (every operation)", () => {
  it.effect(
    "Go-style alterations of the spec's examples always decode, to values of the declared types",
    () =>
      Effect.gen(function* () {
        const { answer } = harness()
        const failures: Array<string> = []
        for (const { operationId, endpoint, data } of withExample) {
          const result = yield* Arbitrary.checkEffect(
            Arbitrary.array(Step(goKinds), { minLength: 1, maxLength: 4 }),
            (steps) =>
              Effect.gen(function* () {
                const altered = steps.reduce(alter, clone(data))
                const exit = yield* answer(endpoint, altered)
                if (Exit.isFailure(exit)) return false
                return roundTrips(endpoint, exit.value.data)
              }),
            { runs, seed: operationId }
          )
          if (result._tag !== "Passed")
            failures.push(`${operationId}: ${Arbitrary.formatCheckFailure(result)}`)
        }
        assert.deepStrictEqual(failures, [])
        assert.isAbove(withExample.length, 280)
      })
  )

  it.effect(
    "hostile alterations decode or fail with a DecodeError whose path leads into the answer; never a defect",
    () =>
      Effect.gen(function* () {
        const { answer } = harness()
        const failures: Array<string> = []
        let decodeErrors = 0
        for (const { operationId, endpoint, data } of withExample) {
          const result = yield* Arbitrary.checkEffect(
            Arbitrary.array(Step(hostileKinds), { minLength: 1, maxLength: 3 }),
            (steps) =>
              Effect.gen(function* () {
                const altered = steps.reduce(alter, clone(data))
                const exit = yield* answer(endpoint, altered)
                if (Exit.isSuccess(exit)) return roundTrips(endpoint, exit.value.data)
                if (Cause.hasDies(exit.cause)) return false
                const error = Cause.squash(exit.cause) as { _tag: string; path?: string; message: string }
                if (error._tag !== "DecodeError" || error.path === undefined) return false
                decodeErrors++
                // The wire form went through JSON: compare with what the client actually parsed.
                return (
                  pathLeadsInto(JSON.parse(JSON.stringify(altered)), error.path) &&
                  error.message.includes("data")
                )
              }),
            { runs, seed: `hostile/${operationId}` }
          )
          if (result._tag !== "Passed")
            failures.push(`${operationId}: ${Arbitrary.formatCheckFailure(result)}`)
        }
        assert.deepStrictEqual(failures, [])
        assert.isAbove(decodeErrors, 0, "some alterations were rejected, with their path")
      })
  )
})
