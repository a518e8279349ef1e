/**
 * The opt-in circuit breaker (`circuitBreaker` option): Effect's `CircuitBreaker`
 * (`effect/persistence`) around each whole call, after its retries, so that it sees one outcome
 * per call and an open circuit skips the retry loop. A call it refuses fails with
 * `CircuitOpen` (nothing sent).
 *
 * Why not `HttpClient.withCircuitBreaker`: it classifies HTTP responses, one per attempt, by
 * status; the SDK's failures are decided after the body is read (an error envelope, an HTML
 * page from a proxy, a body cut short), and its own retries would each count as a failure.
 *
 * What counts, per call:
 *
 * | outcome | for the breaker |
 * | --- | --- |
 * | a value; an answer the API gave (4xx: `NotFound`, `InvalidParameter`, `ApiError`, …) | success: the API works |
 * | `ServerError`, `GatewayError` (not a redirect), `TransportError` (`Timeout`, `Network`, `ConnectionRefused`, `Body`) | failure |
 * | `RateLimited` (the limiter's business), `DecodeError`, `BodyTooLarge`, `Aborted`, an interruption, a defect | ignored |
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Metric from "effect/Metric"
import * as CircuitBreaker from "effect/persistence/CircuitBreaker"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { CircuitOpen, type FlashdutyError } from "../Errors.js"
import * as Metrics from "../Metrics.js"
import type { OperationInfo } from "../runtime/Operation.js"
import type { ClientBreaker } from "./breakerPolicy.js"

const classify = (exit: Exit.Exit<unknown, FlashdutyError>): CircuitBreaker.Outcome => {
  if (Exit.isSuccess(exit)) return CircuitBreaker.success
  const failure = exit.cause.reasons.find((r) => r._tag === "Fail")
  if (failure === undefined) return CircuitBreaker.ignored
  const error = failure.error as FlashdutyError
  switch (error._tag) {
    case "ServerError":
      return CircuitBreaker.failure()
    case "GatewayError":
      // A redirect is a misconfiguration, not an API that is down.
      return error.status === 0 || (error.status !== undefined && error.status >= 300 && error.status < 400)
        ? CircuitBreaker.ignored
        : CircuitBreaker.failure()
    case "TransportError":
      return error.reason === "BodyTooLarge" || error.reason === "Aborted"
        ? CircuitBreaker.ignored
        : CircuitBreaker.failure()
    case "RateLimited":
    case "DecodeError":
    case "CircuitOpen":
      return CircuitBreaker.ignored
    default:
      return CircuitBreaker.success
  }
}

const stateValue = { Closed: 0, HalfOpen: 1, Open: 2 } as const

/** Keeps the state gauge and the transition counter of the breaker's keys up to date. */
const trackTransitions = (breaker: CircuitBreaker.CircuitBreaker): Effect.Effect<void, never, Scope.Scope> =>
  breaker.transitions.pipe(
    Stream.runForEach((t) =>
      Effect.andThen(
        Metric.update(
          Metric.withAttributes(Metrics.circuitTransitions, { key: t.key, from: t.from, to: t.to }),
          1
        ),
        Metric.update(Metric.withAttributes(Metrics.circuitState, { key: t.key }), stateValue[t.to])
      )
    ),
    Effect.forkScoped({ startImmediately: true }),
    Effect.asVoid
  )

/** Guards calls with `breaker` under `key`, and keeps its metrics (in the client layer's scope). */
export const makeGuard = (
  breaker: CircuitBreaker.CircuitBreaker,
  key: string
): Effect.Effect<ClientBreaker, never, Scope.Scope> => {
  const refused = (operation: OperationInfo, error: CircuitBreaker.CircuitBreakerError): CircuitOpen => {
    const reason = error.reason
    const waiting =
      reason._tag === "CircuitOpen"
        ? `; the next probe is allowed in ${Duration.format(reason.retryAfter)}`
        : reason._tag === "CircuitHalfOpen"
          ? "; a probe call is in flight"
          : `; the breaker's store failed: ${reason.message}`
    return new CircuitOpen({
      message: `${operation.operationId}: refused by the open circuit breaker after repeated failures of the API${waiting} (nothing was sent)`,
      operationId: operation.operationId,
      key,
      ...(reason._tag === "CircuitOpen" ? { retryAfter: reason.retryAfter } : {})
    })
  }
  return Effect.as(trackTransitions(breaker), {
    guard: <A, R>(operation: OperationInfo, call: Effect.Effect<A, FlashdutyError, R>) =>
      Effect.mapError(
        breaker.execute(call, { key, classify: (exit: Exit.Exit<A, FlashdutyError>) => classify(exit) }),
        (error): FlashdutyError =>
          error instanceof CircuitBreaker.CircuitBreakerError ? refused(operation, error) : error
      )
  })
}
