/**
 * The SDK itself against the stand-in, in memory and over loopback: what a user's
 * test or example does.
 */
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Layer, Stream } from "effect"
import { FetchHttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import { Flashduty } from "../../src/generated/Flashduty.js"
import { Fault } from "../../src/testing/Fault.js"
import { FlashdutyStandIn } from "../../src/testing/FlashdutyStandIn.js"
import { FlashdutyTest } from "../../src/testing/FlashdutyTest.js"

const window = { start_time: 0, end_time: 86_400 * 30 }

const testLayer = (options: Parameters<typeof FlashdutyTest.layer>[0] = {}) =>
  Flashduty.layer({ appKey: FlashdutyTest.appKey, rateLimit: false }).pipe(
    Layer.provideMerge(FlashdutyTest.layer(options))
  )

describe("the SDK against the stand-in", () => {
  it.effect("lists, creates and acknowledges incidents through fd.incidents", () =>
    Effect.gen(function* () {
      const fd = yield* Flashduty
      const { data, meta } = yield* fd.incidents.list({ ...window, limit: 5 })
      assert.strictEqual(data.items.length, 5)
      // The spec's two example incidents (April 2026) fall outside this window.
      assert.strictEqual(meta.total, 10)
      assert.isTrue(meta.hasNextPage)
      assert.match(meta.requestId!, /^[0-9A-Z]{26}$/)
      const created = yield* fd.incidents.create({ incident_severity: "Critical", title: "from the SDK" })
      const id = created.data.incident_id
      assert.isString(id)
      yield* fd.incidents.ack({ incident_ids: [id!] })
      const info = yield* fd.incidents.info({ incident_id: id! })
      assert.strictEqual(info.data.progress, "Processing")
    }).pipe(Effect.provide(testLayer({ incidents: { count: 10 } })))
  )

  it.effect("pages the whole list with listStream", () =>
    Effect.gen(function* () {
      const fd = yield* Flashduty
      const ids = yield* fd.incidents.listStream({ ...window, limit: 7 }).pipe(Stream.runCollect)
      assert.strictEqual(ids.length, 40)
    }).pipe(Effect.provide(testLayer({ incidents: { count: 40 } })))
  )

  it.effect("a rate-limit fault surfaces as RateLimited with retryAfter when retries are off", () =>
    Effect.gen(function* () {
      const test = yield* FlashdutyTest
      yield* test.addFault({ operationId: "incidentList", fault: Fault.rateLimited(7) })
      const fd = yield* Flashduty
      const error = yield* Effect.flip(fd.incidents.list(window, { retry: false }))
      assert.strictEqual(error._tag, "RateLimited")
      assert.strictEqual(
        error._tag === "RateLimited" && error.retryAfter !== undefined
          ? Duration.toMillis(error.retryAfter)
          : undefined,
        7000
      )
    }).pipe(Effect.provide(testLayer()))
  )

  it.effect("the default retry policy gets through a transient fault (TestClock drives the waits)", () =>
    Effect.gen(function* () {
      const test = yield* FlashdutyTest
      yield* test.addFault({ operationId: "incidentList", times: 2, fault: Fault.status(503) })
      const fd = yield* Flashduty
      const fiber = yield* Effect.forkChild(fd.incidents.list(window))
      yield* TestClock.adjust("1 minute")
      const result = yield* Fiber.await(fiber)
      assert.strictEqual(result._tag, "Success")
      assert.deepStrictEqual(
        (yield* test.requests).map((r) => r.outcome),
        [503, 503, 200]
      )
    }).pipe(Effect.provide(testLayer()))
  )

  it.effect("maps a gateway page, ResourceNotFound and a wrong key to typed errors", () =>
    Effect.gen(function* () {
      const test = yield* FlashdutyTest
      const fd = yield* Flashduty
      yield* test.addFault({ operationId: "incidentInfo", times: 1, fault: Fault.htmlProxyPage(502) })
      const gateway = yield* Effect.flip(
        fd.incidents.info({ incident_id: "69da451ef77b1b51f40e83ee" }, { retry: false })
      )
      assert.strictEqual(gateway._tag, "GatewayError")
      const missing = yield* Effect.flip(fd.incidents.info({ incident_id: "aaaaaaaaaaaaaaaaaaaaaaaa" }))
      assert.strictEqual(missing._tag, "NotFound")
      yield* test.setCredentials({ appKey: "rotated" })
      const unauthorized = yield* Effect.flip(fd.incidents.list(window))
      assert.strictEqual(unauthorized._tag, "Unauthorized")
      assert.notInclude(JSON.stringify(unauthorized), "standin-app-key")
    }).pipe(Effect.provide(testLayer()))
  )

  it.live("works over loopback with FetchHttpClient, including the NDJSON export", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { url, control } = yield* FlashdutyStandIn.serve({ transcript: { lines: 40 } })
        const appKey = yield* control.appKey
        const run = Effect.gen(function* () {
          const fd = yield* Flashduty
          // Over loopback the stand-in runs on the real clock: its incidents are from the last 7 days.
          const now = Math.floor(Date.now() / 1000)
          const list = yield* fd.incidents.list({
            start_time: now - 8 * 86_400,
            end_time: now + 60,
            limit: 3
          })
          const lines = yield* fd.sessions.export({ session_id: "sess_1" }).pipe(Stream.runCollect)
          return { items: list.data.items.length, lines: lines.length, first: lines[0]?.type }
        }).pipe(
          Effect.provide(Flashduty.layer({ appKey, baseUrl: url })),
          Effect.provide(FetchHttpClient.layer)
        )
        const result = yield* run
        assert.deepStrictEqual(result, { items: 3, lines: 41, first: "session_meta" })
      })
    )
  )
})
