/**
 * The SDK's metrics (`src/Metrics.ts`) as a user reads them with `Metric.snapshot`: calls by
 * operation and outcome, their duration, retries, 429 answers and the time spent waiting on
 * the rate limiter, each in the context's `MetricRegistry`.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Metric } from "effect"
import { TestClock } from "effect/testing"
import * as Retry from "../../src/Retry.js"
import { incidentList } from "./endpoints.js"
import { apiError, ok } from "./fakeHttp.js"
import { withClient } from "./harness.js"

const window = { start_time: 1, end_time: 2 }

/** The state of the series `id` whose attributes include `attributes`. */
const series = (id: string, attributes: Record<string, string>) =>
  Effect.map(
    Metric.snapshot,
    (all) =>
      all.find((s) => s.id === id && Object.entries(attributes).every(([k, v]) => s.attributes?.[k] === v))
        ?.state as { count?: number; value?: number; sum?: number } | undefined
  )

const isolated = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.provideService(effect, Metric.MetricRegistry, new Map())

describe("metrics", () => {
  it.effect("calls by operation and outcome, with their duration", () =>
    isolated(
      Effect.gen(function* () {
        let n = 0
        yield* withClient(
          () => (n++ % 2 === 0 ? ok({ items: [] }) : apiError("ResourceNotFound", "gone", 404)),
          (client) =>
            Effect.all([
              Effect.ignore(client.call(incidentList, window)),
              Effect.ignore(client.call(incidentList, window)),
              Effect.ignore(client.call(incidentList, window))
            ])
        )
        const labels = { operation: "incidentList", service: "incidents" }
        assert.strictEqual(
          (yield* series("flashduty_calls_total", { ...labels, outcome: "success" }))?.count,
          2
        )
        assert.strictEqual(
          (yield* series("flashduty_calls_total", { ...labels, outcome: "NotFound" }))?.count,
          1
        )
        assert.strictEqual((yield* series("flashduty_call_duration", labels))?.count, 3)
      })
    )
  )

  it.effect("retries and 429 answers", () =>
    isolated(
      Effect.gen(function* () {
        let n = 0
        const fiber = yield* Effect.forkChild(
          withClient(
            () => (n++ < 2 ? apiError("RequestTooFrequently", "slow down", 429) : ok({ items: [] })),
            (client) => client.call(incidentList, window),
            { retry: Retry.backoff({ maxRetries: 3, base: "10 millis" }) }
          )
        )
        yield* TestClock.adjust("1 minute")
        yield* Fiber.join(fiber)
        const labels = { operation: "incidentList" }
        assert.strictEqual((yield* series("flashduty_retries_total", labels))?.count, 2)
        assert.strictEqual((yield* series("flashduty_rate_limited_total", labels))?.count, 2)
        assert.strictEqual(
          (yield* series("flashduty_calls_total", { ...labels, outcome: "success" }))?.count,
          1
        )
      })
    )
  )

  it.effect("time waiting on the client-side rate limiter", () =>
    isolated(
      Effect.gen(function* () {
        const fiber = yield* Effect.forkChild(
          withClient(
            () => ok({ items: [] }),
            (client) => Effect.all([client.call(incidentList, window), client.call(incidentList, window)]),
            { rateLimit: { perSecond: 1 } }
          )
        )
        yield* TestClock.adjust("5 seconds")
        yield* Fiber.join(fiber)
        const wait = yield* series("flashduty_rate_limiter_wait", { operation: "incidentList" })
        assert.strictEqual(wait?.count, 2)
        assert.isAtLeast(wait?.sum ?? 0, 900, "the second call waited about a second (ms)")
      })
    )
  )
})
