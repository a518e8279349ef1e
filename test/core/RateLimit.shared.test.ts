/**
 * The shared limiter's rules on `TestClock`, over the in-memory store (the Redis store runs
 * the same rules in Lua: `npm run test:redis`): clients of one account share its windows,
 * two accounts never do, a `429` pauses everyone, and a store that fails or hangs never fails
 * a call: the client falls back to its share, says so once, and comes back.
 */
import { assert, describe, it } from "@effect/vitest"
import { Clock, Duration, Effect, Fiber, Logger, Metric, Redacted, References } from "effect"
import { TestClock } from "effect/testing"
import * as Metrics from "../../src/Metrics.js"
import * as RateLimit from "../../src/RateLimit.js"
import * as RateLimitStores from "../../src/RateLimitStore.js"
import { hashKey } from "../../src/rateLimit/budget.js"
import { makeMemory } from "../../src/rateLimit/memoryStore.js"
import { shareOf } from "../../src/rateLimit/SharedLimiter.js"
import {
  RateLimitStore,
  RateLimitStoreError,
  type RestoreRequest,
  type StoreBackend
} from "../../src/rateLimit/store.js"
import { incidentList, slowOperation } from "./endpoints.js"

type Operation = typeof incidentList.operation

const limiterOver = (
  store: StoreBackend,
  options: RateLimit.RateLimitOptions | undefined,
  appKey: string | null = "app-key-A"
) =>
  RateLimit.make(options, appKey === null ? {} : { appKey: Redacted.make(appKey) }).pipe(
    Effect.provideService(RateLimitStore, RateLimitStores.make(store))
  )

/** Runs `n` acquisitions of each limiter concurrently; the admission times (TestClock millis), sorted. */
const admissions = (
  limiters: ReadonlyArray<RateLimit.ClientRateLimiter>,
  operation: Operation,
  n: number,
  advanceSeconds = 10
) =>
  Effect.gen(function* () {
    const times: Array<number> = []
    const fiber = yield* Effect.forkChild(
      Effect.forEach(
        limiters.flatMap((limiter) => Array.from({ length: n }, () => limiter)),
        (limiter) =>
          Effect.flatMap(limiter.acquire(operation), () =>
            Effect.map(Clock.currentTimeMillis, (t) => void times.push(t))
          ),
        { concurrency: "unbounded" }
      )
    )
    for (let i = 0; i < advanceSeconds * 20; i++) yield* TestClock.adjust("50 millis")
    yield* Fiber.join(fiber)
    return times.sort((a, b) => a - b)
  })

/** The most admissions within any window `[t, t + windowMillis)`. */
const peakIn = (times: ReadonlyArray<number>, windowMillis: number) =>
  Math.max(0, ...times.map((start) => times.filter((t) => t >= start && t < start + windowMillis).length))

/** A store that can be switched down (every call fails) or slow (every call hangs), recording restores. */
const switchable = (first: StoreBackend) => {
  let inner = first
  let state: "up" | "down" | "slow" = "up"
  const restores: Array<RestoreRequest> = []
  const gate = <A>(effect: Effect.Effect<A, RateLimitStoreError>): Effect.Effect<A, RateLimitStoreError> =>
    Effect.suspend(() =>
      state === "up"
        ? effect
        : state === "down"
          ? Effect.fail(new RateLimitStoreError({ message: "connect ECONNREFUSED 127.0.0.1:6379" }))
          : Effect.andThen(Effect.sleep("1 hour"), effect)
    )
  const service: StoreBackend = {
    ...inner,
    acquire: (request) => gate(Effect.suspend(() => inner.acquire(request))),
    pause: (budget, key, millis) => gate(Effect.suspend(() => inner.pause(budget, key, millis))),
    restore: (request) =>
      gate(
        Effect.suspend(() =>
          Effect.andThen(
            inner.restore(request),
            Effect.sync(() => void restores.push(request))
          )
        )
      ),
    prepare: (budget, client) => gate(Effect.suspend(() => inner.prepare(budget, client)))
  }
  return {
    service,
    restores,
    set: (next: typeof state) =>
      Effect.sync(() => {
        state = next
      }),
    /** A restarted store: everything it knew is gone. */
    restart: Effect.flatMap(makeMemory, (fresh) =>
      Effect.sync(() => {
        inner = fresh
      })
    )
  }
}

/** Runs `effect` with every log line captured. */
const withLogs = <A, E>(effect: (logs: Array<string>) => Effect.Effect<A, E>) => {
  const logs: Array<string> = []
  const logger = Logger.make((options) => {
    logs.push(`${options.logLevel}: ${String(options.message)}`)
  })
  return effect(logs).pipe(
    Effect.provide(Logger.layer([logger])),
    Effect.provideService(References.MinimumLogLevel, "All")
  )
}

