/**
 * What the stand-in added for issue 14: the automation trigger (a templated path, its own
 * bearer token instead of the app key), the multipart mapping upload (query and form
 * validated together, the file part checked) and a user's override of a path the spec
 * lacks, driven through the SDK in memory and over loopback.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { FlashdutyClient } from "../../src/FlashdutyClient.js"
import { Flashduty } from "../../src/generated/Flashduty.js"
import * as UploadFile from "../../src/streaming/UploadFile.js"
import { FlashdutyStandIn } from "../../src/testing/FlashdutyStandIn.js"
import { FlashdutyTest, type FlashdutyTestOptions } from "../../src/testing/FlashdutyTest.js"
import { call, callForm } from "./callStandIn.js"

/** The `http_post_token` of the spec's example automation rule: accepted by default. */
const EXAMPLE_TOKEN = "sat_yQ9p8V7n6M5k4J3h2G1f0E9d8C7b6A5z4Y3x2W1v0U"

const testLayer = (options: FlashdutyTestOptions = {}) =>
  Flashduty.layer({ appKey: FlashdutyTest.appKey, rateLimit: false }).pipe(
    Layer.provideMerge(FlashdutyTest.layer(options))
  )

const csv = (text: string) => new TextEncoder().encode(text)

describe("stand-in: automation trigger (templated path, trigger token)", () => {
  it.effect("fires with the example rule's token; the answer names a session; the log has no token", () =>
    Effect.gen(function* () {
      const fd = yield* Flashduty
      const test = yield* FlashdutyTest
      const first = yield* fd.automations.triggerFire({ trigger_id: "atrig_1", text: "hi" }, EXAMPLE_TOKEN)
      assert.deepStrictEqual(first.data, {
        type: "routine_fire",
        session_id: "sess_1",
        session_url: "/safari/session/sess_1"
      })
      const second = yield* fd.automations.triggerFire(
        { trigger_id: "atrig_1" },
        Redacted.make(EXAMPLE_TOKEN)
      )
      assert.strictEqual(second.data.session_id, "sess_2")
      assert.strictEqual(second.data.session_url, "/safari/session/sess_2")
      const log = yield* test.requests
      assert.deepStrictEqual(
        log.map((r) => [r.path, r.operationId, r.credential, r.outcome]),
        [
          ["/safari/automation/triggers/atrig_1/fire", "automation-trigger-write-fire", "triggerToken", 200],
          ["/safari/automation/triggers/atrig_1/fire", "automation-trigger-write-fire", "triggerToken", 200]
        ]
      )
      assert.deepStrictEqual(log[0]!.query, {}, "no app_key is sent with a trigger")
      assert.deepStrictEqual(log[0]!.body, { text: "hi" })
      assert.notInclude(JSON.stringify(log), EXAMPLE_TOKEN)
      assert.notInclude(JSON.stringify(log), "standin-app-key")
    }).pipe(Effect.provide(testLayer()))
  )

  it.effect("accepts only the configured tokens (options, then setCredentials)", () =>
    Effect.gen(function* () {
      const fd = yield* Flashduty
      const test = yield* FlashdutyTest
      const ok = yield* fd.automations.triggerFire({ trigger_id: "atrig_9" }, "sat_configured_1")
      assert.strictEqual(ok.data.type, "routine_fire")
      const example = yield* Effect.flip(fd.automations.triggerFire({ trigger_id: "atrig_9" }, EXAMPLE_TOKEN))
      assert.strictEqual(example._tag, "Unauthorized")
      yield* test.setCredentials({ triggerTokens: [Redacted.make("sat_rotated_2")] })
      const old = yield* Effect.flip(
        fd.automations.triggerFire({ trigger_id: "atrig_9" }, "sat_configured_1")
      )
      assert.strictEqual(old._tag, "Unauthorized")
      const rotated = yield* fd.automations.triggerFire({ trigger_id: "atrig_9" }, "sat_rotated_2")
      assert.strictEqual(rotated.data.type, "routine_fire")
      // The other credentials are left as they were.
      const teams = yield* fd.teams.list({})
      assert.isDefined(teams.data)
    }).pipe(Effect.provide(testLayer({ triggerTokens: ["sat_configured_1"] })))
  )

  it.effect("refuses the app key alone, an access token and a wrong trigger token (401)", () =>
    Effect.gen(function* () {
      const fd = yield* Flashduty
      const test = yield* FlashdutyTest
      const appKeyOnly = yield* call("/safari/automation/triggers/atrig_1/fire", { text: "hi" })
      assert.strictEqual(appKeyOnly.status, 401)
      assert.strictEqual(appKeyOnly.json().error.code, "Unauthorized")
      // A valid trigger token does not open the other operations either.
      const accessToken = yield* call(
        "/safari/automation/triggers/atrig_1/fire",
        {},
        { key: null, headers: { authorization: "Bearer standin-access-token" } }
      )
      assert.strictEqual(accessToken.status, 401)
      const noCredential = yield* call("/safari/automation/triggers/atrig_1/fire", {}, { key: null })
      assert.strictEqual(noCredential.status, 401)
      const wrong = yield* Effect.flip(fd.automations.triggerFire({ trigger_id: "atrig_1" }, "sat_wrong"))
      assert.strictEqual(wrong._tag, "Unauthorized")
      assert.notInclude(JSON.stringify(wrong), "sat_wrong")
      const tokenElsewhere = yield* call(
        "/team/list",
        {},
        { key: null, headers: { authorization: `Bearer ${EXAMPLE_TOKEN}` } }
      )
      assert.strictEqual(tokenElsewhere.status, 401)
      assert.deepStrictEqual(
        (yield* test.requests).map((r) => r.credential),
        ["appKey", "triggerToken", "none", "triggerToken", "bearer"]
      )
    }).pipe(Effect.provide(testLayer({ accessTokens: ["standin-access-token"] })))
  )

  it.effect("routes a URL-encoded trigger_id (a b, x/y as x%2Fy) and validates it decoded", () =>
    Effect.gen(function* () {
      const fd = yield* Flashduty
      const test = yield* FlashdutyTest
      const seen: Array<unknown> = []
      yield* test.override("automation-trigger-write-fire", (request) => {
        seen.push(request.body)
        return { data: { type: "routine_fire", session_id: "sess_x", session_url: "/safari/session/sess_x" } }
      })
      yield* fd.automations.triggerFire({ trigger_id: "a b", text: "t" }, EXAMPLE_TOKEN)
      yield* fd.automations.triggerFire({ trigger_id: "x/y" }, EXAMPLE_TOKEN)
      assert.deepStrictEqual(seen, [{ trigger_id: "a b", text: "t" }, { trigger_id: "x/y" }])
      assert.deepStrictEqual(
        (yield* test.requests).map((r) => [r.path, r.operationId]),
        [
          ["/safari/automation/triggers/a%20b/fire", "automation-trigger-write-fire"],
          ["/safari/automation/triggers/x%2Fy/fire", "automation-trigger-write-fire"]
        ]
      )
      const auth = { key: null, headers: { authorization: `Bearer ${EXAMPLE_TOKEN}` } }
      // `{trigger_id}` is one non-empty segment: an empty one or two segments are other paths.
      assert.strictEqual((yield* call("/safari/automation/triggers//fire", {}, auth)).status, 404)
      assert.strictEqual((yield* call("/safari/automation/triggers/x/y/fire", {}, auth)).status, 404)
      // The body's fields are validated with the path's.
      const invalid = yield* call("/safari/automation/triggers/atrig_1/fire", { text: 5 }, auth)
      assert.strictEqual(invalid.status, 400)
      assert.include(invalid.json().error.message, "text")
    }).pipe(Effect.provide(testLayer()))
  )

  it.live("fires over loopback with FetchHttpClient", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { url, control } = yield* FlashdutyStandIn.serve({ triggerTokens: ["sat_loopback"] })
        const appKey = yield* control.appKey
        const fired = yield* Effect.gen(function* () {
          const fd = yield* Flashduty
          const ok = yield* fd.automations.triggerFire({ trigger_id: "x/y", text: "hi" }, "sat_loopback")
          const refused = yield* Effect.flip(fd.automations.triggerFire({ trigger_id: "x/y" }, EXAMPLE_TOKEN))
          return { ok: ok.data, refused: refused._tag }
        }).pipe(
          Effect.provide(Flashduty.layer({ appKey, baseUrl: url, rateLimit: false })),
          Effect.provide(FetchHttpClient.layer)
        )
        assert.deepStrictEqual(fired, {
          ok: { type: "routine_fire", session_id: "sess_1", session_url: "/safari/session/sess_1" },
          refused: "Unauthorized"
        })
        const log = yield* control.requests
        assert.strictEqual(log[0]!.path, "/safari/automation/triggers/x%2Fy/fire")
        assert.strictEqual(log[0]!.credential, "triggerToken")
      })
    )
  )
})

