/**
 * `RateLimitStore.layerRedis`'s options are checked as the client's are: a value that is not a
 * prefix or a duration is a `ConfigurationError` naming the option, when the layer is built,
 * never a defect or a store that silently does something else. (Its behaviour on a real Redis:
 * `npm run test:redis`.)
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Logger, Redacted, References } from "effect"
import * as Redis from "effect/persistence/Redis"
import * as RateLimit from "../../src/RateLimit.js"
import * as RateLimitStore from "../../src/RateLimitStore.js"
import { makeFakeRedis } from "../webhooks/fakeRedis.js"
import { incidentList } from "./endpoints.js"

const build = (options: RateLimitStore.RedisStoreOptions) =>
  Effect.scoped(Layer.build(RateLimitStore.layerRedis(options).pipe(Layer.provide(makeFakeRedis().layer))))

describe("RateLimitStore.layerRedis options", () => {
  for (const [options, option] of [
    [{ prefix: 1 }, "RateLimitStore.prefix"],
    [{ timeout: "soon" }, "RateLimitStore.timeout"],
    [{ timeout: -1 }, "RateLimitStore.timeout"],
    [{ timeout: 0 }, "RateLimitStore.timeout"],
    [{ timeout: Number.POSITIVE_INFINITY }, "RateLimitStore.timeout"],
    [{ probeInterval: 0 }, "RateLimitStore.probeInterval"],
    [{ margin: "wide" }, "RateLimitStore.margin"],
    [{ margin: -5 }, "RateLimitStore.margin"]
  ] as const) {
    it.effect(`${JSON.stringify(options)} is a ConfigurationError on ${option}`, () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(build(options as never))
        assert.strictEqual(error._tag, "ConfigurationError")
        assert.strictEqual((error as { option?: string }).option, option)
      })
    )
  }

  it.effect("valid options (and undefined ones) build the store", () =>
    Effect.gen(function* () {
      yield* build({})
      yield* build({ prefix: "app:", timeout: "100 millis", probeInterval: 500, margin: 0 })
      yield* build({
        prefix: undefined,
        timeout: undefined,
        probeInterval: undefined,
        margin: undefined
      } as never)
    })
  )
})

describe("RateLimitStore.layerRedis over a server that answers nonsense", () => {
  /** A Redis whose scripts all answer `reply` (a proxy, another server, another version). */
  const nonsenseRedis = (reply: unknown) =>
    Layer.effect(
      Redis.Redis,
      Redis.make({
        send: <A>(command: string) =>
          Effect.succeed((command === "SCRIPT" ? "0123456789abcdef0123456789abcdef01234567" : reply) as A),
        subscribe: () => Effect.succeed(Effect.void),
        connect: Effect.die("no reserved connections here")
      })
    )

  for (const reply of [["x", 0, 0, 1], [0, "soon", 0, 1], "OK"]) {
    it.live(
      `a reply of ${JSON.stringify(reply)} is a store failure: the call goes out on the fallback share`,
      () =>
        Effect.gen(function* () {
          const limiter = yield* RateLimit.make({ perSecond: 5 }, { appKey: Redacted.make("key") }).pipe(
            Effect.provide(
              RateLimitStore.layerRedis({ timeout: "100 millis" }).pipe(Layer.provide(nonsenseRedis(reply)))
            )
          )
          // Three acquisitions end (none sleeps NaN or spins on the store), on the local fallback.
          yield* Effect.timeoutOrElse(
            Effect.forEach([1, 2, 3], () => limiter.acquire(incidentList.operation), { discard: true }),
            { duration: "5 seconds", orElse: () => Effect.die("acquire did not end") }
          )
          assert.strictEqual(limiter.mode(), "fallback")
        }).pipe(Effect.provideService(References.MinimumLogLevel, "None"))
    )
  }
})

describe("RateLimitStore.layerRedis when the connection fails", () => {
  it.live("the one log line names the failure without the Redis URL's password", () => {
    const logs: Array<string> = []
    const failing = Layer.effect(
      Redis.Redis,
      Redis.make({
        send: () =>
          Effect.fail(
            new Redis.RedisError({
              cause: new Error("connection to redis://default:s3cr3t-pw@10.0.0.7:6379 refused")
            })
          ),
        subscribe: () => Effect.succeed(Effect.void),
        connect: Effect.die("no reserved connections here")
      })
    )
    return Effect.gen(function* () {
      const limiter = yield* RateLimit.make({ perSecond: 50 }, { appKey: Redacted.make("key") }).pipe(
        Effect.provide(RateLimitStore.layerRedis({ timeout: "100 millis" }).pipe(Layer.provide(failing)))
      )
      yield* limiter.acquire(incidentList.operation)
      assert.strictEqual(limiter.mode(), "fallback")
      assert.isTrue(
        logs.some((line) => line.includes("refused")),
        logs.join("\n")
      )
      for (const line of logs) assert.notInclude(line, "s3cr3t-pw")
    }).pipe(
      Effect.provide(Logger.layer([Logger.make((options) => void logs.push(String(options.message)))])),
      Effect.provideService(References.MinimumLogLevel, "All")
    )
  })
})
