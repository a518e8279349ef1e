/**
 * The limiter of a client whose budget is shared through a {@link RateLimitStore}: every
 * process using the account draws from the same windows, kept by the store.
 *
 * - **Admission.** A request asks the store to admit it into all its windows at once (the
 *   account's, and its operation's own when stricter). Refused, it sleeps as long as the store
 *   says and asks again. Within the process, callers queue as in the embedded limiter: in
 *   their operation's lane while the operation's own windows (or pause) hold them back, in the
 *   account lane while the account's do, so that one caller per lane asks the store, not
 *   every waiting fiber.
 * - **Feedback.** `penalize(operation, retryAfter)` (a `429`) writes a pause record that every
 *   process respects: the operation's own when it has a stricter documented limit, else the
 *   account's (at most one minute: no account window is longer).
 * - **Fallback.** When the store fails or does not answer within its `timeout`, the process
 *   logs it once and paces itself with a local limiter at its share of each limit
 *   (`fallbackShare`, or one over the number of clients the store last saw sharing the
 *   budget). Every call still goes out: none fails because the store is down. Every
 *   `probeInterval` one call tries the store again; when it answers, the process puts its own
 *   recent admissions back into it (so the shared windows count what was sent while it was
 *   down) and draws from the shared budget again, logging that once too.
 * - **Restart.** If the store lost its state (a restarted Redis), the first request to notice
 *   puts the process's own recent admissions back before it is admitted, so a restart does
 *   not open a second budget within a window.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import { rateLimitStoreFallbacks } from "../Metrics.js"
import type { Bucket, ClientRateLimiter, LimiterMode } from "../RateLimit.js"
import type { OperationInfo } from "../runtime/Operation.js"
import { Lane } from "./Lane.js"
import {
  peerTtlMillis,
  type RateLimitStoreError,
  type SharedLimiterInput,
  type StoreBackend,
  type StoreBucket,
  type StorePause,
  type StoreVerdict
} from "./store.js"

/** The share of each limit a process takes when it has never seen how many share the budget. */
export const unknownPeersShare = 0.25

/** Resumes after the event loop's next turn, once pending I/O has been read (`setImmediate`). */
const nextTurn: Effect.Effect<void> = Effect.callback<void>((resume) => {
  if (typeof setImmediate !== "function") {
    const timer = setTimeout(() => resume(Effect.void), 0)
    return Effect.sync(() => clearTimeout(timer))
  }
  const immediate = setImmediate(() => resume(Effect.void))
  return Effect.sync(() => clearImmediate(immediate))
})

/** A per-second window: the account's or an operation's own. */
const isPerSecond = (key: string) => key.endsWith("/second") || key.endsWith("/perSecond")

/** No account window is longer than a minute: a longer `Retry-After` pauses the account no longer. */
const accountPauseCapMillis = 60_000

export interface SharedLimiterConfig extends Omit<SharedLimiterInput, "accountKey" | "appKey"> {
  readonly store: StoreBackend
  /** The hash of the account key. */
  readonly budget: string
}

/**
 * A bucket cut to a share of its limit: `floor(limit × share)` per window (plus the store's
 * margin), so that the shares of all processes never add up to more than the limit in any
 * window; below one request per window, one per `window / (limit × share)`, so that they add
 * up to the limit on average.
 */
export const shareOf =
  (share: number, marginFor: (windowMillis: number) => number = () => 0) =>
  (bucket: Bucket): Bucket => {
    const allowed = bucket.limit * share
    const windowMillis = Duration.toMillis(bucket.window)
    const marginMillis = marginFor(windowMillis)
    return allowed >= 1
      ? { ...bucket, limit: Math.floor(allowed + 1e-9), window: Duration.millis(windowMillis + marginMillis) }
      : { ...bucket, limit: 1, window: Duration.millis(windowMillis / allowed + marginMillis) }
  }

/** What one operation's requests draw from, resolved once per operation. */
interface Plan {
  readonly buckets: ReadonlyArray<StoreBucket>
  readonly pauses: ReadonlyArray<StorePause>
  /** The operation's own lane, when it has windows of its own. */
  readonly lane: Lane | undefined
  /** Where a `429` on this operation pauses: its own budget when it has one, else the account's. */
  readonly pauseKey: string
  readonly pauseCapMillis: number
}

