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
import { decodeWithNull, isMapValue, type Json, scalarFields } from "../support/nilPointers.js"
import { fixture, fixtureNames } from "./support.js"

const decode = Schema.decodeUnknownExit(Webhooks.WebhookEvent as Schema.Codec<unknown, unknown>)

describe("webhook payloads with Go's nil pointers", () => {
  it("every scalar struct field sent as null decodes as the same event", () => {
    const failures: Array<string> = []
    let fields = 0
    for (const name of fixtureNames) {
      const payload = fixture(name) as Json
      const eventType = fixture(name).event_type as string
      // `event_type` aside: another value is another event, not a nil pointer.
      for (const path of scalarFields(payload).filter((path) => path.join(".") !== "event_type")) {
        if (isMapValue(decode, payload, path)) continue
        fields++
        const exit = decodeWithNull(decode, payload, path)
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
