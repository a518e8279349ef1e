import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Redacted } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import { TestClock } from "effect/testing"
import { Fault } from "../../src/testing/Fault.js"
import { FlashdutyTest } from "../../src/testing/FlashdutyTest.js"
import type { StandInOptions } from "../../src/testing/StandInEngine.js"
import { call, KEY } from "./callStandIn.js"
import { tinySpec } from "./tinySpec.js"

const standIn = (options: StandInOptions = {}) => FlashdutyTest.layerFromSpec(tinySpec, options)

describe("FlashdutyTest (in memory)", () => {
  it.effect("answers with the spec's example in the API's envelope", () =>
    Effect.gen(function* () {
      const res = yield* call("/team/list", {})
      assert.strictEqual(res.status, 200)
      const body = res.json()
      assert.deepStrictEqual(body.data, { total: 1, items: [{ team_id: 1, team_name: "SRE" }] })
      assert.match(body.request_id, /^[0-9A-Z]{26}$/)
      assert.strictEqual(res.headers["flashcat-request-id"], body.request_id)
    }).pipe(Effect.provide(standIn()))
  )

  it.effect("answers an empty object where the spec has no example", () =>
    Effect.gen(function* () {
      const res = yield* call("/member/info", {})
      assert.deepStrictEqual(res.json().data, {})
    }).pipe(Effect.provide(standIn()))
  )

  it.effect("refuses a missing or wrong app key with Unauthorized, accepts a bearer token", () =>
    Effect.gen(function* () {
      const missing = yield* call("/team/list", {}, { key: null })
      assert.strictEqual(missing.status, 401)
      assert.strictEqual(missing.json().error.code, "Unauthorized")
      const wrong = yield* call("/team/list", {}, { key: "nope" })
      assert.strictEqual(wrong.status, 401)
      const bearer = yield* call("/team/list", {}, { key: null, headers: { authorization: "Bearer tok-1" } })
      assert.strictEqual(bearer.status, 200)
      const test = yield* FlashdutyTest
      yield* test.setCredentials({ accessTokens: ["tok-2"] })
      const expired = yield* call("/team/list", {}, { key: null, headers: { authorization: "Bearer tok-1" } })
      assert.strictEqual(expired.status, 401)
    }).pipe(Effect.provide(standIn({ accessTokens: [Redacted.make("tok-1")] })))
  )

  it.effect("answers RouteNotFound (404) for an unknown path and MethodNotAllowed for a wrong method", () =>
    Effect.gen(function* () {
      const unknown = yield* call("/no/such/thing", {})
      assert.strictEqual(unknown.status, 404)
      assert.strictEqual(unknown.json().error.code, "RouteNotFound")
      const method = yield* call("/team/list", undefined, { method: "GET" })
      assert.strictEqual(method.status, 405)
      assert.strictEqual(method.json().error.code, "MethodNotAllowed")
    }).pipe(Effect.provide(standIn()))
  )

  it.effect("validates the body and names the field in InvalidParameter", () =>
    Effect.gen(function* () {
      const res = yield* call("/incident/create", { incident_severity: "Apocalyptic", title: "x" })
      assert.strictEqual(res.status, 400)
      const error = res.json().error
      assert.strictEqual(error.code, "InvalidParameter")
      assert.include(error.message, "incident_severity")
      const notJson = yield* Effect.gen(function* () {
        const client = yield* HttpClient.HttpClient
        const response = yield* client.execute(
          HttpClientRequest.post(`https://x/incident/list?app_key=${KEY}`).pipe(
            HttpClientRequest.bodyText("{oops", "application/json")
          )
        )
        return yield* response.json
      })
      assert.strictEqual((notJson as any).error.code, "InvalidParameter")
    }).pipe(Effect.provide(standIn()))
  )

  it.effect("reads GET operations' parameters from the query string", () =>
    Effect.gen(function* () {
      const ok = yield* call("/status-page/info", undefined, { method: "GET", query: { page_id: "7" } })
      assert.strictEqual(ok.status, 200)
      assert.strictEqual(ok.json().data.name, "Status")
      const missing = yield* call("/status-page/info", undefined, { method: "GET" })
      assert.strictEqual(missing.status, 400)
      assert.include(missing.json().error.message, "page_id")
    }).pipe(Effect.provide(standIn()))
  )

  it.effect("lets a test override any operation's answer", () =>
    Effect.gen(function* () {
      const test = yield* FlashdutyTest
      yield* test.override("teamList", { data: { total: 0, items: [] } })
      yield* test.override("memberInfo", (request) =>
        (request.body as { member_id?: number }).member_id === 404
          ? { error: { code: "ResourceNotFound" } }
          : { data: { member_id: (request.body as { member_id: number }).member_id } }
      )
      assert.deepStrictEqual((yield* call("/team/list", {})).json().data, { total: 0, items: [] })
      assert.deepStrictEqual((yield* call("/member/info", { member_id: 5 })).json().data, { member_id: 5 })
      const missing = yield* call("/member/info", { member_id: 404 })
      assert.strictEqual(missing.status, 400)
      assert.strictEqual(missing.json().error.code, "ResourceNotFound")
    }).pipe(Effect.provide(standIn()))
  )

  it.effect("logs requests without the app key or bearer token", () =>
    Effect.gen(function* () {
      yield* call("/team/list", { p: 1 }, { query: { debug: "1" } })
      yield* call("/team/list", {}, { key: null, headers: { authorization: "Bearer secret-token" } })
      const test = yield* FlashdutyTest
      const log = yield* test.requests
      assert.strictEqual(log.length, 2)
      assert.deepStrictEqual(
        { method: log[0]!.method, path: log[0]!.path, op: log[0]!.operationId, query: log[0]!.query },
        { method: "POST", path: "/team/list", op: "teamList", query: { debug: "1" } }
      )
      assert.deepStrictEqual(log[0]!.body, { p: 1 })
      assert.strictEqual(log[0]!.credential, "appKey")
      assert.strictEqual(log[1]!.credential, "bearer")
      const printed = JSON.stringify(log)
      assert.notInclude(printed, KEY)
      assert.notInclude(printed, "secret-token")
      yield* test.clearRequests
      assert.strictEqual((yield* test.requests).length, 0)
    }).pipe(Effect.provide(standIn()))
  )
})

