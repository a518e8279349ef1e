/**
 * The contract of a deduplication store (`Webhooks.SetIfAbsent`), as a suite any implementation
 * can run: the memory store and the Redis store over a fake here, the Redis store over a real
 * server in `test/redis/`, a store of your own in your tests.
 *
 * `wait(duration)` lets time pass for the store: `TestClock.adjust` for a store on Effect's
 * `Clock`, a real sleep for a real server.
 */
import { assert, it } from "@effect/vitest"
import { Duration, Effect } from "effect"
import type * as Webhooks from "../../src/webhooks/Webhooks.js"

export interface StoreUnderTest {
  readonly name: string
  /** A fresh, empty store (keys of another store never seen). */
  readonly make: Effect.Effect<Webhooks.SetIfAbsent, unknown, never>
  /** Lets `duration` pass for the store. */
  readonly wait: (duration: Duration.Duration) => Effect.Effect<void>
  /** `it.effect` (virtual time) or `it.live` (a real server). */
  readonly test?: typeof it.effect
  /** The TTL the expiry test uses; default 1 second. */
  readonly ttl?: Duration.Duration
}

export const storeContract = ({
  name,
  make,
  wait,
  test = it.effect,
  ttl = Duration.seconds(1)
}: StoreUnderTest) => {
  const long = Duration.hours(1)
  const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2)}`

  test(`${name}: the first set claims a key, the next ones do not`, () =>
    Effect.gen(function* () {
      const store = yield* make
      const key = unique("claim")
      assert.isTrue(yield* store.setIfAbsent(key, long))
      assert.isFalse(yield* store.setIfAbsent(key, long))
      assert.isFalse(yield* store.setIfAbsent(key, long))
      assert.isTrue(yield* store.setIfAbsent(unique("other"), long), "keys are independent")
    }))

  test(`${name}: of 50 concurrent sets of one key, exactly one claims it`, () =>
    Effect.gen(function* () {
      const store = yield* make
      const key = unique("race")
      const results = yield* Effect.all(
        Array.from({ length: 50 }, () => store.setIfAbsent(key, long)),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(results.filter(Boolean).length, 1)
    }))

  test(`${name}: a key expires after its TTL, and can be claimed again`, () =>
    Effect.gen(function* () {
      const store = yield* make
      const key = unique("ttl")
      assert.isTrue(yield* store.setIfAbsent(key, ttl))
      assert.isFalse(yield* store.setIfAbsent(key, ttl))
      yield* wait(Duration.sum(ttl, Duration.divideUnsafe(ttl, 2)))
      assert.isTrue(yield* store.setIfAbsent(key, ttl))
    }))

  test(`${name}: remove gives a key back (a failed handler's event runs again)`, () =>
    Effect.gen(function* () {
      const store = yield* make
      const key = unique("remove")
      assert.isTrue(yield* store.setIfAbsent(key, long))
      yield* store.remove(key)
      assert.isTrue(yield* store.setIfAbsent(key, long))
      yield* store.remove(unique("never-set")) // removing what is not there is fine
    }))

  test(`${name}: keys are taken as they are (case, length, characters)`, () =>
    Effect.gen(function* () {
      const store = yield* make
      const base = unique("Key")
      assert.isTrue(yield* store.setIfAbsent(base, long))
      assert.isTrue(yield* store.setIfAbsent(base.toLowerCase(), long))
      assert.isTrue(yield* store.setIfAbsent(`${base}:i_new:64b1352e:1689335086948`, long))
      assert.isTrue(yield* store.setIfAbsent(`${base}-${"x".repeat(500)}`, long))
      assert.isTrue(yield* store.setIfAbsent(`${base} ünïcode ✓`, long))
      assert.isFalse(yield* store.setIfAbsent(`${base} ünïcode ✓`, long))
    }))
}
