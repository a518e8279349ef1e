import { assert, describe, it } from "@effect/vitest"
import { Clock, Duration, Effect, Fiber } from "effect"
import { TestClock } from "effect/testing"
import * as RateLimit from "../../src/RateLimit.js"
import { incidentList, slowOperation } from "./endpoints.js"
import { ok } from "./fakeHttp.js"
import { withClient } from "./harness.js"

/** Acquires `n` times concurrently and returns when each was admitted (TestClock millis). */
const admissions = (
  limiter: RateLimit.ClientRateLimiter,
  operation: typeof incidentList.operation,
  n: number,
  advanceSeconds = 20
) =>
  Effect.gen(function* () {
    const times: Array<number> = []
    const fiber = yield* Effect.forkChild(
      Effect.forEach(
        Array.from({ length: n }, (_, i) => i),
        () =>
          Effect.flatMap(limiter.acquire(operation), () =>
            Effect.map(Clock.currentTimeMillis, (t) => times.push(t))
          ),
        { concurrency: "unbounded" }
      )
    )
    for (let i = 0; i < advanceSeconds * 10; i++) yield* TestClock.adjust("100 millis")
    yield* Fiber.join(fiber)
    return times.sort((a, b) => a - b)
  })

describe("rate limiter", () => {
  it.effect("default: 50 in the first second, the 51st one second after the first", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimit.make(undefined)
      const times = yield* admissions(limiter, incidentList.operation, 120)
      assert.strictEqual(times.filter((t) => t === 0).length, 50)
      assert.strictEqual(times[50], 1000)
      assert.strictEqual(times[119], 2000)
    })
  )

  it.effect("no window of one second or one minute ever holds more than the limit", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimit.make({ perSecond: 10, perMinute: 30 })
      const times = yield* admissions(limiter, incidentList.operation, 70, 200)
      const maxIn = (windowMillis: number) =>
        Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + windowMillis).length))
      assert.strictEqual(maxIn(1000), 10)
      assert.strictEqual(maxIn(60_000), 30)
    })
  )

  it.effect("the per-minute budget holds over a long run", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimit.make({ perSecond: 1000, perMinute: 100 })
      const times = yield* admissions(limiter, incidentList.operation, 150, 70)
      assert.strictEqual(times.filter((t) => t < 60_000).length, 100)
      assert.strictEqual(times[149], 60_000)
    })
  )

  it.effect("an operation's stricter documented limit applies (2/s)", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimit.make(undefined)
      const times = yield* admissions(limiter, slowOperation.operation, 6)
      assert.deepStrictEqual(times, [0, 0, 1000, 1000, 2000, 2000])
    })
  )

  it.effect("perOperation: false ignores the operation's limit", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimit.make({ perOperation: false })
      const times = yield* admissions(limiter, slowOperation.operation, 6)
      assert.deepStrictEqual(times, [0, 0, 0, 0, 0, 0])
    })
  )

  it.effect("rateLimit: false never waits", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimit.make(false)
      const times = yield* admissions(limiter, incidentList.operation, 200)
      assert.isTrue(times.every((t) => t === 0))
    })
  )

  it("bucketsFor adds only operation limits stricter than the documented default", () => {
    const account = RateLimit.defaultLimits
    assert.deepStrictEqual(
      RateLimit.bucketsFor(account, incidentList.operation.rateLimit, "incidentList").map((b) => b.key),
      ["account/second", "account/minute"]
    )
    assert.deepStrictEqual(
      RateLimit.bucketsFor(
        account,
        { text: "2 requests/second; 20/minute; 100/day", perSecond: 2, perMinute: 20, perDay: 100 },
        "x"
      ).map((b) => `${b.key}=${b.limit}/${Duration.toSeconds(b.window)}s`),
      [
        "account/second=50/1s",
        "account/minute=1000/60s",
        "operation/x/perSecond=2/1s",
        "operation/x/perMinute=20/60s",
        "operation/x/perDay=100/86400s"
      ]
    )
  })

  describe("limits are checked, and never allocated up front", () => {
    for (const [key, value, why] of [
      ["perSecond", Number.POSITIVE_INFINITY, /rateLimit: false/],
      ["perSecond", 0.5, /positive whole number/],
      ["perMinute", Number.NaN, /positive whole number/],
      ["perMinute", 0, /positive whole number/],
      ["perSecond", -1, /positive whole number/]
    ] as const) {
      it.effect(`make({ ${key}: ${value} }) fails with a ConfigurationError, not a defect`, () =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(RateLimit.make({ [key]: value }))
          assert.strictEqual(error._tag, "ConfigurationError")
          assert.strictEqual(error.option, `rateLimit.${key}`)
          assert.match(error.message, why)
        })
      )
    }

    it.effect("make(true) from untyped JS fails with a ConfigurationError", () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(RateLimit.make(true as never))
        assert.strictEqual(error.option, "rateLimit")
      })
    )

    it.effect("a limit of 50,000,000/s does not allocate 50,000,000 slots", () =>
      Effect.gen(function* () {
        const before = process.memoryUsage().arrayBuffers
        const limiter = yield* RateLimit.make({ perSecond: 50_000_000, perMinute: 50_000_000 })
        const times = yield* admissions(limiter, incidentList.operation, 100, 1)
        const grown = process.memoryUsage().arrayBuffers - before
        assert.isTrue(times.every((t) => t === 0))
        assert.isBelow(grown, 8 * 1024 * 1024, `grew ${grown} bytes`)
      })
    )

    it.effect("the lazily grown log admits exactly like a sliding-window log (reference model)", () =>
      Effect.gen(function* () {
        // Arrivals in bursts and trickles, so that the log grows, wraps and is pruned in between.
        let seed = 7
        const random = () => {
          seed = (seed * 1103515245 + 12345) % 2 ** 31
          return seed / 2 ** 31
        }
        const arrivals: Array<number> = []
        let t = 0
        for (let i = 0; i < 400; i++) {
          t += random() < 0.2 ? Math.floor(random() * 700) : random() < 0.5 ? 0 : Math.floor(random() * 20)
          arrivals.push(t)
        }
        const limits = { perSecond: 37, perMinute: 300 }
        // Reference: FIFO, each admitted no earlier than its arrival, the previous admission,
        // and `window` after the admission `limit` places before it.
        const expected: Array<number> = []
        for (let i = 0; i < arrivals.length; i++) {
          let at = Math.max(arrivals[i]!, i > 0 ? expected[i - 1]! : 0)
          if (i >= limits.perSecond) at = Math.max(at, expected[i - limits.perSecond]! + 1000)
          if (i >= limits.perMinute) at = Math.max(at, expected[i - limits.perMinute]! + 60_000)
          expected.push(at)
        }
        const limiter = yield* RateLimit.make(limits)
        const times: Array<number> = []
        const fiber = yield* Effect.forkChild(
          Effect.forEach(
            arrivals,
            (arrival) =>
              Effect.sleep(Duration.millis(arrival)).pipe(
                Effect.andThen(limiter.acquire(incidentList.operation)),
                Effect.andThen(Effect.map(Clock.currentTimeMillis, (now) => void times.push(now)))
              ),
            { concurrency: "unbounded" }
          )
        )
        const end = expected[expected.length - 1]! + 1000
        for (let now = 0; now <= end; now += 50) yield* TestClock.adjust("50 millis")
        yield* Fiber.join(fiber)
        assert.deepStrictEqual(
          times.sort((a, b) => a - b),
          expected
        )
      })
    )
  })

  it.effect("the client paces its own calls (on by default)", () =>
    withClient(
      () => ok({ items: [] }),
      (client, http) =>
        Effect.gen(function* () {
          const fiber = yield* Effect.forkChild(
            Effect.forEach(Array.from({ length: 4 }), () => client.call(slowOperation, undefined), {
              concurrency: "unbounded"
            })
          )
          for (let i = 0; i < 30; i++) yield* TestClock.adjust("100 millis")
          yield* Fiber.join(fiber)
          const times = http.requests.map((r) => r.atMillis).sort((a, b) => a - b)
          assert.deepStrictEqual(times, [0, 0, 1000, 1000])
        }),
      { rateLimit: {} }
    )
  )
})