describe("stand-in: mapping data upload (multipart, query and form together)", () => {
  it.effect("accepts a CSV part with schema_id in the query; answers {}; logs the rows", () =>
    Effect.gen(function* () {
      const fd = yield* Flashduty
      const test = yield* FlashdutyTest
      const bytes = csv("host,team\nweb-1,sre\nweb-2,payments\n\n")
      const { data } = yield* fd.alertEnrichment.mappingDataUpload({
        schema_id: "s1",
        do_not_truncate_first: "TRUE",
        file: UploadFile.fromBytes(bytes, "mapping.csv", "text/csv")
      })
      assert.deepStrictEqual(data, {})
      const [request] = yield* test.requests
      assert.strictEqual(request!.operationId, "mapping-data-write-upload")
      assert.deepStrictEqual(request!.query, { schema_id: "s1", do_not_truncate_first: "TRUE" })
      assert.strictEqual(request!.outcome, 200)
      assert.deepStrictEqual(request!.files, [
        { field: "file", name: "mapping.csv", contentType: "text/csv", bytes: bytes.byteLength, csvRows: 2 }
      ])
    }).pipe(Effect.provide(testLayer()))
  )

  it.effect("a numeric-looking schema_id stays a string (typed first, then verbatim)", () =>
    Effect.gen(function* () {
      const form = new FormData()
      form.set("file", new Blob(["host\nweb-1\n"], { type: "text/csv" }), "mapping.csv")
      const res = yield* callForm("/enrichment/mapping/data/upload", form, { schema_id: "12345" })
      assert.strictEqual(res.status, 200, res.text)
    }).pipe(Effect.provide(FlashdutyTest.layer()))
  )

  it.effect(
    "refuses a missing schema_id, a missing or empty file, and do_not_truncate_first other than TRUE",
    () =>
      Effect.gen(function* () {
        const path = "/enrichment/mapping/data/upload"
        const withFile = (text: string) => {
          const form = new FormData()
          form.set("file", new Blob([text], { type: "text/csv" }), "mapping.csv")
          return form
        }
        const noSchema = yield* callForm(path, withFile("host\nweb-1\n"))
        assert.strictEqual(noSchema.status, 400)
        assert.strictEqual(JSON.parse(noSchema.text).error.code, "InvalidParameter")
        assert.include(JSON.parse(noSchema.text).error.message, "schema_id")

        const noFile = yield* callForm(path, new FormData(), { schema_id: "s1" })
        assert.strictEqual(noFile.status, 400)
        assert.include(JSON.parse(noFile.text).error.message, "file")

        const textField = new FormData()
        textField.set("file", "host\nweb-1\n")
        const notAPart = yield* callForm(path, textField, { schema_id: "s1" })
        assert.strictEqual(notAPart.status, 400)
        assert.include(JSON.parse(notAPart.text).error.message, "file part is missing")

        const empty = yield* callForm(path, withFile(""), { schema_id: "s1" })
        assert.strictEqual(empty.status, 400)
        assert.strictEqual(JSON.parse(empty.text).error.code, "InvalidParameter")
        assert.include(JSON.parse(empty.text).error.message, "empty")

        const badFlag = yield* callForm(path, withFile("host\nweb-1\n"), {
          schema_id: "s1",
          do_not_truncate_first: "yes"
        })
        assert.strictEqual(badFlag.status, 400)
        assert.include(JSON.parse(badFlag.text).error.message, "do_not_truncate_first")
      }).pipe(Effect.provide(FlashdutyTest.layer()))
  )

  it.effect("query fields, then body fields on top, for a JSON operation too", () =>
    Effect.gen(function* () {
      const test = yield* FlashdutyTest
      const seen: Array<unknown> = []
      yield* test.override("memberInfo", (request) => {
        seen.push(request.body)
        return { data: {} }
      })
      yield* call("/member/info", { member_id: 5 }, { query: { member_id: "7", extra: "x" } })
      assert.deepStrictEqual(seen, [{ member_id: 5, extra: "x" }])
    }).pipe(Effect.provide(FlashdutyTest.layer()))
  )

  it.live("uploads over loopback with FetchHttpClient", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { url, control } = yield* FlashdutyStandIn.serve({})
        const appKey = yield* control.appKey
        const result = yield* Effect.gen(function* () {
          const fd = yield* Flashduty
          return yield* fd.alertEnrichment.mappingDataUpload({
            schema_id: "665f1a2b3c4d5e6f7a8b9c01",
            file: UploadFile.fromBytes(csv("host,team\nweb-1,sre\n"), "mapping.csv", "text/csv")
          })
        }).pipe(
          Effect.provide(Flashduty.layer({ appKey, baseUrl: url, rateLimit: false })),
          Effect.provide(FetchHttpClient.layer)
        )
        assert.deepStrictEqual(result.data, {})
        const [request] = yield* control.requests
        assert.strictEqual(request!.files?.[0]?.csvRows, 1)
      })
    )
  )
})

