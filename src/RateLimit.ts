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
 * requests (only those still within one window, in a log that grows as needed, so a high
 * limit costs no memory up front) and admits the next one no earlier than `window` after
 * the oldest, so no window of that length ever holds more than `limit` requests. (Effect's
 * `RateLimiter` store was considered: its token-bucket and fixed-window algorithms allow a
 * burst *plus* refill, i.e. up to twice the limit within one rolling minute, which is what
 * the server answers with 429s.) A request's admission time is recorded when it is
 * actually let go (after any wait, however late the wake), and waiters queue in FIFO lanes
 * so that only one of them sleeps on a window at a time: no rolling window ever holds more
 * than its limit, measured at admission, even when a busy event loop wakes sleepers late.
 * Time comes from `Clock`, so it paces correctly under `TestClock`. One limiter lives in
 * each client layer (one client = one account).
 *
 * That is the embedded default: it paces one process. Several processes that use one account
 * share its budget when a `RateLimitStore` is in the client layer's context
 * (`RateLimitStore.layerRedis()` over Effect's `Redis` service, `src/RateLimitStore.ts`): the same sliding windows, kept
 * in Redis by one Lua script, so that no rolling window holds more than the limit across all
 * of them; a `429` seen by one pauses them all; when Redis is unreachable each falls back to a
 * local limiter at its share of the limit (see `src/rateLimit/SharedLimiter.ts`).
 *
 * @example
 * ```ts
 * import { FlashdutyClient } from "effect-flashduty"
 *
 * FlashdutyClient.layer({ appKey: "…", rateLimit: { perSecond: 10, perMinute: 300 } })
 * FlashdutyClient.layer({ appKey: "…", rateLimit: false }) // off
 * ```
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import { ConfigurationError } from "./FlashdutyOptions.js"
import { rateLimitRule } from "./pipeline/optionRules.js"
import { sharedOptionsRule } from "./rateLimit/budget.js"
import { Lane } from "./rateLimit/Lane.js"
import { RateLimitStore } from "./rateLimit/store.js"
import type { OperationInfo, RateLimitSpec } from "./runtime/Operation.js"

/** The `rateLimit` option of the client. */
export interface RateLimitOptions {
  /** Account-wide requests per second. Default 50. */
  readonly perSecond?: number
  /** Account-wide requests per minute. Default 1,000. */
  readonly perMinute?: number
  /** Also honour each operation's documented limit when stricter. Default `true`. */
  readonly perOperation?: boolean
  /**
   * With a shared `RateLimitStore`: the account whose budget this client draws from.
   * Default: the app key (only a hash of it reaches the store). Required when the client logs
   * in with an `accessToken`, whose value changes when it is refreshed: name the account
   * (its id, or any stable string; it is hashed too). Ignored without a shared store.
   */
  readonly accountKey?: string | Redacted.Redacted<string>
  /**
   * With a shared store: the fraction of each limit this process uses on its own while the
   * store is unreachable, in `(0, 1]`. Default: one over the number of clients seen sharing
   * the budget within the last minute (¼ when none was seen yet, e.g. the store was down
   * from the start).
   */
  readonly fallbackShare?: number
}

/** The API's documented default per account. */
export const defaultLimits = { perSecond: 50, perMinute: 1000 } as const

/** One sliding window a request draws from: `limit` requests per `window`. */
export interface Bucket {
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

/** Where a limiter draws its budget from, for metrics and logs. */
export type LimiterMode =
  /** `rateLimit: false`. */
  | "off"
  /** The embedded default: this process's own windows. */
  | "local"
  /** The shared store (Redis): every process using the account. */
  | "shared"
  /** The shared store is unreachable: this process's share of each limit, locally. */
  | "fallback"

/**
 * A client-side limiter: `acquire(operation)` waits until the request may go (it never
 * fails); `penalize(operation, retryAfter)` is the server's feedback when it answered `429`
 * with a `Retry-After` (the pipeline calls it): with a shared store it pauses the budget
 * for every process (the operation's own when it has a stricter documented limit, else the
 * account's, at most one minute); the embedded default ignores it, as it always has (the
 * retry that follows waits `Retry-After`). `mode()` says where the budget comes from now.
 */
export interface ClientRateLimiter {
  readonly acquire: (operation: OperationInfo) => Effect.Effect<void>
  readonly penalize: (operation: OperationInfo, retryAfter: Duration.Duration) => Effect.Effect<void>
  readonly mode: () => LimiterMode
}

/** A limiter that never waits (`rateLimit: false`). */
const unlimited: ClientRateLimiter = {
  acquire: () => Effect.void,
  penalize: () => Effect.void,
  mode: () => "off"
}

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

/**
 * The admission times of a bucket's last `limit` requests that are still within one window
 * of now, oldest first, in a ring that grows on demand (doubling, up to `limit`): it holds
 * only as many times as were admitted within one window, so a limit of 50,000,000/s costs
 * nothing until that many requests are actually made. An admission older than one window
 * can never hold a later one back (the clock only moves forward), so dropping it keeps the
 * admissions exactly those of a log of the last `limit` requests.
 */
class SlidingWindow {
  private times: Float64Array
  /** Index of the oldest kept admission. */
  private head = 0
  private size = 0
  private readonly limit: number
  private readonly windowMillis: number

  constructor(bucket: Bucket) {
    // Operation limits come from the API's documentation (whole numbers); the floor is a guard.
    this.limit = Math.max(1, Math.floor(bucket.limit))
    this.times = new Float64Array(Math.min(this.limit, 16))
    this.windowMillis = Duration.toMillis(bucket.window)
  }

  /** Forgets the admissions that can no longer hold anything back at `now`. */
  private prune(now: number): void {
    while (this.size > 0 && this.times[this.head]! + this.windowMillis <= now) {
      this.head = this.head + 1 === this.times.length ? 0 : this.head + 1
      this.size--
    }
  }

  /** The earliest time at or after `now` when one more request fits in the window. */
  earliest(now: number): number {
    this.prune(now)
    return this.size < this.limit ? now : Math.max(now, this.times[this.head]! + this.windowMillis)
  }

  record(at: number): void {
    this.prune(at)
    if (this.size === this.limit) {
      // Only the last `limit` admissions matter (callers record only when there is room).
      this.head = this.head + 1 === this.times.length ? 0 : this.head + 1
      this.size--
    }
    if (this.size === this.times.length) this.grow()
    const index = this.head + this.size
    this.times[index < this.times.length ? index : index - this.times.length] = at
    this.size++
  }

  private grow(): void {
    const next = new Float64Array(Math.min(this.limit, this.times.length * 2))
    for (let i = 0; i < this.size; i++) {
      const index = this.head + i
      next[i] = this.times[index < this.times.length ? index : index - this.times.length]!
    }
    this.times = next
    this.head = 0
  }
}

/** What one operation's requests draw from, resolved once per operation. */
interface Plan {
  /** Every window: the account's and the operation's own. */
  readonly all: ReadonlyArray<SlidingWindow>
  /** The operation's own (stricter) windows; empty for most operations. */
  readonly own: ReadonlyArray<SlidingWindow>
  /** The operation's own lane, when it has windows of its own. */
  readonly lane: Lane | undefined
}

/** The earliest time at or after `now` when every window has room for one more request. */
const earliest = (windows: ReadonlyArray<SlidingWindow>, now: number): number => {
  let at = now
  for (const window of windows) at = Math.max(at, window.earliest(now))
  return at
}

/** Sleeps until `windows` have room, re-checking after each wake (a wake can come early or late). */
const untilRoom = (windows: ReadonlyArray<SlidingWindow>): Effect.Effect<void> =>
  Effect.clockWith((clock) => {
    const now = clock.currentTimeMillisUnsafe()
    const at = earliest(windows, now)
    return at <= now ? Effect.void : Effect.flatMap(Effect.sleep(at - now), () => untilRoom(windows))
  })

/**
 * Admits one request into `windows` at the time it is actually let go: checks and records in
 * the same synchronous step, sleeping and re-checking until there is room.
 */
const admit = (windows: ReadonlyArray<SlidingWindow>): Effect.Effect<void> =>
  Effect.clockWith((clock) => {
    const now = clock.currentTimeMillisUnsafe()
    const at = earliest(windows, now)
    if (at > now) return Effect.flatMap(Effect.sleep(at - now), () => admit(windows))
    for (const window of windows) window.record(now)
    return Effect.void
  })

/**
 * Builds the limiter of one client.
 *
 * The options are checked as the client's are (it is the same rule): `perSecond` and
 * `perMinute` must be positive whole numbers (`Infinity` is not a limit: `false` switches
 * limiting off), `perOperation` a boolean, `accountKey` a non-empty string, `fallbackShare` a
 * number in `(0, 1]`; otherwise `make` fails with a `ConfigurationError` naming the field
 * (`rateLimit.perSecond`), never with a defect.
 *
 * Without a `RateLimitStore` in the context (the default), the limiter is this
 * process's own: a request is admitted at once, without sleeping, when its windows have room
 * and nobody is queued before it. Otherwise it queues: first in its operation's own lane
 * (only operations with a stricter documented limit have one) until the operation's windows
 * have room, then in the account lane. The holder of a lane is the only caller sleeping on
 * its windows, and it records the time it is actually let go, after waking, so a late wake
 * (a busy event loop) can never bunch admissions: no window ever holds more than its limit,
 * measured at admission time. A caller waiting on its operation's limit does not hold up
 * other operations.
 *
 * With a `RateLimitStore` in the context, the same windows live in the store, shared by every
 * client whose budget key is the same: `accountKey` when given, else the app key in
 * `account.appKey` (hashed: the store never sees it). A client without either (an
 * `accessToken` login) fails with a `ConfigurationError` on `rateLimit.accountKey`.
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
export const make = (
  options: RateLimitOptions | false | undefined,
  account?: { readonly appKey?: Redacted.Redacted<string> | undefined }
): Effect.Effect<ClientRateLimiter, ConfigurationError> =>
  Effect.suspend(() => {
    const checked = Result.flatMap(rateLimitRule(options), (valid) =>
      Result.map(sharedOptionsRule(valid), () => valid)
    )
    if (Result.isFailure(checked)) {
      const [option, why] = checked.failure
      return Effect.fail(new ConfigurationError({ option, message: `${option} ${why}` }))
    }
    const valid = checked.success
    if (valid === false) return Effect.succeed(unlimited)
    return Effect.flatMap(Effect.serviceOption(RateLimitStore), (store) =>
      Option.isNone(store)
        ? Effect.succeed(limiterOf(valid))
        : store.value.limiter({
            accountKey: valid?.accountKey,
            appKey: account?.appKey,
            bucketsOf: (operation) =>
              bucketsFor(
                accountLimits(valid),
                (valid?.perOperation ?? true) ? operation.rateLimit : undefined,
                operation.operationId
              ),
            fallbackShare: valid?.fallbackShare,
            fallback: (scale, seed) => limiterOf(valid, scale, seed)
          })
    )
  })

/** The account-wide limits of checked options. */
const accountLimits = (options: RateLimitOptions | undefined) => ({
  perSecond: options?.perSecond ?? defaultLimits.perSecond,
  perMinute: options?.perMinute ?? defaultLimits.perMinute
})

/**
 * The local limiter of checked options. A shared limiter's fallback passes `scale`, which cuts
 * each bucket to the process's share, and `seed`, the admission times (oldest first) the
 * process already made in a bucket, so that they count in its new windows; the default keeps
 * the buckets as they are and starts them empty.
 */
const limiterOf = (
  options: RateLimitOptions | undefined,
  scale: (bucket: Bucket) => Bucket = (bucket) => bucket,
  seed?: (bucket: Bucket) => ReadonlyArray<number>
): ClientRateLimiter => {
  const account = accountLimits(options)
  const perOperation = options?.perOperation ?? true
  const accountLane = new Lane()
  const windowsByKey = new Map<string, SlidingWindow>()
  // Each operation's plan is resolved once, not per request.
  const plans = new Map<string, Plan>()
  const planOf = (operation: OperationInfo): Plan => {
    let plan = plans.get(operation.operationId)
    if (plan === undefined) {
      const all: Array<SlidingWindow> = []
      const own: Array<SlidingWindow> = []
      for (const bucket of bucketsFor(
        account,
        perOperation ? operation.rateLimit : undefined,
        operation.operationId
      ).map(scale)) {
        let window = windowsByKey.get(bucket.key)
        if (window === undefined) {
          window = new SlidingWindow(bucket)
          if (seed !== undefined) for (const at of seed(bucket)) window.record(at)
          windowsByKey.set(bucket.key, window)
        }
        all.push(window)
        if (!bucket.key.startsWith("account/")) own.push(window)
      }
      plan = { all, own, lane: own.length === 0 ? undefined : new Lane() }
      plans.set(operation.operationId, plan)
    }
    return plan
  }
  // The operation's own windows fill only through its lane's holder (a newcomer queues
  // behind it), so once they have room they keep it until the account lane admits.
  const queued = (plan: Plan): Effect.Effect<void> => {
    const throughAccount = accountLane.enter(admit(plan.all))
    return plan.lane === undefined
      ? throughAccount
      : plan.lane.enter(Effect.andThen(untilRoom(plan.own), throughAccount))
  }
  return {
    acquire: (operation) =>
      Effect.clockWith((clock) => {
        const plan = planOf(operation)
        const now = clock.currentTimeMillisUnsafe()
        if (accountLane.waiting === 0 && (plan.lane?.waiting ?? 0) === 0 && earliest(plan.all, now) <= now) {
          for (const window of plan.all) window.record(now)
          return Effect.void
        }
        return queued(plan)
      }),
    penalize: () => Effect.void,
    mode: () => "local"
  }
}
