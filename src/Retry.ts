/**
 * Retry policies for Flashduty calls.
 *
 * A policy is an ordinary `Schedule` whose input is the failed call's
 * {@link FlashdutyError}. The client applies it only to errors that are safe to retry
 * ({@link isRetryable}): a `429` always (the request was not processed); a server, gateway
 * or transport failure only for **read** operations, or for writes only when the
 * connection was refused (the request provably never reached the server). A write whose
 * outcome is unknown is never sent twice, whatever the schedule says.
 *
 * @example
 * ```ts
 * import { Effect, Layer, Schedule } from "effect"
 * import { FlashdutyClient, Retry } from "effect-flashduty"
 *
 * // per client: five retries, up to 10 s apart
 * FlashdutyClient.layer({ appKey: "…", retry: Retry.backoff({ maxRetries: 5, maxDelay: "10 seconds" }) })
 * // per call: any Schedule, or `false` for none
 * // fd.incidents.list(req, { retry: Retry.respectRetryAfter(Schedule.spaced("1 second").pipe(Schedule.upTo({ times: 2 }))) })
 * ```
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import type { FlashdutyError } from "./Errors.js"
import type { OperationInfo } from "./runtime/Operation.js"

/** A retry policy: any `Schedule` fed with the call's error. */
export type RetryPolicy = Schedule.Schedule<unknown, FlashdutyError>

/** Options of {@link backoff}. */
export interface BackoffOptions {
  /** First wait before jitter. Default 500 ms. */
  readonly base?: Duration.Input
  /** Growth factor per retry. Default 2. */
  readonly factor?: number
  /** Cap of each wait (before `Retry-After`, which may ask for longer). Default 30 s. */
  readonly maxDelay?: Duration.Input
  /** Number of retries after the first attempt. Default 3. */
  readonly maxRetries?: number
  /**
   * `"full"` (default): each wait is uniformly random in `[0, min(cap, base × factor^n)]`,
   * which spreads retries of many clients apart. `"none"`: the exact exponential wait.
   */
  readonly jitter?: "full" | "none"
  /** A `Retry-After` longer than this stops retrying (the error is returned). Default 60 s. */
  readonly maxRetryAfter?: Duration.Input
}

/** The wait a `RateLimited` error asks for, if any. */
export const retryAfterOf = (error: FlashdutyError): Duration.Duration | undefined =>
  error._tag === "RateLimited" ? error.retryAfter : undefined

/** Options of {@link respectRetryAfter}. */
export interface RespectRetryAfterOptions {
  /** A `Retry-After` longer than this stops retrying (the error is returned). Default 60 s. */
  readonly maxRetryAfter?: Duration.Input
}

/**
 * Makes a schedule wait at least as long as the server's `Retry-After`, and give up when
 * that is longer than `maxRetryAfter` (default 60 s) rather than sleeping for an hour.
 * Data-first or in a `pipe`.
 *
 * @example
 * ```ts
 * import { Schedule } from "effect"
 * import { Retry } from "effect-flashduty"
 *
 * const policy = Retry.respectRetryAfter(Schedule.spaced("200 millis").pipe(Schedule.upTo({ times: 4 })))
 * const piped = Schedule.spaced("200 millis").pipe(Retry.respectRetryAfter({ maxRetryAfter: "10 seconds" }))
 * ```
 */
export const respectRetryAfter: {
  (
    options?: RespectRetryAfterOptions
  ): <Output>(
    schedule: Schedule.Schedule<Output, FlashdutyError>
  ) => Schedule.Schedule<Output, FlashdutyError>
  <Output>(
    schedule: Schedule.Schedule<Output, FlashdutyError>,
    options?: RespectRetryAfterOptions
  ): Schedule.Schedule<Output, FlashdutyError>
} = dual(
  (args) => Schedule.isSchedule(args[0]),
  <Output>(
    schedule: Schedule.Schedule<Output, FlashdutyError>,
    options?: RespectRetryAfterOptions
  ): Schedule.Schedule<Output, FlashdutyError> => {
    const limit = Duration.fromInputUnsafe(options?.maxRetryAfter ?? "60 seconds")
    return schedule.pipe(
      Schedule.while(({ input }) => {
        const wait = retryAfterOf(input)
        return wait === undefined || Duration.isLessThanOrEqualTo(wait, limit)
      }),
      Schedule.modifyDelay(({ input, duration }) => {
        const wait = retryAfterOf(input)
        return Effect.succeed(wait === undefined ? duration : Duration.max(duration, wait))
      })
    )
  }
)

