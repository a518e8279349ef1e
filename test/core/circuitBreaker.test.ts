/**
 * The opt-in circuit breaker: consecutive calls that fail as a failing API fails (5xx, a
 * gateway's page, a transport failure) open it; while open, calls fail with `CircuitOpen`
 * before anything is sent, are never retried, and say when a probe is allowed; after the
 * cool-down one probe decides. Answers that prove the API works (4xx) never trip it.
 */
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Metric } from "effect"
import { CircuitBreaker as EffectBreaker } from "effect/persistence"
import { TestClock } from "effect/testing"
import * as CircuitBreaking from "../../src/CircuitBreaking.js"
import type { FlashdutyError } from "../../src/Errors.js"
import { isFlashdutyError } from "../../src/Errors.js"
import type { FlashdutyOptions } from "../../src/FlashdutyOptions.js"
import * as Metrics from "../../src/Metrics.js"
import * as Retry from "../../src/Retry.js"
import { incidentList } from "./endpoints.js"
import { apiError, ok, text } from "./fakeHttp.js"
import { withClient } from "./harness.js"

const window = { start_time: 1, end_time: 2 }

/** A server whose answers follow `plan` (one per request, the last repeated), and what it saw. */
const scripted = (plan: ReadonlyArray<() => Response>) => {
  let n = 0
  return () => plan[Math.min(n++, plan.length - 1)]!()
}
const down = () => apiError("ServiceUnavailable", "maintenance", 503)
const html = () => text("<html>502 Bad Gateway</html>", 502, { "content-type": "text/html" })

const run = (
  respond: () => Response,
  calls: (call: () => Effect.Effect<unknown, FlashdutyError>) => Effect.Effect<ReadonlyArray<unknown>>,
  options: Partial<FlashdutyOptions> = {}
) =>
  withClient(
    respond,
    (client, http) =>
      Effect.map(
        calls(() => client.call(incidentList, window)),
        (results) => ({ results, sent: () => http.requests.length })
      ),
    { circuitBreaker: CircuitBreaking.consecutive({ failures: 2, openFor: "1 minute" }), ...options }
  )

const outcome = (effect: Effect.Effect<unknown, FlashdutyError>) =>
  Effect.match(effect, { onFailure: (e) => e, onSuccess: () => "ok" as const })

