/**
 * The SDK's metrics, through Effect's `Metric`: every call, retry, 429, wait on the rate
 * limiter and state of the circuit breaker is counted in the `MetricRegistry` of the context
 * (Effect's global one unless you provide another), so that teams sharing one account's budget
 * across processes can see it. Export them as you export any Effect metric: read
 * `Metric.snapshot`, or install an OpenTelemetry metrics layer (`@effect/opentelemetry`).
 *
 * | metric | type | attributes | what |
 * | --- | --- | --- | --- |
 * | `flashduty_calls_total` | counter | `operation`, `service`, `outcome` | calls, by outcome: `success` or the error's tag (`NotFound`, `RateLimited`, `CircuitOpen`, …) |
 * | `flashduty_call_duration` | timer (ms) | `operation`, `service` | a call from start to answer, retries and waits included |
 * | `flashduty_retries_total` | counter | `operation`, `service` | attempts after the first |
 * | `flashduty_rate_limited_total` | counter | `operation`, `service` | `429` / `RequestTooFrequently` answers (each attempt's) |
 * | `flashduty_rate_limiter_wait` | timer (ms) | `operation`, `service` | time an attempt waited on the client-side rate limiter |
 * | `flashduty_rate_limit_store_fallbacks_total` | counter | | times the shared rate-limit store was unreachable and the local limiter took over |
 * | `flashduty_circuit_state` | gauge | `key` | the breaker's state: 0 closed, 1 half-open, 2 open |
 * | `flashduty_circuit_transitions_total` | counter | `key`, `from`, `to` | the breaker's transitions |
 *
 * @example
 * ```ts
 * import { Console, Effect, Metric } from "effect"
 *
 * // Print the SDK's series, e.g. at shutdown or on an interval.
 * const report = Effect.flatMap(Metric.snapshot, (series) =>
 *   Console.log(series.filter((s) => s.id.startsWith("flashduty_")))
 * )
 * ```
 */
import * as Metric from "effect/Metric"

/** Calls, by `operation`, `service` and `outcome` (`success` or the error's `_tag`). */
export const calls = /*#__PURE__*/ Metric.counter("flashduty_calls_total", {
  description: "Flashduty calls, by operation and outcome (success or the error's tag)",
  incremental: true
})

/** How long a call took, retries and waits included, by `operation` and `service`. */
export const callDuration = /*#__PURE__*/ Metric.timer("flashduty_call_duration", {
  description: "Flashduty call duration, retries and rate-limiter waits included"
})

/** Attempts after the first, by `operation` and `service`. */
export const retries = /*#__PURE__*/ Metric.counter("flashduty_retries_total", {
  description: "Flashduty attempts after the first (retries)",
  incremental: true
})

/** `429` / `RequestTooFrequently` answers, by `operation` and `service`. */
export const rateLimited = /*#__PURE__*/ Metric.counter("flashduty_rate_limited_total", {
  description: "Flashduty answers that said too many requests (429 / RequestTooFrequently)",
  incremental: true
})

/** Time an attempt waited on the client-side rate limiter, by `operation` and `service`. */
export const rateLimiterWait = /*#__PURE__*/ Metric.timer("flashduty_rate_limiter_wait", {
  description: "Time Flashduty attempts waited on the client-side rate limiter"
})

/** Times the shared rate-limit store failed and the local limiter took over. */
export const rateLimitStoreFallbacks = /*#__PURE__*/ Metric.counter(
  "flashduty_rate_limit_store_fallbacks_total",
  {
    description: "Times the shared rate-limit store was unreachable and the local limiter took over",
    incremental: true
  }
)

/** The circuit breaker's state, by `key`: 0 closed, 1 half-open, 2 open. */
export const circuitState = /*#__PURE__*/ Metric.gauge("flashduty_circuit_state", {
  description: "Flashduty circuit breaker state: 0 closed, 1 half-open, 2 open"
})

/** The circuit breaker's transitions, by `key`, `from` and `to`. */
export const circuitTransitions = /*#__PURE__*/ Metric.counter("flashduty_circuit_transitions_total", {
  description: "Flashduty circuit breaker transitions",
  incremental: true
})
