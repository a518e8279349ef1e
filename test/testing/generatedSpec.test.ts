import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { examples } from "../../src/generated/examples.js"
import { operations } from "../../src/generated/operations.js"
import { FlashdutyTest } from "../../src/testing/FlashdutyTest.js"
import { generatedSpec } from "../../src/testing/GeneratedSpec.js"
import { call, callForm } from "./callStandIn.js"

const stateful = new Set(["session-read-export"])

describe("stand-in over the generated spec", () => {
  it.effect("answers all 290 operations; each JSON one with its example when sent its example request", () =>
    Effect.gen(function* () {
      assert.strictEqual(operations.length, 290)
      const test = yield* FlashdutyTest
      const rejected: Array<string> = []
      for (const op of operations) {
        if (stateful.has(op.operationId)) continue
        const example = examples[op.operationId]
        const request = example?.request
        if (op.kind === "multipart" && op.operationId !== "incidentCreate") {
          const form = new FormData()
          for (const [k, v] of Object.entries((request ?? {}) as Record<string, unknown>))
            form.set(k, String(v))
          form.set("file", new Blob([new Uint8Array([1])]), "archive.zip")
          const res = yield* callForm(op.path, form)
          assert.strictEqual(res.status, 200, `${op.operationId}: ${res.text}`)
          continue
        }
        const res =
          op.httpMethod === "GET"
            ? yield* call(op.path, undefined, {
                method: "GET",
                query: Object.fromEntries(
                  Object.entries((request ?? {}) as object).map(([k, v]) => [k, String(v)])
                )
              })
            : yield* call(op.path, request ?? {})
        if (res.status !== 200) {
          rejected.push(`${op.operationId}: ${res.json().error.message}`)
          continue
        }
        if (op.kind === "file") {
          assert.match(res.headers["content-type"]!, /^text\/csv/, op.operationId)
          assert.match(res.headers["content-disposition"]!, /^attachment; filename=/, op.operationId)
          continue
        }
        const expected = (example?.response as { data?: unknown } | undefined)?.data
        // Incident operations answer from the stand-in's state instead of the example.
        if (!op.path.startsWith("/incident/") && expected !== undefined) {
          assert.deepStrictEqual(res.json().data, expected, op.operationId)
        }
      }
      assert.deepStrictEqual(rejected, [])
      assert.strictEqual((yield* test.requests).length, 289)
    }).pipe(Effect.provide(FlashdutyTest.layer()))
  )

  it.effect("validates with the generated request codec and names the field", () =>
    Effect.gen(function* () {
      assert.isUndefined(
        generatedSpec.validate("incidentAck", { incident_ids: ["69da451ef77b1b51f40e83ee"] })
      )
      const failure = generatedSpec.validate("incidentCreate", { incident_severity: "Apocalyptic" })
      assert.strictEqual(failure?.path, "incident_severity")
      const res = yield* call("/incident/list", { start_time: "yesterday", end_time: 2 })
      assert.strictEqual(res.status, 400)
      assert.include(res.json().error.message, "start_time")
    }).pipe(Effect.provide(FlashdutyTest.layer()))
  )
})
