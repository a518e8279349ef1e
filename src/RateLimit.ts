/**
 * Client-side rate limiting, so that a busy program slows itself down instead of
 * collecting `429`s.
 *
 * Every request takes one token from the account's buckets (by default 50 per second and
 * 1,000 per minute, the API's documented default) and from its operation's own buckets
 * when the operation documents a stricter limit (e.g. `20 requests/minute`). When a bucket
 * is empty the request waits (it never fails) until the bucket refills.
 *
 * Each bucket is a sliding-window log: it remembers the admission times of its last `limit`
 * requests and admits the next one no earlier than `window` after the oldest, so no window
 * of that length ever holds more than `limit` requests. (Effect's `RateLimiter` store was
 * considered: its token-bucket and fixed-window algorithms allow a burst *plus* refill,
 * i.e. up to twice the limit within one rolling minute, which is what the server answers
 * with 429s.) Admission is decided synchronously, so concurrent callers never overbook;
 * time comes from `Clock`, so it paces correctly under `TestClock`. One limiter lives in
 * each client layer (one client = one account).
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
 * where its documented limit is stricter than the API's documented default (50/s,
 * 1,000/min). Most operations document exactly that default, which the account buckets
 * (configurable) already cover.
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
  const defaultRate = ratePerSecond(defaultLimits.perSecond, "perSecond")
  for (const name of Object.keys(windows) as Array<WindowName>) {
    const limit = spec[name]
    if (limit === undefined || limit <= 0) continue
    const stricter =
      name === "perSecond"
        ? limit < defaultLimits.perSecond
        : name === "perMinute"
          ? limit < defaultLimits.perMinute
          : ratePerSecond(limit, name) < defaultRate
    if (stricter) buckets.push({ key: `operation/${operationId}/${name}`, limit, window: windows[name] })
  }
  return buckets
}

/** The admission times of a bucket's last `limit` requests, oldest at `head`. */
class SlidingWindow {
  private readonly admitted: Float64Array
  private head = 0
  private readonly windowMillis: number

  constructor(bucket: Bucket) {
    this.admitted = new Float64Array(Math.max(1, Math.floor(bucket.limit))).fill(Number.NEGATIVE_INFINITY)
    this.windowMillis = Duration.toMillis(bucket.window)
  }

  /** The earliest time at or after `now` when one more request fits in the window. */
  earliest(now: number): number {
    return Math.max(now, this.admitted[this.head]! + this.windowMillis)
  }

  record(at: number): void {
    this.admitted[this.head] = at
    this.head = (this.head + 1) % this.admitted.length
  }
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
export const make = (options: RateLimitOptions | false | undefined): Effect.Effect<ClientRateLimiter> =>
  Effect.sync(() => {
    if (options === false) return unlimited
    const account = {
      perSecond: options?.perSecond ?? defaultLimits.perSecond,
      perMinute: options?.perMinute ?? defaultLimits.perMinute
    }
    const perOperation = options?.perOperation ?? true
    const windowsByKey = new Map<string, SlidingWindow>()
    // Each operation's windows are looked up once, not per request.
    const byOperation = new Map<string, ReadonlyArray<SlidingWindow>>()
    const windowsOf = (operation: OperationInfo): ReadonlyArray<SlidingWindow> => {
      let found = byOperation.get(operation.operationId)
      if (found === undefined) {
        found = bucketsFor(
          account,
          perOperation ? operation.rateLimit : undefined,
          operation.operationId
        ).map((bucket) => {
          let window = windowsByKey.get(bucket.key)
          if (window === undefined) {
            window = new SlidingWindow(bucket)
            windowsByKey.set(bucket.key, window)
          }
          return window
        })
        byOperation.set(operation.operationId, found)
      }
      return found
    }
    return {
      acquire: (operation) =>
        Effect.clockWith((clock) => {
          const now = clock.currentTimeMillisUnsafe()
          const windows = windowsOf(operation)
          let at = now
          for (const window of windows) at = Math.max(at, window.earliest(now))
          // Reserve the slot before sleeping, so concurrent callers queue behind it.
          for (const window of windows) window.record(at)
          return at <= now ? Effect.void : Effect.sleep(at - now)
        })
    }
  })
