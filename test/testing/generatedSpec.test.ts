import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { examples } from "../../src/generated/examples.js"
import { operations } from "../../src/generated/operations.js"
import { FlashdutyTest } from "../../src/testing/FlashdutyTest.js"
import { generatedSpec } from "../../src/testing/GeneratedSpec.js"
import { call, callForm } from "./callStandIn.js"

const exampleTriggerToken = "sat_yQ9p8V7n6M5k4J3h2G1f0E9d8C7b6A5z4Y3x2W1v0U"

const stateful = new Set(["session-read-export"])

/** Multipart uploads whose example request travels in the query string (the file is the only part). */
const queryUploads = new Set(["mapping-data-write-upload"])

/** The example's path parameters in the path (URL-encoded), the rest of the request as the body. */
const fillPath = (path: string, names: ReadonlyArray<string> | undefined, request: unknown) => {
  // Most requests have no path parameter (and some are arrays): sent as they are.
  if (names === undefined) return { path, rest: request }
  const rest: Record<string, unknown> = { ...((request ?? {}) as Record<string, unknown>) }
  for (const name of names) {
    path = path.replace(`{${name}}`, encodeURIComponent(String(rest[name])))
    delete rest[name]
  }
  return { path, rest }
}

const asText = (request: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries((request ?? {}) as object).map(([k, v]) => [k, String(v)]))

describe("stand-in over the generated spec", () => {
  it.effect("answers all 291 operations; each JSON one with its example when sent its example request", () =>
    Effect.gen(function* () {
      assert.strictEqual(operations.length, 291)
      const test = yield* FlashdutyTest
      const rejected: Array<string> = []
      let sent = 0
      // The incident operations act on the stand-in's incidents (and post webhooks): the example
      // incident is removed last, so that the others find it.
      const removeLast = [
        ...operations.filter((op) => op.operationId !== "incidentRemove"),
        ...operations.filter((op) => op.operationId === "incidentRemove")
      ]
      for (const op of removeLast) {
        if (stateful.has(op.operationId)) continue
        const example = examples[op.operationId]
        const request = example?.request
        sent++
        if (queryUploads.has(op.operationId)) {
          const form = new FormData()
          form.set("file", new Blob(["host,team\nweb-1,sre\n"], { type: "text/csv" }), "mapping.csv")
          const res = yield* callForm(op.path, form, asText(request))
          assert.strictEqual(res.status, 200, `${op.operationId}: ${res.text}`)
          assert.deepStrictEqual(
            JSON.parse(res.text).data,
            (example?.response as { data?: unknown } | undefined)?.data
          )
          continue
        }
        if (op.kind === "multipart" && op.operationId !== "incidentCreate") {
          const form = new FormData()
          for (const [k, v] of Object.entries(asText(request))) form.set(k, v)
          form.set("file", new Blob([new Uint8Array([1])]), "archive.zip")
          const res = yield* callForm(op.path, form)
          assert.strictEqual(res.status, 200, `${op.operationId}: ${res.text}`)
          continue
        }
        const { path, rest } = fillPath(op.path, op.pathParams, request)
        // An automation trigger authenticates with the example rule's trigger token, not the app key.
        const credentials =
          op.auth === "automationTrigger"
            ? { key: null, headers: { authorization: `Bearer ${exampleTriggerToken}` } }
            : {}
        const res =
          op.httpMethod === "GET"
            ? yield* call(path, undefined, { method: "GET", query: asText(rest), ...credentials })
            : yield* call(path, rest, credentials)
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
      // One request per operation but the stateful export (exercised by transcript.test.ts).
      assert.strictEqual(sent, operations.length - stateful.size)
      assert.strictEqual((yield* test.requests).length, 290)
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
