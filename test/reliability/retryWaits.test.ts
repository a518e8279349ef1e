/**
 * Rate limits and server failures over real HTTP (the loopback stand-in): the exact typed
 * error or the success after retries, how many requests the server received, and that the
 * caller waited what the policy says (virtual time, exact to the millisecond).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import type { FlashdutyError } from "../../src/Errors.js"
import { Flashduty } from "../../src/generated/Flashduty.js"
import * as Retry from "../../src/Retry.js"
import { Fault } from "../../src/testing/Fault.js"
import { FlashdutyStandIn, type ServeOptions } from "../../src/testing/FlashdutyStandIn.js"
import { type Decision, recorded, SENTINEL_KEY, sdkLayer } from "./support/client.js"
import { assertNextAttemptAfter, attemptCounter, eventually } from "./support/clock.js"

const window = { start_time: 0, end_time: 86_400 }
/** Deterministic waits: 500 ms, 1 s, 2 s (no jitter), at most 3 retries. */
const exact = Retry.backoff({ jitter: "none" })

/**
 * Serves the stand-in (its clock is the test's `TestClock`, so `receivedAt` is virtual time),
 * then runs `call` in a fiber against it with a recorded policy.
 */
const scenario = <A>(
  faults: ServeOptions["faults"],
  call: (fd: Flashduty["Service"]) => Effect.Effect<A, FlashdutyError>,
  policy = exact
) =>
  Effect.gen(function* () {
    const { url, control } = yield* FlashdutyStandIn.serve({
      appKey: SENTINEL_KEY,
      ...(faults ? { faults } : {})
    })
    const { policy: watched, decisions } = recorded(policy)
    const attempts = attemptCounter()
    const fiber = yield* Effect.gen(function* () {
      const fd = yield* Flashduty
      return yield* call(fd)
    }).pipe(
      Effect.provide(sdkLayer(url, { retry: watched, transformClient: attempts.transformClient })),
      Effect.exit,
      Effect.forkChild
    )
    /** Waits for decision `n` (0-based) and checks that the next attempt leaves after exactly its wait. */
    const expectRetry = (n: number, error: Decision["error"], waitMillis: number) =>
      Effect.gen(function* () {
        yield* eventually(() => decisions.length > n, `retry decision ${n}`)
        assert.deepStrictEqual(decisions[n], { error, waitMillis })
        yield* assertNextAttemptAfter(attempts.count, waitMillis)
      })
    const finish = Effect.gen(function* () {
      yield* eventually(() => fiber.pollUnsafe() !== undefined, "the call to end")
      return yield* Fiber.join(fiber)
    })
    return { control, decisions, expectRetry, finish }
  })

const outcomes = (requests: ReadonlyArray<{ outcome: number | "dropped" }>) => requests.map((r) => r.outcome)
const gaps = (requests: ReadonlyArray<{ receivedAt: number }>) =>
  requests.slice(1).map((r, i) => r.receivedAt - requests[i]!.receivedAt)

