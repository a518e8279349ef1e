/**
 * Configuration of a Flashduty client and of single calls.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { FlashdutyClient, Retry } from "effect-flashduty"
 *
 * const layer = FlashdutyClient.layer({
 *   appKey: Redacted.make(process.env.FLASHDUTY_APP_KEY ?? ""),
 *   timeout: "10 seconds",
 *   retry: Retry.backoff({ maxRetries: 5 }),
 *   rateLimit: { perSecond: 20 }
 * })
 * ```
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as HttpClient from "effect/http/HttpClient"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { CircuitBreakerPolicy } from "./pipeline/breakerPolicy.js"
import type { RateLimitOptions } from "./RateLimit.js"
import type { RetryPolicy } from "./Retry.js"

/** A secret as a caller may hand it over; it is wrapped in `Redacted` at once. */
export type SecretInput = string | Redacted.Redacted<string>

/**
 * The options of `Flashduty.layer` and `FlashdutyClient.layer`: credentials (`appKey` or
 * `accessToken`), `baseUrl` (the stand-in's URL in tests), timeouts, retries, rate limit.
 *
 * The layer built from them **needs an `HttpClient` layer** (`FetchHttpClient.layer` from
 * `effect/http`, or a platform client): without one, the program fails to compile with
 * `Type 'HttpClient' is not assignable to type 'never'`.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { Flashduty } from "effect-flashduty"
 *
 * const live = Flashduty.layer({ appKey: Redacted.make("…"), baseUrl: "http://127.0.0.1:4010" })
 * const run = <A, E>(program: Effect.Effect<A, E, Flashduty>) =>
 *   program.pipe(Effect.provide(live), Effect.provide(FetchHttpClient.layer), Effect.runPromise)
 * ```
 */
export interface FlashdutyOptions {
  /** The account's app key, sent as the `app_key` query parameter. Never logged or printed. */
  readonly appKey?: SecretInput
  /**
   * An OAuth access token (alternative to `appKey`), sent as `Authorization: Bearer`.
   * An `Effect` is evaluated before every request so that a caller can refresh the token;
   * if it fails, the call fails with `Unauthorized`.
   */
  readonly accessToken?: SecretInput | Effect.Effect<SecretInput, unknown>
  /** Default `https://api.flashcat.cloud`. A path prefix is kept (`https://proxy/flashduty`). */
  readonly baseUrl?: string | URL
  /** Per attempt, from sending to the last byte of the body. Default 30 s. */
  readonly timeout?: Duration.Input
  /** Default `effect-flashduty/<version>`. */
  readonly userAgent?: string
  /** Static headers, applied after the SDK's own (so they may override `Accept` or `User-Agent`). */
  readonly headers?: Readonly<Record<string, string>>
  /** Hook on the underlying `HttpClient`: tracing headers, logging, proxies. */
  readonly transformClient?: (client: HttpClient.HttpClient) => HttpClient.HttpClient
  /** Retry policy for every call (default `Retry.defaultPolicy`), or `false` for none. */
  readonly retry?: RetryPolicy | false
  /**
   * Retry the writes that are safe to re-send (`idempotent: true` in `operations`, reviewed in
   * `src/generated/IDEMPOTENT_WRITES.md`: acknowledging, resolving, setting a field) like reads,
   * when their outcome is unknown (a 5xx, a timeout). Default `true`; `false` sends every write once.
   */
  readonly retryIdempotentWrites?: boolean
  /**
   * Send the trace context of each call's span (`traceparent`, `b3`) with its requests, so a
   * distributed trace continues through the API. Default `true`; Effect's own switches
   * (`Tracer.DisablePropagation`, `HttpClient.TracerPropagationEnabled`) turn it off as well.
   */
  readonly traceContext?: boolean
  /**
   * Opt-in circuit breaker (Effect's `CircuitBreaker`): `CircuitBreaking.consecutive({ failures,
   * openFor })` (defaults 5 and 30 seconds) or `CircuitBreaking.fromBreaker(breaker)`. After
   * repeated calls that failed the way a failing API fails (5xx, a gateway's page, a timeout or
   * lost connection), calls fail fast with `CircuitOpen` (nothing sent) for the cool-down, then
   * one probe call decides. Default `false`.
   */
  readonly circuitBreaker?: CircuitBreakerPolicy | false
  /** Client-side rate limit (default 50/s and 1,000/min per account), or `false` for none. */
  readonly rateLimit?: RateLimitOptions | false
  /** Largest JSON response body accepted, in bytes. Default 10 MiB. */
  readonly maxResponseBytes?: number
}

/** Per-call overrides, the last argument of every generated method. */
export interface CallOptions {
  /** Replaces the client's retry policy for this call; `false` for no retry. */
  readonly retry?: RetryPolicy | false
  /** Replaces the client's per-attempt timeout for this call. */
  readonly timeout?: Duration.Input
  /** Extra headers for this call, applied after the client's. */
  readonly headers?: Readonly<Record<string, string>>
  /** Replaces the client's response size cap for this call. */
  readonly maxResponseBytes?: number
  /** Replaces the client's `retryIdempotentWrites` for this call. */
  readonly retryIdempotentWrites?: boolean
  /**
   * The bearer token of an operation that authenticates with its own token instead of the
   * client's credentials (an automation's HTTP-POST trigger: `automations.triggerFire` passes
   * it). Refused on any other operation.
   */
  readonly bearerToken?: SecretInput
}

/**
 * The options cannot make a working client: no credentials, an invalid base URL, a
 * non-positive timeout. Raised when the layer is built, before any request.
 */
export class ConfigurationError extends Schema.TaggedError<ConfigurationError>()("ConfigurationError", {
  message: Schema.String,
  /** The option at fault, e.g. `baseUrl`. */
  option: Schema.String
}) {}

/** Default base URL of the Flashduty Open API. */
export const defaultBaseUrl = "https://api.flashcat.cloud"