/** One admission as this process remembers it, to put it back into a store that lost it. */
interface Remembered {
  readonly at: number
  readonly member: string
}

/** This process's own admissions per window, those still within it. */
class AdmissionLog {
  private readonly windows = new Map<string, { readonly windowMillis: number; entries: Array<Remembered> }>()

  record(buckets: ReadonlyArray<StoreBucket>, member: string, at: number): void {
    for (const bucket of buckets) {
      let window = this.windows.get(bucket.key)
      if (window === undefined) {
        window = { windowMillis: bucket.windowMillis, entries: [] }
        this.windows.set(bucket.key, window)
      }
      window.entries.push({ at, member })
      this.prune(window, at)
    }
  }

  private prune(window: { readonly windowMillis: number; entries: Array<Remembered> }, now: number): void {
    let drop = 0
    while (drop < window.entries.length && window.entries[drop]!.at + window.windowMillis <= now) drop++
    // Dropping in batches keeps recording O(1) amortised.
    if (drop > 64 || drop === window.entries.length) window.entries = window.entries.slice(drop)
  }

  /** Every window with the admissions still within it, as ages at `now`. */
  snapshot(now: number) {
    return Array.from(this.windows, ([key, window]) => ({
      key,
      windowMillis: window.windowMillis,
      entries: window.entries
        .filter((entry) => entry.at + window.windowMillis > now)
        .map((entry) => [entry.member, Math.max(0, now - entry.at)] as const)
    }))
  }

  /** The times of this process's admissions in one window, oldest first. */
  timesOf(key: string): ReadonlyArray<number> {
    return this.windows.get(key)?.entries.map((entry) => entry.at) ?? []
  }

  longestWindow(): number {
    let longest = 60_000
    for (const window of this.windows.values()) longest = Math.max(longest, window.windowMillis)
    return longest
  }
}

/** The outcome of one trip to the store, for the lanes. */
type Step =
  | { readonly _tag: "Admitted" }
  | { readonly _tag: "Down" }
  | { readonly _tag: "Wait"; readonly accountMillis: number; readonly ownMillis: number }

const admitted: Step = { _tag: "Admitted" }
const down: Step = { _tag: "Down" }

/** Why the store counts as unreachable, for the one log line. */
const describeFailure = (error: RateLimitStoreError | "timeout", timeout: Duration.Duration) =>
  error === "timeout" ? `did not answer within ${Duration.format(timeout)}` : `failed (${error.message})`

/** How long building the limiter waits for the store to get ready (first connection, scripts loaded). */
const prepareMillis = 1_000

/**
 * Builds the shared limiter of one client, after the store got ready (at most a second, or the
 * store's timeout if longer): a store unreachable then makes the client start on its share.
 */
export const makeShared = (config: SharedLimiterConfig): Effect.Effect<ClientRateLimiter> =>
  Effect.suspend(() => {
    const limiter = sharedLimiter(config)
    return Effect.as(limiter.prepare, limiter.limiter)
  })

