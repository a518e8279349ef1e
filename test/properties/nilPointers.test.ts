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
import { at, decodeWithNull, isMapValue, type Json, scalarFields } from "../support/nilPointers.js"

const goZeros: ReadonlyArray<unknown> = ["", 0, false, null, undefined]

describe("Go's nil pointers in answers (every operation's example)", () => {
  it("a scalar struct field sent as null decodes: zero value, absent key or null; map values excepted", () => {
    const failures: Array<string> = []
    let fields = 0
    for (const [operationId, endpoint] of Object.entries(endpoints)) {
      const data = (examples as Record<string, { response?: { data?: Json } }>)[operationId]?.response?.data
      if (data === undefined) continue
      const decoder = decoderOf(endpoint.response as Schema.Codec<unknown, unknown>)
      const decode = (input: unknown) => Effect.runSyncExit(decoder(input))
      for (const path of scalarFields(data)) {
        if (isMapValue(decode, data, path)) continue
        fields++
        const exit = decodeWithNull(decode, data, path)
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