describe("429 and 5xx over loopback: errors, request counts, waits", () => {
  it.effect("429 with Retry-After in seconds: waits exactly that long, then succeeds", () =>
    Effect.gen(function* () {
      const s = yield* scenario(
        [{ operationId: "incidentList", times: 1, fault: Fault.rateLimited(7) }],
        (fd) => fd.incidents.list(window)
      )
      yield* s.expectRetry(0, "RateLimited", 7_000)
      const exit = yield* s.finish
      assert.strictEqual(exit._tag, "Success")
      const requests = yield* s.control.requests
      assert.deepStrictEqual(outcomes(requests), [429, 200])
      assert.deepStrictEqual(gaps(requests), [7_000])
    })
  )

  it.effect("429 with Retry-After as an HTTP date: waits until that date on the client's clock", () =>
    Effect.gen(function* () {
      // The TestClock starts at the epoch: this date is 5 s from now.
      const s = yield* scenario(
        [
          { operationId: "incidentList", times: 1, fault: Fault.rateLimited("Thu, 01 Jan 1970 00:00:05 GMT") }
        ],
        (fd) => fd.incidents.list(window)
      )
      yield* s.expectRetry(0, "RateLimited", 5_000)
      assert.strictEqual((yield* s.finish)._tag, "Success")
      const requests = yield* s.control.requests
      assert.deepStrictEqual(outcomes(requests), [429, 200])
      assert.deepStrictEqual(gaps(requests), [5_000])
    })
  )

  it.effect("429 without Retry-After: the policy's own backoff (500 ms, then 1 s)", () =>
    Effect.gen(function* () {
      const s = yield* scenario(
        [{ operationId: "incidentList", times: 2, fault: Fault.error("RequestTooFrequently") }],
        (fd) => fd.incidents.list(window)
      )
      yield* s.expectRetry(0, "RateLimited", 500)
      yield* s.expectRetry(1, "RateLimited", 1_000)
      assert.strictEqual((yield* s.finish)._tag, "Success")
      const requests = yield* s.control.requests
      assert.deepStrictEqual(outcomes(requests), [429, 429, 200])
      assert.deepStrictEqual(gaps(requests), [500, 1_000])
    })
  )

  it.effect("a write is re-sent after a 429 (the server did not process it)", () =>
    Effect.gen(function* () {
      const s = yield* scenario(
        [{ operationId: "incidentUnack", times: 1, fault: Fault.rateLimited(2) }],
        (fd) => fd.incidents.unack({ incident_ids: ["inc-1"] })
      )
      yield* s.control.override("incidentUnack", { data: {} })
      yield* s.expectRetry(0, "RateLimited", 2_000)
      assert.strictEqual((yield* s.finish)._tag, "Success")
      assert.deepStrictEqual(outcomes(yield* s.control.requests), [429, 200])
    })
  )

  it.effect("a persistent 500 on a read: 3 retries (500 ms, 1 s, 2 s), 4 requests, then ServerError", () =>
    Effect.gen(function* () {
      const s = yield* scenario([{ operationId: "incidentList", fault: Fault.status(500) }], (fd) =>
        fd.incidents.list(window)
      )
      yield* s.expectRetry(0, "ServerError", 500)
      yield* s.expectRetry(1, "ServerError", 1_000)
      yield* s.expectRetry(2, "ServerError", 2_000)
      const exit = yield* s.finish
      assert.strictEqual(exit._tag, "Failure")
      const error = yield* Effect.flip(exit)
      assert.strictEqual(error._tag, "ServerError")
      assert.strictEqual(error.status, 500)
      assert.strictEqual(error.code, "InternalError")
      assert.match(error.requestId ?? "", /^[0-9A-Z]{26}$/)
      assert.strictEqual(s.decisions.length, 3)
      const requests = yield* s.control.requests
      assert.deepStrictEqual(outcomes(requests), [500, 500, 500, 500])
      assert.deepStrictEqual(gaps(requests), [500, 1_000, 2_000])
    })
  )

  const transient: ReadonlyArray<
    readonly [string, ReturnType<typeof Fault.status>, "ServerError" | "GatewayError", number]
  > = [
    ["502 HTML page from a proxy", Fault.htmlProxyPage(502), "GatewayError", 502],
    ["503 ServiceUnavailable", Fault.status(503), "ServerError", 503],
    ["504 HTML page from a gateway", Fault.htmlProxyPage(504), "GatewayError", 504],
    ["504 with a JSON envelope", Fault.status(504), "ServerError", 504]
  ]
  for (const [label, fault, tag, status] of transient) {
    it.effect(`${label}: a read is retried after 500 ms and succeeds`, () =>
      Effect.gen(function* () {
        const s = yield* scenario([{ operationId: "incidentList", times: 1, fault }], (fd) =>
          fd.incidents.list(window)
        )
        yield* s.expectRetry(0, tag, 500)
        assert.strictEqual((yield* s.finish)._tag, "Success")
        assert.deepStrictEqual(outcomes(yield* s.control.requests), [status, 200])
      })
    )

    it.effect(`${label}: a write fails with ${tag} and is sent exactly once`, () =>
      Effect.gen(function* () {
        const s = yield* scenario([{ operationId: "incidentUnack", fault }], (fd) =>
          fd.incidents.unack({ incident_ids: ["inc-1"] })
        )
        const exit = yield* s.finish
        const error = yield* Effect.flip(exit)
        assert.strictEqual(error._tag, tag)
        assert.strictEqual(error.status, status)
        // Exactly one request: the server may have acted on it, so it is never re-sent.
        assert.deepStrictEqual(outcomes(yield* s.control.requests), [status])
      })
    )
  }

  it.effect("an unknown error code at HTTP 409 is an ApiError with the code verbatim, not retried", () =>
    Effect.gen(function* () {
      const s = yield* scenario(
        [
          {
            operationId: "incidentList",
            fault: Fault.error("QuotaMelted", { status: 409, message: "try later" })
          }
        ],
        (fd) => fd.incidents.list(window)
      )
      const error = yield* Effect.flip(yield* s.finish)
      assert.strictEqual(error._tag, "ApiError")
      assert.strictEqual(error.code, "QuotaMelted")
      assert.strictEqual(error.status, 409)
      assert.include(error.message, "try later")
      assert.strictEqual((yield* s.control.requests).length, 1)
    })
  )

  it.effect(
    "an unknown error code at HTTP 503 is a ServerError (the status says the server failed), retried on a read",
    () =>
      Effect.gen(function* () {
        const s = yield* scenario(
          [{ operationId: "incidentList", times: 1, fault: Fault.error("Overloaded", { status: 503 }) }],
          (fd) => fd.incidents.list(window)
        )
        yield* s.expectRetry(0, "ServerError", 500)
        assert.strictEqual((yield* s.finish)._tag, "Success")
        assert.deepStrictEqual(outcomes(yield* s.control.requests), [503, 200])
      })
  )
})
