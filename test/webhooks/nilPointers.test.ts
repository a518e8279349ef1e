/**
 * Go's nil pointers in what Flashduty sends: each scalar field of each struct of every
 * documented payload, set to `null` on its own, still decodes as its event (never as a failure,
 * never as the `unknown` case). Map values (`labels`) are told apart by the decoder itself: a
 * map keeps a key it did not declare, a struct drops it. The same rule as the API's answers
 * (`test/properties/nilPointers.test.ts`).
 */
import { assert, describe, it } from "@effect/vitest"
import { Exit, Schema } from "effect"
import * as Webhooks from "../../src/webhooks/Webhooks.js"
import { fixture, fixtureNames } from "./support.js"

type Json = null | boolean | number | string | Array<Json> | { [key: string]: Json }

const decode = Schema.decodeUnknownExit(Webhooks.WebhookEvent as Schema.Codec<unknown, unknown>)

const at = (root: unknown, path: ReadonlyArray<string>): unknown =>
  path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], root)

/** Every scalar field of an object (not an array's element), by path; `event_type` aside. */
const scalarFields = (root: Json): Array<ReadonlyArray<string>> => {
  const out: Array<ReadonlyArray<string>> = []
  const walk = (node: Json, path: ReadonlyArray<string>) => {
    if (node === null || typeof node !== "object") return
    for (const [key, value] of Object.entries(node)) {
      const scalar = typeof value === "string" || typeof value === "number" || typeof value === "boolean"
      if (!Array.isArray(node) && scalar && !(path.length === 0 && key === "event_type"))
        out.push([...path, key])
      else walk(value, [...path, key])
    }
  }
  walk(root, [])
  return out
}

describe("webhook payloads with Go's nil pointers", () => {
  it("every scalar struct field sent as null decodes as the same event", () => {
    const failures: Array<string> = []
    let fields = 0
    for (const name of fixtureNames) {
      const payload = fixture(name) as Json
      const eventType = fixture(name).event_type as string
      for (const path of scalarFields(payload)) {
        const parent = path.slice(0, -1)
        const key = path[path.length - 1]!
        const probe = fixture(name)
        ;(at(probe, parent) as Record<string, unknown>)[`${key}_undeclared`] = at(payload, path)
        const probed = decode(probe)
        const decodedParent = Exit.isSuccess(probed)
          ? (at(probed.value, parent) as Record<string, unknown>)
          : {}
        if (decodedParent?.[`${key}_undeclared`] !== undefined) continue // a map's value
        fields++
        const altered = fixture(name)
        ;(at(altered, parent) as Record<string, unknown>)[key] = null
        const exit = decode(altered)
        if (Exit.isFailure(exit)) failures.push(`${name} ${path.join(".")}: fails`)
        else if ((exit.value as { event_type: string }).event_type !== eventType)
          failures.push(
            `${name} ${path.join(".")}: decoded as ${(exit.value as { event_type: string }).event_type}`
          )
      }
    }
    assert.deepStrictEqual(failures, [])
    assert.isAbove(fields, 100)
  })
})
