/**
 * Go's nil pointers: a struct field that is a pointer to a string, number or boolean arrives as
 * `null` when it has no value (no `omitempty`). For every operation's example answer, each
 * scalar field of each struct is set to `null` on its own, and the answer must decode: a
 * required field to its Go zero value, an optional one to an absent key, a nullable one to
 * `null`. Values of maps (`labels`, `fields`: a Go `map[string]string` never holds `null`) are
 * told apart from struct fields by the decoder itself: a map keeps a key it did not declare,
 * a struct drops it.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, type Schema } from "effect"
import { endpoints } from "../../src/generated/endpoints.js"
import { examples } from "../../src/generated/examples.js"
import { decoderOf } from "../../src/pipeline/schemaCodec.js"

type Json = null | boolean | number | string | Array<Json> | { [key: string]: Json }

const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean"

/** Every scalar field of an object (not an array's element), by path from the root. */
const scalarFields = (root: Json): Array<ReadonlyArray<string>> => {
  const out: Array<ReadonlyArray<string>> = []
  const walk = (node: Json, path: ReadonlyArray<string>) => {
    if (node === null || typeof node !== "object") return
    for (const [key, value] of Object.entries(node)) {
      if (!Array.isArray(node) && isScalar(value)) out.push([...path, key])
      else walk(value, [...path, key])
    }
  }
  walk(root, [])
  return out
}

const at = (root: unknown, path: ReadonlyArray<string>): unknown =>
  path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], root)

const clone = (value: Json): Json => JSON.parse(JSON.stringify(value))

const goZeros: ReadonlyArray<unknown> = ["", 0, false, null, undefined]

describe("Go's nil pointers in answers (every operation's example)", () => {
  it("a scalar struct field sent as null decodes: zero value, absent key or null; map values excepted", () => {
    const failures: Array<string> = []
    let fields = 0
    for (const [operationId, endpoint] of Object.entries(endpoints)) {
      const data = (examples as Record<string, { response?: { data?: Json } }>)[operationId]?.response?.data
      if (data === undefined) continue
      const decode = decoderOf(endpoint.response as Schema.Codec<unknown, unknown>)
      for (const path of scalarFields(data)) {
        const parentPath = path.slice(0, -1)
        const key = path[path.length - 1]!
        // A map keeps a key it did not declare; a struct drops it.
        const probe = clone(data)
        const probeKey = `${key}_probe_undeclared`
        ;(at(probe, parentPath) as Record<string, Json>)[probeKey] = at(data, path) as Json
        const probed = Effect.runSyncExit(decode(probe))
        if (
          Exit.isSuccess(probed) &&
          (at(probed.value, parentPath) as Record<string, unknown>)[probeKey] !== undefined
        )
          continue
        fields++
        const altered = clone(data)
        ;(at(altered, parentPath) as Record<string, Json>)[key] = null
        const exit = Effect.runSyncExit(decode(altered))
        if (Exit.isFailure(exit)) {
          failures.push(`${operationId} ${path.join(".")}: fails`)
          continue
        }
        const decoded = at(exit.value, path)
        // A time's zero is its own value ("unset"); everything else is Go's zero, absent or null.
        if (!goZeros.includes(decoded) && typeof decoded !== "object")
          failures.push(`${operationId} ${path.join(".")}: ${JSON.stringify(decoded)}`)
      }
    }
    assert.deepStrictEqual(failures, [])
    assert.isAbove(fields, 2000)
  })
})
