/**
 * The deduplication stores: both keep the `SetIfAbsent` contract (`storeContract.ts`); the
 * memory store stays within its capacity; the Redis store speaks `SET key 1 NX PX ttl` and `DEL`
 * through Effect's `Redis` service (here a fake of it; `test/redis/webhookDedup.test.ts` runs the
 * contract against a real server), and its failures are `DedupStoreError`s that never carry the
 * credentials of a connection URL.
 */
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Exit, Layer } from "effect"
import * as Redis from "effect/persistence/Redis"
import { TestClock } from "effect/testing"
import * as Webhooks from "../../src/webhooks/Webhooks.js"
import { makeFakeRedis } from "./fakeRedis.js"
import { storeContract } from "./storeContract.js"

describe("Webhooks.memoryStore", () => {
  storeContract({
    name: "memory store",
    make: Webhooks.memoryStore(),
    wait: (duration) => TestClock.adjust(duration)
  })

  it.effect("beyond its capacity the oldest keys go first", () =>
    Effect.gen(function* () {
      const store = yield* Webhooks.memoryStore({ capacity: 3 })
      const ttl = Duration.hours(1)
      for (const key of ["a", "b", "c", "d"]) assert.isTrue(yield* store.setIfAbsent(key, ttl))
      assert.isFalse(yield* store.setIfAbsent("d", ttl))
      assert.isFalse(yield* store.setIfAbsent("b", ttl))
      assert.isTrue(yield* store.setIfAbsent("a", ttl), "a was pushed out by d")
    })
  )

  it.effect("a capacity that is not a positive whole number is a ConfigurationError", () =>
    Effect.gen(function* () {
      for (const capacity of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        const exit = yield* Effect.exit(Webhooks.memoryStore({ capacity }))
        assert.isTrue(Exit.isFailure(exit), String(capacity))
      }
    })
  )
})

describe("Webhooks.redisStore (over a fake of Effect's Redis service)", () => {
  storeContract({
    name: "redis store",
    make: Effect.suspend(() => Webhooks.redisStore().pipe(Effect.provide(makeFakeRedis().layer))),
    wait: (duration) => TestClock.adjust(duration)
  })

  it.effect("sends SET <prefix><key> 1 NX PX <ms>, and DEL", () =>
    Effect.gen(function* () {
      const redis = makeFakeRedis()
      const store = yield* Webhooks.redisStore({ prefix: "app:" }).pipe(Effect.provide(redis.layer))
      yield* store.setIfAbsent("evt-1", Duration.hours(24))
      yield* store.setIfAbsent("evt-2", Duration.millis(0.2))
      yield* store.remove("evt-1")
      assert.deepStrictEqual(redis.commands, [
        ["SET", "app:evt-1", "1", "NX", "PX", "86400000"],
        ["SET", "app:evt-2", "1", "NX", "PX", "1"],
        ["DEL", "app:evt-1"]
      ])
    })
  )

  it.effect("a failing server is a DedupStoreError, without the connection's credentials", () =>
    Effect.gen(function* () {
      const redis = makeFakeRedis()
      const store = yield* Webhooks.redisStore().pipe(Effect.provide(redis.layer))
      redis.failing = true
      const error = yield* Effect.flip(store.setIfAbsent("evt", Duration.hours(1)))
      assert.strictEqual(error._tag, "DedupStoreError")
      assert.notInclude(`${String(error)} ${String(error.cause)} ${JSON.stringify(error)}`, ":pw@")
      const removed = yield* Effect.flip(store.remove("evt"))
      assert.strictEqual(removed._tag, "DedupStoreError")
    })
  )

  it.effect(
    "a server answering neither OK nor null (a proxy, another server) is a DedupStoreError, not a duplicate",
    () =>
      Effect.gen(function* () {
        for (const reply of ["QUEUED", 1, ["OK"], ""]) {
          const nonsense = Layer.effect(
            Redis.Redis,
            Redis.make({
              send: <A>() => Effect.succeed(reply as A),
              subscribe: () => Effect.succeed(Effect.void),
              connect: Effect.die("no reserved connections here")
            })
          )
          const store = yield* Webhooks.redisStore().pipe(Effect.provide(nonsense))
          const error = yield* Effect.flip(store.setIfAbsent("evt", Duration.hours(1)))
          assert.strictEqual(error._tag, "DedupStoreError", JSON.stringify(reply))
        }
      })
  )
})
