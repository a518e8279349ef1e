/**
 * The SDK as a user wires it, pointed at a loopback server: `Flashduty.layer` over the real
 * `FetchHttpClient`, with a sentinel app key, plus a record of every retry decision (the
 * wait the policy chose) so that tests can hold the client to its policy.
 */
import { Duration, Effect, Layer, Schedule } from "effect"
import { FetchHttpClient } from "effect/http"
import type { FlashdutyError } from "../../../src/Errors.js"
import type { FlashdutyOptions } from "../../../src/FlashdutyOptions.js"
import { Flashduty } from "../../../src/generated/Flashduty.js"
import type { RetryPolicy } from "../../../src/Retry.js"

/** A recognisable app key: no test output may ever contain it. */
export const SENTINEL_KEY = "SENTINEL-reliability-key-4b1d9a"
/** A recognisable bearer token, for the same checks. */
export const SENTINEL_TOKEN = "SENTINEL-bearer-token-93ce07"

/** The SDK over real HTTP to `baseUrl`; no client-side rate limit unless given. Bad options die. */
export const sdkLayer = (baseUrl: string, options: Partial<FlashdutyOptions> = {}): Layer.Layer<Flashduty> =>
  Flashduty.layer({ appKey: SENTINEL_KEY, baseUrl, rateLimit: false, ...options } as FlashdutyOptions).pipe(
    Layer.provide(FetchHttpClient.layer),
    Layer.orDie
  )

/** A consultation of the policy: the error it was fed and the wait it chose. */
export interface Decision {
  readonly error: FlashdutyError["_tag"]
  readonly waitMillis: number
}

/**
 * Wraps `policy` so that each time it is consulted is recorded (in order) before any wait
 * starts. The record proves what the policy decided; the clock proves it was honoured.
 * Only retryable errors reach the policy (the safety check runs first), so an error that
 * is never retried, such as a write's 5xx, is never recorded here.
 */
export const recorded = (
  policy: RetryPolicy
): { readonly policy: RetryPolicy; readonly decisions: Array<Decision> } => {
  const decisions: Array<Decision> = []
  return {
    decisions,
    policy: policy.pipe(
      Schedule.tap((meta) =>
        Effect.sync(() => {
          decisions.push({ error: meta.input._tag, waitMillis: Duration.toMillis(meta.duration) })
        })
      )
    )
  }
}