const sharedLimiter = (config: SharedLimiterConfig) => {
  const { store, budget } = config
  const client = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
  let sequence = 0
  const nextMember = () => `${client}.${(sequence++).toString(36)}`
  const log = new AdmissionLog()
  /** Pauses seen by this process (key → until, local clock): respected while in fallback, restored after. */
  const localPauses = new Map<string, number>()

  let mode: "shared" | "fallback" = "shared"
  /** How many clients the store last saw sharing the budget (0: never reached it). */
  let peers = 0
  /** When this process lost the store (local clock). */
  let downAt = 0
  /**
   * After an outage, how many clients shared the budget before it (0: no outage, or all are
   * back): until as many are back, the store keeps the share of those still missing for them.
   */
  let expectedPeers = 0
  let recoveredAt = 0
  let fallbackLimiter: ClientRateLimiter | undefined
  let nextProbeAt = 0
  let probing = false

  const accountLane = new Lane()
  const plans = new Map<string, Plan>()
  const planOf = (operation: OperationInfo): Plan => {
    let plan = plans.get(operation.operationId)
    if (plan === undefined) {
      const buckets = config.bucketsOf(operation).map(
        (bucket): StoreBucket => ({
          key: bucket.key,
          limit: Math.max(1, Math.floor(bucket.limit)),
          windowMillis: Duration.toMillis(bucket.window),
          own: !bucket.key.startsWith("account/")
        })
      )
      const own = buckets.filter((bucket) => bucket.own)
      const ownPause = `pause/operation/${operation.operationId}`
      plan = {
        buckets,
        pauses:
          own.length === 0
            ? [{ key: "pause/account", own: false }]
            : [
                { key: "pause/account", own: false },
                { key: ownPause, own: true }
              ],
        lane: own.length === 0 ? undefined : new Lane(),
        pauseKey: own.length === 0 ? "pause/account" : ownPause,
        pauseCapMillis:
          own.length === 0 ? accountPauseCapMillis : Math.max(...own.map((bucket) => bucket.windowMillis))
      }
      plans.set(operation.operationId, plan)
    }
    return plan
  }

  /**
   * One call to the store, bounded by its timeout; a failure is `"timeout"` or the store's
   * error. When the timer fires, the answer gets one more turn of the event loop: after a
   * stall (a busy process), timers run before the socket is read, and an answer that arrived
   * in time would otherwise count as a timeout.
   */
  const expired = Effect.andThen(
    Effect.sleep(store.timeout),
    Effect.andThen(nextTurn, Effect.fail("timeout" as const))
  )
  const bounded = <A>(
    effect: Effect.Effect<A, RateLimitStoreError>
  ): Effect.Effect<A, RateLimitStoreError | "timeout"> => Effect.raceFirst(effect, expired)

  /** Switches to this process's share, once per outage, and says so once. */
  const markDown = (error: RateLimitStoreError | "timeout"): Effect.Effect<void> =>
    Effect.clockWith((clock) => {
      if (mode === "fallback") return Effect.void
      mode = "fallback"
      const now = clock.currentTimeMillisUnsafe()
      downAt = now
      expectedPeers = Math.max(expectedPeers, peers)
      const share = config.fallbackShare ?? (peers > 0 ? 1 / peers : unknownPeersShare)
      fallbackLimiter = config.fallback(shareOf(share, store.marginFor), (bucket) =>
        // What this process sent through the store still counts against its share; and the
        // other processes' admissions of the last second, which it cannot see, may have
        // filled the per-second windows: those start full, for one window (a pause of a
        // second at most, never a refusal). Longer windows are not held back.
        isPerSecond(bucket.key)
          ? [...log.timesOf(bucket.key), ...Array.from({ length: bucket.limit }, () => downAt)]
          : log.timesOf(bucket.key)
      )
      nextProbeAt = now + Duration.toMillis(store.probeInterval)
      const whose =
        config.fallbackShare !== undefined
          ? "rateLimit.fallbackShare"
          : peers > 0
            ? `1 of ${peers} client${peers === 1 ? "" : "s"} sharing the budget`
            : "no client count seen yet"
      return Effect.andThen(
        Effect.logWarning(
          `effect-flashduty: the shared rate-limit store (${store.label}) ${describeFailure(error, store.timeout)}; ` +
            `this process now paces itself alone at ${Math.round(share * 1000) / 10}% of each limit (${whose}) ` +
            "and returns to the shared budget when the store answers again"
        ),
        Metric.update(rateLimitStoreFallbacks, 1)
      )
    })

  /** Puts this process's recent admissions and live pauses back into the store. */
  const restore = (now: number) =>
    store.restore({
      budget,
      buckets: log.snapshot(now),
      pauses: Array.from(localPauses, ([key, until]) => [key, until - now] as const).filter(
        ([, millis]) => millis > 0
      ),
      longestWindowMillis: log.longestWindow()
    })

  /** Asks the store to admit one request of `plan`; any failure switches to the fallback. */
  const tryAdmit = (plan: Plan): Effect.Effect<Step> =>
    Effect.clockWith((clock) => {
      if (mode === "fallback") return Effect.succeed(down)
      const member = nextMember()
      // The peers not back since the outage (if any) keep their share, until back or forgotten.
      if (expectedPeers > 0 && clock.currentTimeMillisUnsafe() >= recoveredAt + peerTtlMillis)
        expectedPeers = 0
      const expected = expectedPeers
      const ask = (detectLoss: boolean) =>
        bounded(
          store.acquire({
            budget,
            client,
            member,
            buckets: plan.buckets,
            pauses: plan.pauses,
            detectLoss,
            expectedPeers: expected
          })
        )
      return ask(true).pipe(
        // The store lost its state: put this process's admissions back, then ask again.
        Effect.flatMap(
          (verdict): Effect.Effect<StoreVerdict, RateLimitStoreError | "timeout"> =>
            verdict._tag === "Fresh"
              ? Effect.andThen(
                  Effect.flatMap(Clock.currentTimeMillis, (now) => bounded(restore(now))),
                  ask(false)
                )
              : Effect.succeed(verdict)
        ),
        Effect.flatMap((verdict) =>
          Effect.clockWith((clock): Effect.Effect<Step> => {
            peers = verdict.peers
            if (peers >= expectedPeers) expectedPeers = 0
            if (verdict._tag === "Admitted") {
              log.record(plan.buckets, member, clock.currentTimeMillisUnsafe())
              return Effect.succeed(admitted)
            }
            if (verdict._tag === "Wait") {
              return Effect.succeed({
                _tag: "Wait",
                accountMillis: verdict.accountMillis,
                ownMillis: verdict.ownMillis
              })
            }
            // Fresh twice in a row: the store keeps losing its state; treat it as down.
            return Effect.as(markDown("timeout"), down)
          })
        ),
        Effect.catch((error) => Effect.as(markDown(error), down))
      )
    })

  /** In the account lane: asks until admitted, or until the operation's own windows hold it back. */
  const accountLoop = (plan: Plan, bailOnOwn: boolean): Effect.Effect<"admitted" | "down" | "own"> =>
    Effect.flatMap(tryAdmit(plan), (step) => {
      if (step._tag === "Admitted") return Effect.succeed("admitted" as const)
      if (step._tag === "Down") return Effect.succeed("down" as const)
      if (bailOnOwn && step.ownMillis > 0) return Effect.succeed("own" as const)
      return Effect.andThen(
        Effect.sleep(Math.max(1, step.accountMillis, step.ownMillis)),
        accountLoop(plan, bailOnOwn)
      )
    })

  /** In the operation's lane: waits out its own windows there, the account's in the account lane. */
  const ownLoop = (plan: Plan): Effect.Effect<"admitted" | "down"> =>
    Effect.flatMap(tryAdmit(plan), (step) => {
      if (step._tag === "Admitted") return Effect.succeed("admitted" as const)
      if (step._tag === "Down") return Effect.succeed("down" as const)
      if (step.ownMillis > 0) return Effect.andThen(Effect.sleep(Math.max(1, step.ownMillis)), ownLoop(plan))
      return Effect.flatMap(accountLane.enter(accountLoop(plan, true)), (outcome) =>
        outcome === "own" ? ownLoop(plan) : Effect.succeed(outcome)
      )
    })

  const queued = (plan: Plan): Effect.Effect<"admitted" | "down"> =>
    plan.lane === undefined
      ? (accountLane.enter(accountLoop(plan, false)) as Effect.Effect<"admitted" | "down">)
      : plan.lane.enter(ownLoop(plan))

  /** The longest live local pause among `plan`'s, in milliseconds from `now`. */
  const localPauseLeft = (plan: Plan, now: number) => {
    let left = 0
    for (const pause of plan.pauses) left = Math.max(left, (localPauses.get(pause.key) ?? 0) - now)
    return left
  }

  /** Admits through this process's share; the admission is remembered for the store. */
  const viaLocal = (operation: OperationInfo, plan: Plan, limiter: ClientRateLimiter): Effect.Effect<void> =>
    Effect.clockWith((clock) => {
      const left = localPauseLeft(plan, clock.currentTimeMillisUnsafe())
      const admit = Effect.andThen(
        limiter.acquire(operation),
        Effect.suspend(() => {
          // The store came back while this one waited for its share: the store decides now
          // (going out on the local admission as well would add this process's share to what
          // the store lets through).
          if (mode === "shared") return acquire(operation)
          return Effect.clockWith((clock) => {
            log.record(plan.buckets, nextMember(), clock.currentTimeMillisUnsafe())
            return Effect.void
          })
        })
      )
      return left > 0 ? Effect.andThen(Effect.sleep(left), admit) : admit
    })

  /** While the store is unreachable: this process's share, and now and then a try of the store. */
  const viaFallback = (operation: OperationInfo, plan: Plan): Effect.Effect<void> =>
    Effect.clockWith((clock) => {
      if (mode === "shared") return acquire(operation)
      const limiter = fallbackLimiter!
      const now = clock.currentTimeMillisUnsafe()
      if (probing || now < nextProbeAt) return viaLocal(operation, plan, limiter)
      probing = true
      return bounded(restore(now)).pipe(
        Effect.matchEffect({
          onSuccess: () =>
            Effect.clockWith((clock) => {
              mode = "shared"
              recoveredAt = clock.currentTimeMillisUnsafe()
              // What was admitted locally while that answer was on its way is not in the store
              // yet (and, recorded in fallback, was not sent on its own): put the log back
              // once more (members already there are kept as they are).
              const catchUp = bounded(restore(clock.currentTimeMillisUnsafe())).pipe(Effect.catch(markDown))
              const back = Effect.suspend(() =>
                mode === "shared"
                  ? Effect.logInfo(
                      `effect-flashduty: the shared rate-limit store (${store.label}) answers again; this process draws from the shared budget again`
                    )
                  : Effect.void
              )
              return Effect.andThen(Effect.andThen(catchUp, back), acquire(operation))
            }),
          onFailure: () =>
            Effect.clockWith((clock) => {
              nextProbeAt = clock.currentTimeMillisUnsafe() + Duration.toMillis(store.probeInterval)
              return viaLocal(operation, plan, limiter)
            })
        }),
        Effect.ensuring(
          Effect.sync(() => {
            probing = false
          })
        )
      )
    })

  const acquire = (operation: OperationInfo): Effect.Effect<void> =>
    Effect.suspend(() => {
      const plan = planOf(operation)
      if (mode === "fallback") return viaFallback(operation, plan)
      const afterQueue = (outcome: "admitted" | "down") =>
        outcome === "admitted" ? Effect.void : viaFallback(operation, plan)
      // Nobody queued before it: ask at once (concurrent first tries go out together).
      if (accountLane.waiting === 0 && (plan.lane?.waiting ?? 0) === 0) {
        return Effect.flatMap(tryAdmit(plan), (step) =>
          step._tag === "Admitted"
            ? Effect.void
            : step._tag === "Down"
              ? viaFallback(operation, plan)
              : Effect.flatMap(queued(plan), afterQueue)
        )
      }
      return Effect.flatMap(queued(plan), afterQueue)
    })

  const penalize = (operation: OperationInfo, retryAfter: Duration.Duration): Effect.Effect<void> =>
    Effect.clockWith((clock) => {
      const plan = planOf(operation)
      const millis = Math.min(Math.ceil(Duration.toMillis(retryAfter)), plan.pauseCapMillis)
      if (!(millis > 0)) return Effect.void
      const now = clock.currentTimeMillisUnsafe()
      localPauses.set(plan.pauseKey, Math.max(localPauses.get(plan.pauseKey) ?? 0, now + millis))
      for (const [key, until] of localPauses) if (until <= now) localPauses.delete(key)
      if (mode === "fallback") return Effect.void
      return bounded(store.pause(budget, plan.pauseKey, millis)).pipe(Effect.catch(markDown))
    })

  const prepare = Effect.timeoutOrElse(store.prepare(budget, client), {
    duration: Math.max(prepareMillis, Duration.toMillis(store.timeout)),
    orElse: () => Effect.fail("timeout" as const)
  }).pipe(Effect.catch(markDown))

  const limiter: ClientRateLimiter = { acquire, penalize, mode: (): LimiterMode => mode }
  return { limiter, prepare }
}
