/**
 * The limiter under a busy event loop: a sleeper that wakes late must not bunch admissions.
 * A `Clock` over the `TestClock` plays the busy loop: every wake-up due while the loop is
 * blocked happens when it frees up. The admissions (times read right after `acquire`) must
 * never put more than the limit into any rolling window.
 */
import { assert, describe, it } from "@effect/vitest"
import { Clock, Duration, Effect, Fiber } from "effect"
import { TestClock } from "effect/testing"
import * as RateLimit from "../../src/RateLimit.js"
import { incidentList, slowOperation } from "./endpoints.js"

/** A clock whose event loop is blocked during `[from, until)`: wake-ups due then happen at `until`. */
const busyBetween = (from: number, until: number) =>
  Effect.map(
    Effect.service(Clock.Clock),
    (clock): Clock.Clock => ({
      ...clock,
      sleep: (duration) => {
        const now = clock.currentTimeMillisUnsafe()
        const due = now + Duration.toMillis(duration)
        return clock.sleep(due >= from && due < until ? Duration.millis(until - now) : duration)
      }
    })
  )

/** The most admissions within any half-open window `[t, t + windowMillis)`. */
const peakIn = (times: ReadonlyArray<number>, windowMillis: number) =>
  Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + windowMillis).length))

/** `n` concurrent acquisitions under the busy clock; their admission times, sorted. */
const admissions = (
  options: RateLimit.RateLimitOptions,
  operation: typeof incidentList.operation,
  n: number
) =>
  Effect.gen(function* () {
    const clock = yield* busyBetween(1_000, 1_030)
    const limiter = yield* RateLimit.make(options)
    const times: Array<number> = []
    const fiber = yield* Effect.forkChild(
      Effect.forEach(
        Array.from({ length: n }),
        () =>
          Effect.flatMap(limiter.acquire(operation), () =>
            Effect.map(Clock.currentTimeMillis, (t) => void times.push(t))
          ),
        { concurrency: "unbounded" }
      ).pipe(Effect.provideService(Clock.Clock, clock))
    )
    // 1 ms steps, so the test clock itself never wakes anyone late.
    for (let i = 0; i < 5_000; i++) yield* TestClock.adjust(1)
    yield* Fiber.join(fiber)
    return times.sort((a, b) => a - b)
  })

describe("rate limiter with late wake-ups", () => {
  it.effect("10/s: a batch woken 30 ms late does not share a second with the next batch", () =>
    Effect.gen(function* () {
      const times = yield* admissions({ perSecond: 10, perMinute: 1_000 }, incidentList.operation, 30)
      assert.strictEqual(times.length, 30)
      assert.strictEqual(peakIn(times, 1_000), 10)
      assert.deepStrictEqual(
        [times[0], times[10], times[20]],
        [0, 1_030, 2_030],
        "each batch a full second after the previous one was actually admitted"
      )
    })
  )

  it.effect("an operation's own 2/s limit holds too", () =>
    Effect.gen(function* () {
      const times = yield* admissions({}, slowOperation.operation, 6)
      assert.deepStrictEqual(times, [0, 0, 1_030, 1_030, 2_030, 2_030])
    })
  )

  it.effect("a caller waiting on its operation's limit does not hold up other operations", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimit.make({})
      const slow = yield* Effect.forkChild(
        Effect.forEach(Array.from({ length: 3 }), () => limiter.acquire(slowOperation.operation), {
          concurrency: "unbounded"
        })
      )
      yield* TestClock.adjust(1)
      // The third slow call waits for its 2/s budget; a list call goes at once.
      const listedAt = yield* Effect.flatMap(
        limiter.acquire(incidentList.operation),
        () => Clock.currentTimeMillis
      )
      assert.strictEqual(listedAt, 1)
      yield* TestClock.adjust(1_000)
      yield* Fiber.join(slow)
    })
  )

  it.effect("an interrupted waiter frees its place and uses no budget", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimit.make({ perSecond: 1, perMinute: 1_000 })
      yield* limiter.acquire(incidentList.operation)
      const waiting = yield* Effect.forkChild(limiter.acquire(incidentList.operation))
      yield* TestClock.adjust(500)
      yield* Fiber.interrupt(waiting)
      const next = yield* Effect.forkChild(
        Effect.flatMap(limiter.acquire(incidentList.operation), () => Clock.currentTimeMillis)
      )
      yield* TestClock.adjust(500)
      assert.strictEqual(
        yield* Fiber.join(next),
        1_000,
        "admitted when the window has room, not a slot later"
      )
    })
  )
})