describe("FlashdutyTest faults", () => {
  it.effect("answers an error code with Retry-After, a limited number of times", () =>
    Effect.gen(function* () {
      const test = yield* FlashdutyTest
      yield* test.addFault({ operationId: "teamList", times: 2, fault: Fault.rateLimited(3) })
      const first = yield* call("/team/list", {})
      assert.strictEqual(first.status, 429)
      assert.strictEqual(first.headers["retry-after"], "3")
      assert.strictEqual(first.json().error.code, "RequestTooFrequently")
      assert.strictEqual((yield* call("/team/list", {})).status, 429)
      assert.strictEqual((yield* call("/team/list", {})).status, 200)
      assert.strictEqual((yield* call("/member/info", {})).status, 200)
    }).pipe(Effect.provide(standIn()))
  )

  it.effect("a status fault carries the code the API pairs with it; skip lets requests through", () =>
    Effect.gen(function* () {
      const test = yield* FlashdutyTest
      yield* test.addFault({ path: "/member/info", skip: 1, fault: Fault.status(503) })
      assert.strictEqual((yield* call("/member/info", {})).status, 200)
      const res = yield* call("/member/info", {})
      assert.strictEqual(res.status, 503)
      assert.strictEqual(res.json().error.code, "ServiceUnavailable")
    }).pipe(Effect.provide(standIn()))
  )

  it.effect("latency waits on the Clock, so TestClock drives it", () =>
    Effect.gen(function* () {
      const test = yield* FlashdutyTest
      yield* test.addFault({ fault: Fault.latency("5 seconds") })
      const fiber = yield* Effect.forkChild(call("/team/list", {}))
      yield* TestClock.adjust("4 seconds")
      assert.isUndefined(fiber.pollUnsafe())
      yield* TestClock.adjust("1 second")
      const res = yield* Fiber.join(fiber)
      assert.strictEqual(res.status, 200)
    }).pipe(Effect.provide(standIn()))
  )

  it.effect("a dropped connection is a transport failure", () =>
    Effect.gen(function* () {
      const test = yield* FlashdutyTest
      yield* test.addFault({ operationId: "teamList", fault: Fault.dropConnection })
      const error = yield* Effect.flip(call("/team/list", {}))
      assert.strictEqual(error._tag, "HttpClientError")
      assert.strictEqual((error as any).reason._tag, "TransportError")
      assert.strictEqual((yield* test.requests)[0]!.outcome, "dropped")
    }).pipe(Effect.provide(standIn()))
  )

  it.effect("a truncated body sends the headers, part of the body, then fails", () =>
    Effect.gen(function* () {
      const test = yield* FlashdutyTest
      yield* test.addFault({ operationId: "teamList", fault: Fault.truncatedBody(10) })
      const client = yield* HttpClient.HttpClient
      const response = yield* client.execute(
        HttpClientRequest.post(`https://x/team/list?app_key=${KEY}`).pipe(
          HttpClientRequest.bodyJsonUnsafe({})
        )
      )
      assert.strictEqual(response.status, 200)
      const error = yield* Effect.flip(response.text)
      assert.strictEqual(error._tag, "HttpClientError")
    }).pipe(Effect.provide(standIn()))
  )

  it.effect("a malformed body is a 200 that is not JSON", () =>
    Effect.gen(function* () {
      const test = yield* FlashdutyTest
      yield* test.addFault({ fault: Fault.malformedBody })
      const res = yield* call("/team/list", {})
      assert.strictEqual(res.status, 200)
      assert.throws(() => res.json())
    }).pipe(Effect.provide(standIn()))
  )

  it.effect("an HTML proxy page has no envelope and no request id", () =>
    Effect.gen(function* () {
      const test = yield* FlashdutyTest
      yield* test.addFault({ fault: Fault.htmlProxyPage(504) })
      const res = yield* call("/team/list", {})
      assert.strictEqual(res.status, 504)
      assert.match(res.headers["content-type"]!, /text\/html/)
      assert.include(res.text, "504 Gateway Time-out")
      assert.isUndefined(res.headers["flashcat-request-id"])
    }).pipe(Effect.provide(standIn()))
  )

  it.effect("probabilistic faults replay identically for the same seed", () => {
    const statuses = (seed: string) =>
      Effect.gen(function* () {
        const test = yield* FlashdutyTest
        yield* test.addFault({ probability: 0.5, fault: Fault.status(500) })
        const out: Array<number> = []
        for (let i = 0; i < 40; i++) out.push((yield* call("/team/list", {})).status)
        return out
      }).pipe(Effect.provide(standIn({ seed })))
    return Effect.gen(function* () {
      const a = yield* statuses("s1")
      const b = yield* statuses("s1")
      const c = yield* statuses("s2")
      assert.deepStrictEqual(a, b)
      assert.notDeepEqual(a, c)
      const failures = a.filter((s) => s === 500).length
      assert.isTrue(failures > 5 && failures < 35, `${failures} of 40 failed`)
    })
  })
})

describe("FlashdutyTest rate limits", () => {
  it.effect("enforces the documented per-second limit with Retry-After, per operation", () =>
    Effect.gen(function* () {
      // teamList: 2 requests/second
      assert.strictEqual((yield* call("/team/list", {})).status, 200)
      assert.strictEqual((yield* call("/team/list", {})).status, 200)
      const limited = yield* call("/team/list", {})
      assert.strictEqual(limited.status, 429)
      assert.strictEqual(limited.json().error.code, "RequestTooFrequently")
      assert.strictEqual(limited.headers["retry-after"], "1")
      assert.strictEqual((yield* call("/member/info", {})).status, 200)
      yield* TestClock.adjust("1 second")
      assert.strictEqual((yield* call("/team/list", {})).status, 200)
    }).pipe(Effect.provide(standIn({ rateLimits: true })))
  )

  it.effect("does not limit unless asked", () =>
    Effect.gen(function* () {
      for (let i = 0; i < 5; i++) assert.strictEqual((yield* call("/team/list", {})).status, 200)
    }).pipe(Effect.provide(standIn()))
  )
})