describe("shared rate limit (in-memory store, TestClock)", () => {
  it.effect("without a store the limiter is the embedded one: local, and a 429 changes nothing", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimit.make({ perSecond: 5 }, { appKey: Redacted.make("k") })
      assert.strictEqual(limiter.mode(), "local")
      yield* limiter.penalize(incidentList.operation, Duration.seconds(30))
      const times = yield* admissions([limiter], incidentList.operation, 10, 3)
      assert.deepStrictEqual(times, [0, 0, 0, 0, 0, 1000, 1000, 1000, 1000, 1000])
      assert.strictEqual((yield* RateLimit.make(false)).mode(), "off")
    })
  )

  it.effect("clients of one account share its windows: 3 clients, 10/s in all", () =>
    Effect.gen(function* () {
      const store = yield* makeMemory
      const limiters = yield* Effect.forEach([1, 2, 3], () => limiterOver(store, { perSecond: 10 }))
      assert.strictEqual(limiters[0]!.mode(), "shared")
      const times = yield* admissions(limiters, incidentList.operation, 10)
      assert.strictEqual(times.length, 30)
      assert.strictEqual(peakIn(times, 1000), 10)
      assert.deepStrictEqual([times[9], times[10], times[20], times[29]], [0, 1000, 2000, 2000])
    })
  )

  it.effect("two accounts on one store never share a budget", () =>
    Effect.gen(function* () {
      const store = yield* makeMemory
      const a = yield* limiterOver(store, { perSecond: 5 }, "app-key-A")
      const b = yield* limiterOver(store, { perSecond: 5 }, "app-key-B")
      const times = yield* admissions([a, b], incidentList.operation, 5, 1)
      assert.deepStrictEqual(
        times,
        Array.from({ length: 10 }, () => 0)
      )
    })
  )

  it.effect(
    "an operation's own documented limit (2/s) is shared too, and does not hold up other operations",
    () =>
      Effect.gen(function* () {
        const store = yield* makeMemory
        const [a, b] = yield* Effect.forEach([1, 2], () => limiterOver(store, undefined))
        const slow: Array<number> = []
        const fast: Array<number> = []
        const run = (limiter: RateLimit.ClientRateLimiter, operation: Operation, into: Array<number>) =>
          Effect.flatMap(limiter.acquire(operation), () =>
            Effect.map(Clock.currentTimeMillis, (t) => void into.push(t))
          )
        const fiber = yield* Effect.forkChild(
          Effect.all(
            [
              ...Array.from({ length: 3 }, () => run(a!, slowOperation.operation, slow)),
              ...Array.from({ length: 3 }, () => run(b!, slowOperation.operation, slow)),
              ...Array.from({ length: 20 }, () => run(b!, incidentList.operation, fast))
            ],
            { concurrency: "unbounded" }
          )
        )
        for (let i = 0; i < 60; i++) yield* TestClock.adjust("50 millis")
        yield* Fiber.join(fiber)
        assert.deepStrictEqual(
          slow.sort((x, y) => x - y),
          [0, 0, 1000, 1000, 2000, 2000]
        )
        assert.isTrue(
          fast.every((t) => t === 0),
          "the account's other calls went at once"
        )
      })
  )

  it.effect(
    "a Retry-After seen by one client pauses the account for all; an operation's own only that operation",
    () =>
      Effect.gen(function* () {
        const store = yield* makeMemory
        const [a, b] = yield* Effect.forEach([1, 2], () => limiterOver(store, undefined))
        yield* a!.penalize(incidentList.operation, Duration.seconds(3))
        const times = yield* admissions([b!], incidentList.operation, 2, 5)
        assert.deepStrictEqual(times, [3000, 3000])

        yield* a!.penalize(slowOperation.operation, Duration.seconds(2))
        const start = yield* Clock.currentTimeMillis
        const other = yield* admissions([b!], incidentList.operation, 1, 1)
        const own = yield* admissions([b!], slowOperation.operation, 1, 3)
        assert.deepStrictEqual([other[0]! - start, own[0]! - start], [0, 2000])
      })
  )

  it.effect("an account pause is at most one minute, whatever the Retry-After", () =>
    Effect.gen(function* () {
      const store = yield* makeMemory
      const [a, b] = yield* Effect.forEach([1, 2], () => limiterOver(store, undefined))
      yield* a!.penalize(incidentList.operation, Duration.hours(1))
      const times = yield* admissions([b!], incidentList.operation, 1, 61)
      assert.deepStrictEqual(times, [60_000])
    })
  )

  it.effect(
    "the store down: no call fails, the client paces itself at its share (1 of 4 seen), logs once, and comes back",
    () =>
      withLogs((logs) =>
        Effect.gen(function* () {
          const inner = yield* makeMemory
          const store = switchable(inner)
          const limiters = yield* Effect.forEach([1, 2, 3, 4], () =>
            limiterOver(store.service, { perSecond: 20, perMinute: 1000 })
          )
          // Every client has been seen (and has seen the others): 4 share the budget.
          yield* admissions(limiters, incidentList.operation, 1, 1)
          yield* admissions(limiters, incidentList.operation, 1, 1)
          const [a] = limiters
          const fallbacksBefore = (yield* Metric.value(Metrics.rateLimitStoreFallbacks)).count
          yield* store.set("down")
          const down = yield* admissions([a!], incidentList.operation, 15, 4)
          assert.strictEqual(a!.mode(), "fallback")
          assert.strictEqual(peakIn(down, 1000), 5, "20/s × 1/4")
          assert.strictEqual(down.length, 15, "every call went out")
          const warnings = logs.filter((line) => line.startsWith("Warn"))
          assert.strictEqual(warnings.length, 1, logs.join("\n"))
          const fallbacksAfter = (yield* Metric.value(Metrics.rateLimitStoreFallbacks)).count
          assert.strictEqual(
            fallbacksAfter - fallbacksBefore,
            1,
            "flashduty_rate_limit_store_fallbacks_total"
          )
          assert.match(
            warnings[0]!,
            /shared rate-limit store \(memory\) failed .*ECONNREFUSED.*25% of each limit \(1 of 4 clients/
          )

          yield* store.set("up")
          yield* TestClock.adjust("1 second")
          yield* admissions([a!], incidentList.operation, 1, 1)
          assert.strictEqual(a!.mode(), "shared")
          assert.strictEqual(logs.filter((line) => line.startsWith("Info")).length, 1, logs.join("\n"))
          assert.strictEqual(logs.filter((line) => line.startsWith("Warn")).length, 1)
          // What was sent while the store was down was put back into it.
          const restored = store.restores.at(-1)!.buckets.find((bucket) => bucket.key === "account/minute")!
          assert.isAtLeast(restored.entries.length, 15)
        })
      )
  )

  it.effect(
    "the store slow: a call waits the store's timeout, then one window, then goes at the client's share",
    () =>
      withLogs((logs) =>
        Effect.gen(function* () {
          const store = switchable(yield* makeMemory)
          const limiter = yield* limiterOver(store.service, { perSecond: 20 }, "k")
          yield* store.set("slow")
          const start = yield* Clock.currentTimeMillis
          const times = yield* admissions([limiter], incidentList.operation, 6, 3)
          // 250 ms: the default timeout. Then the per-second window starts full for one second
          // (the other processes' last admissions cannot be seen), then 5 per second (¼ of 20).
          assert.deepStrictEqual(
            times.map((t) => t - start),
            [1250, 1250, 1250, 1250, 1250, 2250]
          )
          assert.strictEqual(limiter.mode(), "fallback")
          // Never saw how many share the budget: a quarter of each limit.
          assert.match(
            logs.join("\n"),
            /did not answer within 250ms.*25% of each limit \(no client count seen yet\)/
          )
        })
      )
  )

  it.effect("what the client sent through the store counts against its share when it falls back", () =>
    Effect.gen(function* () {
      const store = switchable(yield* makeMemory)
      const limiter = yield* limiterOver(store.service, { perSecond: 20, perMinute: 12, fallbackShare: 0.5 })
      yield* admissions([limiter], incidentList.operation, 5, 1)
      yield* store.set("down")
      // 6 of the minute's 12 is its share; 5 were already sent: 1 more within the minute.
      const start = yield* Clock.currentTimeMillis
      const times = yield* admissions([limiter], incidentList.operation, 2, 62)
      assert.deepStrictEqual(
        times.map((t) => Math.round((t - start) / 1000)),
        [1, 59]
      )
    })
  )

  it.effect("after a restart, the first clients back keep the share of those not back yet", () =>
    Effect.gen(function* () {
      const store = switchable(yield* makeMemory)
      const limiters = yield* Effect.forEach([1, 2, 3, 4], () =>
        limiterOver(store.service, { perSecond: 20 })
      )
      yield* admissions(limiters, incidentList.operation, 1, 1)
      yield* admissions(limiters, incidentList.operation, 1, 2)
      yield* store.set("down")
      yield* admissions(limiters, incidentList.operation, 1, 2)
      yield* store.restart
      yield* store.set("up")
      yield* TestClock.adjust("2 seconds")
      const [a, ...others] = limiters
      // Only `a` is back: 3 of 4 clients missing, so it gets 20 × ¼ per second.
      const alone = yield* admissions([a!], incidentList.operation, 10, 3)
      assert.strictEqual(a!.mode(), "shared")
      assert.strictEqual(peakIn(alone, 1000), 5)
      // All back: the whole limit again.
      yield* admissions(others, incidentList.operation, 1, 2)
      const together = yield* admissions([a!], incidentList.operation, 30, 3)
      assert.strictEqual(peakIn(together, 1000), 20)
    })
  )

  it.effect("rateLimit.fallbackShare sets the share", () =>
    Effect.gen(function* () {
      const store = switchable(yield* makeMemory)
      const limiter = yield* limiterOver(store.service, { perSecond: 20, fallbackShare: 0.5 })
      yield* store.set("down")
      const times = yield* admissions([limiter], incidentList.operation, 20, 3)
      assert.strictEqual(peakIn(times, 1000), 10)
    })
  )

  it.effect("a 429 while the store is down pauses this client's fallback", () =>
    Effect.gen(function* () {
      const store = switchable(yield* makeMemory)
      const limiter = yield* limiterOver(store.service, { perSecond: 20 })
      yield* store.set("down")
      yield* admissions([limiter], incidentList.operation, 1, 1)
      const start = yield* Clock.currentTimeMillis
      yield* limiter.penalize(incidentList.operation, Duration.seconds(2))
      const times = yield* admissions([limiter], incidentList.operation, 1, 3)
      assert.strictEqual(times[0]! - start, 2000)
    })
  )

  it("shareOf: floor(limit × share) per window; below one, one per stretched window", () => {
    const bucket = { key: "account/second", limit: 50, window: Duration.seconds(1) }
    assert.deepStrictEqual(shareOf(0.25)(bucket), { ...bucket, limit: 12 })
    assert.deepStrictEqual(shareOf(1)(bucket), bucket)
    const two = shareOf(0.25)({ key: "operation/x/perSecond", limit: 2, window: Duration.seconds(1) })
    assert.strictEqual(two.limit, 1)
    assert.strictEqual(Duration.toMillis(two.window), 2000)
  })

  describe("the budget key", () => {
    it.effect("is a hash of the app key: 32 hex digits, never the key", () =>
      Effect.gen(function* () {
        const hash = yield* hashKey("SENTINEL-app-key-7f3c9e1d")
        assert.match(hash, /^[0-9a-f]{32}$/)
        assert.strictEqual(hash, yield* hashKey("SENTINEL-app-key-7f3c9e1d"))
        assert.notStrictEqual(hash, yield* hashKey("SENTINEL-app-key-7f3c9e1e"))
      })
    )

    it.effect("an accessToken login (no app key) needs rateLimit.accountKey with a shared store", () =>
      Effect.gen(function* () {
        const store = yield* makeMemory
        const error = yield* Effect.flip(limiterOver(store, undefined, null))
        assert.strictEqual(error.option, "rateLimit.accountKey")
        assert.match(error.message, /required with a shared RateLimitStore.*accessToken/)
        // Without a store it is not needed.
        assert.strictEqual((yield* RateLimit.make(undefined)).mode(), "local")
      })
    )

    it.effect(
      "accountKey names the budget: a token client and an app-key client given the same one share it",
      () =>
        Effect.gen(function* () {
          const store = yield* makeMemory
          const token = yield* limiterOver(store, { perSecond: 3, accountKey: "acct-42" }, null)
          const keyed = yield* limiterOver(
            store,
            { perSecond: 3, accountKey: Redacted.make("acct-42") },
            "app-key-A"
          )
          const times = yield* admissions([token, keyed], incidentList.operation, 3, 3)
          assert.strictEqual(peakIn(times, 1000), 3)
        })
    )

    for (const [options, option, why] of [
      [{ accountKey: "" }, "rateLimit.accountKey", /non-empty string/],
      [{ accountKey: 42 }, "rateLimit.accountKey", /got number/],
      [{ fallbackShare: 0 }, "rateLimit.fallbackShare", /\(0, 1\]/],
      [{ fallbackShare: 1.5 }, "rateLimit.fallbackShare", /\(0, 1\]/],
      [{ fallbackShare: Number.NaN }, "rateLimit.fallbackShare", /got NaN/]
    ] as const) {
      it.effect(`${JSON.stringify(options)} fails with a ConfigurationError on ${option}`, () =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(RateLimit.make(options as never))
          assert.strictEqual(error.option, option)
          assert.match(error.message, why)
        })
      )
    }

    it.effect("a refused accountKey is never echoed", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(RateLimit.make({ accountKey: "   " }))
        assert.notInclude(error.message, '   "')
        assert.match(error.message, /empty string/)
      })
    )
  })
})