describe("stand-in: a user's override of a path the spec lacks", () => {
  const packList = (client: FlashdutyClient["Service"]) =>
    client.request({ method: "POST", path: "/safari/knowledge/pack/list", body: { p: 1 }, access: "read" })

  it.effect("answers RouteNotFound without an override, the override's answer with one", () =>
    Effect.gen(function* () {
      const test = yield* FlashdutyTest
      const client = yield* FlashdutyClient
      const missing = yield* Effect.flip(packList(client))
      assert.strictEqual(missing._tag, "NotFound")
      assert.include(missing.message, "RouteNotFound")

      const seen: Array<unknown> = []
      yield* test.override("POST /safari/knowledge/pack/list", (request) => {
        seen.push({ op: request.operationId, method: request.method, path: request.path, body: request.body })
        return { data: { items: [{ pack_id: "kp_1" }], total: 1 } }
      })
      const { data } = yield* packList(client)
      assert.deepStrictEqual(data, { items: [{ pack_id: "kp_1" }], total: 1 })
      assert.deepStrictEqual(seen, [
        { op: undefined, method: "POST", path: "/safari/knowledge/pack/list", body: { p: 1 } }
      ])
      const log = yield* test.requests
      assert.deepStrictEqual(
        log.map((r) => [r.path, r.operationId, r.outcome]),
        [
          ["/safari/knowledge/pack/list", undefined, 404],
          ["/safari/knowledge/pack/list", undefined, 200]
        ]
      )

      // Another method on the path: 405; after clearOverrides: RouteNotFound again.
      assert.strictEqual(
        (yield* call("/safari/knowledge/pack/list", undefined, { method: "GET" })).status,
        405
      )
      yield* test.clearOverrides
      assert.strictEqual((yield* call("/safari/knowledge/pack/list", {})).status, 404)
    }).pipe(Effect.provide(testLayer()))
  )

  it.effect("checks credentials first; an error answer maps to its typed error", () =>
    Effect.gen(function* () {
      const test = yield* FlashdutyTest
      yield* test.override("post /safari/knowledge/pack/list/", {
        error: { code: "AccessDenied", message: "no knowledge packs here" }
      })
      const client = yield* FlashdutyClient
      const denied = yield* Effect.flip(packList(client))
      assert.strictEqual(denied._tag, "AccessDenied")
      yield* test.setCredentials({ appKey: "rotated" })
      const unauthorized = yield* Effect.flip(packList(client))
      assert.strictEqual(unauthorized._tag, "Unauthorized")
    }).pipe(Effect.provide(testLayer()))
  )

  it.live("over loopback with FetchHttpClient", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { url, control } = yield* FlashdutyStandIn.serve({})
        yield* control.override("POST /safari/knowledge/pack/list", { data: { items: [], total: 0 } })
        const appKey = yield* control.appKey
        const { data } = yield* Effect.flatMap(FlashdutyClient, packList).pipe(
          Effect.provide(FlashdutyClient.layer({ appKey, baseUrl: url, rateLimit: false })),
          Effect.provide(FetchHttpClient.layer)
        )
        assert.deepStrictEqual(data, { items: [], total: 0 })
      })
    )
  )
})
