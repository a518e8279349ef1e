/**
 * Client-side rate limiting, so that a busy program slows itself down instead of
 * collecting `429`s.
 *
 * Every request takes one token from the account's buckets (by default 50 per second and
 * 1,000 per minute, the API's documented default) and from its operation's own buckets
 * when the operation documents a stricter limit (e.g. `20 requests/minute`). When a bucket
 * is empty the request waits (it never fails) until the bucket refills.
 *
 * Built on Effect's `RateLimiter` (`effect/persistence`) with its in-memory store and the
 * token-bucket algorithm: a full bucket allows a burst, then one request per
 * `window / limit`. It reads time from `Clock`, so it paces correctly under `TestClock`.
 * One limiter lives in each client layer (one client = one account).
 *
 * @example
 * ```ts
 * import { FlashdutyClient } from "effect-flashduty"
 *
 * FlashdutyClient.layer({ appKey: "…", rateLimit: { perSecond: 10, perMinute: 300 } })
 * FlashdutyClient.layer({ appKey: "…", rateLimit: false }) // off
 * ```
 */
import { Duration, Effect } from "effect"
import { RateLimiter } from "effect/persistence"
import type { OperationInfo, RateLimitSpec } from "./Operation.js"

/** The `rateLimit` option of the client. */
export interface RateLimitOptions {
  /** Account-wide requests per second. Default 50. */
  readonly perSecond?: number
  /** Account-wide requests per minute. Default 1,000. */
  readonly perMinute?: number
  /** Also honour each operation's documented limit when stricter. Default `true`. */
  readonly perOperation?: boolean
}

/** The API's documented default per account. */
export const defaultLimits = { perSecond: 50, perMinute: 1000 } as const

interface Bucket {
  readonly key: string
  readonly limit: number
  readonly window: Duration.Duration
}

const windows = {
  perSecond: Duration.seconds(1),
  perMinute: Duration.minutes(1),
  perHour: Duration.hours(1),
  perDay: Duration.days(1)
} as const

type WindowName = keyof typeof windows

/** Per-second rate of a limit, to compare limits over different windows. */
const ratePerSecond = (limit: number, window: WindowName) => limit / Duration.toSeconds(windows[window])

/** A client-side limiter: `acquire(operation)` waits until the request may go. */
export interface ClientRateLimiter {
  readonly acquire: (operation: OperationInfo) => Effect.Effect<void>
}

/** A limiter that never waits (`rateLimit: false`). */
export const unlimited: ClientRateLimiter = { acquire: () => Effect.void }

/**
 * The buckets an operation's request draws from: the account's, plus the operation's own
 * where its documented limit is stricter than the account's for the same window.
 */
export const bucketsFor = (
  account: { readonly perSecond: number; readonly perMinute: number },
  spec: RateLimitSpec | undefined,
  operationId: string
): ReadonlyArray<Bucket> => {
  const buckets: Array<Bucket> = [
    { key: "account/second", limit: account.perSecond, window: windows.perSecond },
    { key: "account/minute", limit: account.perMinute, window: windows.perMinute }
  ]
  if (spec === undefined) return buckets
  const accountRate = Math.min(
    ratePerSecond(account.perSecond, "perSecond"),
    ratePerSecond(account.perMinute, "perMinute")
  )
  for (const name of Object.keys(windows) as Array<WindowName>) {
    const limit = spec[name]
    if (limit === undefined || limit <= 0) continue
    const accountLimit =
      name === "perSecond" ? account.perSecond : name === "perMinute" ? account.perMinute : undefined
    const stricter =
      accountLimit !== undefined ? limit < accountLimit : ratePerSecond(limit, name) < accountRate
    if (stricter) buckets.push({ key: `operation/${operationId}/${name}`, limit, window: windows[name] })
  }
  return buckets
}

/**
 * Builds the limiter of one client.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { RateLimit } from "effect-flashduty"
 *
 * const program = Effect.gen(function* () {
 *   const limiter = yield* RateLimit.make({ perSecond: 5 })
 *   // yield* limiter.acquire(operation) before each request
 * })
 * ```
 */
export const make = (options: RateLimitOptions | false | undefined): Effect.Effect<ClientRateLimiter> => {
  if (options === false) return Effect.succeed(unlimited)
  const account = {
    perSecond: options?.perSecond ?? defaultLimits.perSecond,
    perMinute: options?.perMinute ?? defaultLimits.perMinute
  }
  const perOperation = options?.perOperation ?? true
  return Effect.map(
    RateLimiter.make.pipe(Effect.provide(RateLimiter.layerStoreMemory)),
    (limiter): ClientRateLimiter => {
      // Bucket lists are computed once per operation, not per request.
      const cache = new Map<string, ReadonlyArray<Bucket>>()
      const bucketsOf = (operation: OperationInfo) => {
        let buckets = cache.get(operation.operationId)
        if (buckets === undefined) {
          buckets = bucketsFor(account, perOperation ? operation.rateLimit : undefined, operation.operationId)
          cache.set(operation.operationId, buckets)
        }
        return buckets
      }
      const consume = (bucket: Bucket) =>
        limiter.consume({ algorithm: "token-bucket", onExceeded: "delay", ...bucket })
      return {
        acquire: (operation) =>
          Effect.forEach(bucketsOf(operation), consume).pipe(
            Effect.flatMap((results) => {
              let wait = Duration.zero
              for (const result of results) wait = Duration.max(wait, result.delay)
              return Duration.isZero(wait) ? Effect.void : Effect.sleep(wait)
            }),
            // The in-memory store cannot fail; a failure here would be a bug in Effect.
            Effect.orDie
          )
      }
    }
  )
}
