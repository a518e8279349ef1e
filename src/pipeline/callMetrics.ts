/**
 * Recording a call in the SDK's metrics (`src/Metrics.ts`). The per-operation series are built
 * once and kept (a metric with attributes caches its registry key), so recording costs a map
 * lookup and an add per update.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Metric from "effect/Metric"
import { type FlashdutyError, isFlashdutyError } from "../Errors.js"
import * as Metrics from "../Metrics.js"
import type { OperationInfo } from "../runtime/Operation.js"

interface Series {
  readonly attributes: { readonly operation: string; readonly service: string }
  readonly outcomes: Map<string, Metric.Metric<number, unknown>>
  readonly duration: Metric.Metric<Duration.Duration, unknown>
  readonly retries: Metric.Metric<number, unknown>
  readonly rateLimited: Metric.Metric<number, unknown>
  readonly limiterWait: Metric.Metric<Duration.Duration, unknown>
}

const seriesByOperation = new WeakMap<OperationInfo, Series>()

const seriesOf = (operation: OperationInfo): Series => {
  let series = seriesByOperation.get(operation)
  if (series === undefined) {
    const attributes = { operation: operation.operationId, service: operation.service }
    series = {
      attributes,
      outcomes: new Map(),
      duration: Metric.withAttributes(Metrics.callDuration, attributes),
      retries: Metric.withAttributes(Metrics.retries, attributes),
      rateLimited: Metric.withAttributes(Metrics.rateLimited, attributes),
      limiterWait: Metric.withAttributes(Metrics.rateLimiterWait, attributes)
    }
    seriesByOperation.set(operation, series)
  }
  return series
}

const outcomeOf = (series: Series, outcome: string): Metric.Metric<number, unknown> => {
  let metric = series.outcomes.get(outcome)
  if (metric === undefined) {
    metric = Metric.withAttributes(Metrics.calls, { ...series.attributes, outcome })
    series.outcomes.set(outcome, metric)
  }
  return metric
}

/** `effect` (one whole call) counted by outcome and timed; an interrupted call counts as `interrupted`. */
export const measured = <A, R>(
  operation: OperationInfo,
  effect: Effect.Effect<A, FlashdutyError, R>
): Effect.Effect<A, FlashdutyError, R> =>
  Effect.flatMap(Clock.currentTimeMillis, (started) =>
    Effect.onExit(effect, (exit) =>
      Effect.flatMap(Clock.currentTimeMillis, (ended) => {
        const series = seriesOf(operation)
        const error = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail") : undefined
        const outcome = Exit.isSuccess(exit)
          ? "success"
          : error !== undefined && isFlashdutyError(error.error)
            ? error.error._tag
            : exit.cause.reasons.some((r) => r._tag === "Interrupt")
              ? "interrupted"
              : "defect"
        return Effect.andThen(
          Metric.update(outcomeOf(series, outcome), 1),
          Metric.update(series.duration, Duration.millis(ended - started))
        )
      })
    )
  )

/** Counts an attempt: every one after the first is a retry. */
export const countRetry = (operation: OperationInfo): Effect.Effect<void> =>
  Metric.update(seriesOf(operation).retries, 1)

/** Counts a `429` / `RequestTooFrequently` answer. */
export const countRateLimited = (operation: OperationInfo): Effect.Effect<void> =>
  Metric.update(seriesOf(operation).rateLimited, 1)

/** Records how long an attempt waited on the rate limiter. */
export const recordLimiterWait = (operation: OperationInfo, millis: number): Effect.Effect<void> =>
  Metric.update(seriesOf(operation).limiterWait, Duration.millis(millis))