/**
 * Exponential backoff: base × factor^(n-1), each wait capped, full jitter by default, a
 * bounded number of retries, `Retry-After` honoured as the minimum wait.
 *
 * @example
 * ```ts
 * import { Retry } from "effect-flashduty"
 *
 * const patient = Retry.backoff({ base: "1 second", maxRetries: 6 })
 * ```
 */
export const backoff = (options: BackoffOptions = {}): RetryPolicy => {
  const capMillis = Duration.toMillis(Duration.fromInputUnsafe(options.maxDelay ?? "30 seconds"))
  const fullJitter = (options.jitter ?? "full") === "full"
  const exponential = Schedule.exponential(options.base ?? "500 millis", options.factor ?? 2).pipe(
    Schedule.modifyDelay(({ duration }) => {
      const capped = Math.min(Duration.toMillis(duration), capMillis)
      return fullJitter ? Effect.map(Random.next, (r) => Duration.millis(r * capped)) : Effect.succeed(capped)
    }),
    Schedule.upTo({ times: options.maxRetries ?? 3 }),
    Schedule.setInputType<FlashdutyError>()
  )
  return respectRetryAfter(
    exponential,
    options.maxRetryAfter === undefined ? undefined : { maxRetryAfter: options.maxRetryAfter }
  )
}

/**
 * The default policy: exponential from 500 ms, ×2, full jitter, each wait capped at 30 s,
 * at most 3 retries, `Retry-After` respected as the minimum wait.
 */
export const defaultPolicy: RetryPolicy = backoff()

/** No retry at all (same as passing `retry: false`). */
export const never: RetryPolicy = Schedule.recurs(0)

/**
 * Whether retrying `error` is safe for an operation of the given access.
 *
 * - `RateLimited` (`429`, `RequestTooFrequently`): always; the server did not process it.
 * - `TransportError` with reason `ConnectionRefused`: always; nothing reached the server.
 * - Reads only: `ServerError`, `GatewayError`, any error with a 5xx status, and transport
 *   failures that may have happened mid-flight (`Timeout`, `Network`, `Body`).
 * - Never: caller mistakes and answers that retrying cannot change (4xx, `DecodeError`,
 *   `BodyTooLarge`, `Aborted`, a redirect), and `CircuitOpen` (nothing was sent).
 *
 * @example
 * ```ts
 * import { Retry, TransportError } from "effect-flashduty"
 *
 * Retry.isRetryable(new TransportError({ message: "timed out", reason: "Timeout" }), "write") // false
 * ```
 */
export const isRetryable = (error: FlashdutyError, access: OperationInfo["access"]): boolean => {
  switch (error._tag) {
    case "RateLimited":
      return true
    case "TransportError":
      if (error.reason === "ConnectionRefused") return true
      return (
        access === "read" &&
        (error.reason === "Timeout" || error.reason === "Network" || error.reason === "Body")
      )
    case "ServerError":
      return access === "read"
    case "GatewayError":
      // A redirect (3xx, or status 0: an opaque one) is the same on every attempt.
      return (
        access === "read" &&
        !(error.status === 0 || (error.status !== undefined && error.status >= 300 && error.status < 400))
      )
    case "DecodeError":
    case "InvalidParameter":
    // The breaker refused the call: nothing was sent, and retrying would only knock again.
    case "CircuitOpen":
      return false
    default:
      return access === "read" && error.status !== undefined && error.status >= 500
  }
}
