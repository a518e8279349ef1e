/**
 * `RateLimitStore.layerRedis`'s options are checked as the client's are: a value that is not a
 * prefix or a duration is a `ConfigurationError` naming the option, when the layer is built,
 * never a defect or a store that silently does something else. (Its behaviour on a real Redis:
 * `npm run test:redis`.)
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as RateLimitStore from "../../src/RateLimitStore.js"
import { makeFakeRedis } from "../webhooks/fakeRedis.js"

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