describe("circuit breaker", () => {
  it.effect(
    "opens after consecutive failures; an open circuit sends nothing and says when to come back",
    () =>
      Effect.gen(function* () {
        const { results, sent } = yield* run(scripted([down, html, () => ok({ items: [] })]), (call) =>
          Effect.all([outcome(call()), outcome(call()), outcome(call()), outcome(call())])
        )
        const tags = results.map((r) => (r === "ok" ? r : (r as FlashdutyError)._tag))
        assert.deepStrictEqual(tags, ["ServerError", "GatewayError", "CircuitOpen", "CircuitOpen"])
        assert.strictEqual(sent(), 2, "the open circuit sent nothing")
        const refused = results[2] as FlashdutyError
        assert.isTrue(isFlashdutyError(refused))
        if (refused._tag === "CircuitOpen") {
          assert.include(refused.message, "nothing was sent")
          assert.strictEqual(refused.operationId, "incidentList")
          assert.isTrue(Duration.isDuration(refused.retryAfter))
          assert.isTrue(Duration.isGreaterThan(refused.retryAfter!, Duration.seconds(50)))
        }
      })
  )

  it.effect("after the cool-down one probe goes through; its success closes the circuit", () =>
    Effect.gen(function* () {
      const { results, sent } = yield* run(scripted([down, down, () => ok({ items: [] })]), (call) =>
        Effect.gen(function* () {
          const before = [yield* outcome(call()), yield* outcome(call()), yield* outcome(call())]
          yield* TestClock.adjust("61 seconds")
          const after = [yield* outcome(call()), yield* outcome(call())]
          return [...before, ...after]
        })
      )
      const tags = results.map((r) => (r === "ok" ? r : (r as FlashdutyError)._tag))
      assert.deepStrictEqual(tags, ["ServerError", "ServerError", "CircuitOpen", "ok", "ok"])
      assert.strictEqual(sent(), 4)
    })
  )

  it.effect("answers that prove the API works (4xx) never open it", () =>
    Effect.gen(function* () {
      const { results, sent } = yield* run(
        () => apiError("InvalidParameter", "bad", 400),
        (call) => Effect.all(Array.from({ length: 5 }, () => outcome(call())))
      )
      assert.isTrue(results.every((r) => (r as FlashdutyError)._tag === "InvalidParameter"))
      assert.strictEqual(sent(), 5)
    })
  )

  it.effect(
    "sees one outcome per call: its retries are not failures of their own, and CircuitOpen is never retried",
    () =>
      Effect.gen(function* () {
        // Each call retries 3 times (4 attempts): two calls open the circuit at failures: 2.
        const { results, sent } = yield* run(
          down,
          (call) =>
            Effect.gen(function* () {
              const first = yield* Effect.forkChild(outcome(call()))
              yield* TestClock.adjust("1 minute")
              const a = yield* Fiber.join(first)
              const second = yield* Effect.forkChild(outcome(call()))
              yield* TestClock.adjust("1 minute")
              const b = yield* Fiber.join(second)
              return [a, b, yield* outcome(call())]
            }),
          { retry: Retry.backoff({ maxRetries: 3, base: "10 millis" }) }
        )
        assert.strictEqual(sent(), 8, "4 attempts per call, nothing for the refused one")
        assert.strictEqual((results[2] as FlashdutyError)._tag, "CircuitOpen")
      })
  )

  it.effect("its state and transitions are metrics; a refused call counts as CircuitOpen", () =>
    Effect.gen(function* () {
      yield* run(down, (call) => Effect.all([outcome(call()), outcome(call()), outcome(call())]))
      yield* Effect.yieldNow
      const snapshot = yield* Metric.snapshot
      const state = snapshot.find((s) => s.id === "flashduty_circuit_state")
      assert.isDefined(state)
      assert.strictEqual((state!.state as { value: number }).value, 2, "open")
      const refused = snapshot.find(
        (s) => s.id === "flashduty_calls_total" && s.attributes?.outcome === "CircuitOpen"
      )
      assert.strictEqual((refused!.state as { count: number }).count, 1)
    }).pipe(Effect.provideService(Metric.MetricRegistry, new Map()))
  )

  it.effect("a breaker of your own (CircuitBreaking.fromBreaker), e.g. shared through a store", () =>
    Effect.gen(function* () {
      const breaker = yield* EffectBreaker.make({
        tripPolicy: EffectBreaker.consecutive(1),
        openDuration: "1 minute"
      })
      const { results, sent } = yield* run(down, (call) => Effect.all([outcome(call()), outcome(call())]), {
        circuitBreaker: CircuitBreaking.fromBreaker(breaker)
      })
      assert.deepStrictEqual(
        results.map((r) => (r as FlashdutyError)._tag),
        ["ServerError", "CircuitOpen"]
      )
      assert.strictEqual(sent(), 1)
    }).pipe(Effect.scoped, Effect.provide(EffectBreaker.layerStoreMemory()))
  )

  it.effect("off by default; invalid settings are a ConfigurationError", () =>
    Effect.gen(function* () {
      const { sent } = yield* run(
        down,
        (call) => Effect.all(Array.from({ length: 4 }, () => outcome(call()))),
        {
          circuitBreaker: false
        }
      )
      assert.strictEqual(sent(), 4)
      for (const bad of [
        CircuitBreaking.consecutive({ failures: 0 }),
        CircuitBreaking.consecutive({ failures: 1.5 }),
        CircuitBreaking.consecutive({ openFor: "soon" as never }),
        { failures: 2 },
        true,
        "yes"
      ]) {
        const error = yield* Effect.flip(
          run(down, (call) => Effect.all([outcome(call())]), { circuitBreaker: bad as never })
        )
        assert.strictEqual(error._tag, "ConfigurationError", String(bad))
      }
      assert.strictEqual(Metrics.circuitState.id, "flashduty_circuit_state")
    })
  )
})
