/**
 * The shared rate limit through the client, not only the limiter (`RateLimit.shared.test.ts`):
 * the client's layer finds the store in its context, hashes its own app key into the budget,
 * refuses an `accessToken` login without `rateLimit.accountKey`, and a `429` answered to one
 * client pauses every client of the account (the pipeline tells the limiter its
 * `Retry-After`). The in-memory store on `TestClock`; the Redis one: `npm run test:redis`.
 */
import { assert, describe, it } from "@effect/vitest"
import { Clock, Context, Effect, Fiber, Layer, Redacted } from "effect"
import type * as Scope from "effect/Scope"
import { TestClock } from "effect/testing"
import { FlashdutyClient, type FlashdutyClientService } from "../../src/FlashdutyClient.js"
import type { FlashdutyOptions } from "../../src/FlashdutyOptions.js"
import * as RateLimitStore from "../../src/RateLimitStore.js"
import { incidentList } from "./endpoints.js"
import { apiError, fakeHttp, ok } from "./fakeHttp.js"

const listInput = { start_time: 0, end_time: 86_400 }

/** Builds a client over `http` and `store` (a layer shared by the clients given the same one). */
const clientOver = (
  options: FlashdutyOptions,
  http: ReturnType<typeof fakeHttp>,
  store: Layer.Layer<RateLimitStore.RateLimitStore>
): Effect.Effect<FlashdutyClientService, unknown, Scope.Scope> =>
  Layer.build(FlashdutyClient.layer(options).pipe(Layer.provide(http.layer), Layer.provide(store))).pipe(
    Effect.map((context) => Context.get(context, FlashdutyClient))
  )

/** The TestClock times at which `n` calls of each client completed, started together. */
const completions = (clients: ReadonlyArray<FlashdutyClientService>, n: number) =>
  Effect.gen(function* () {
    const times: Array<number> = []
    const fiber = yield* Effect.forkChild(
      Effect.forEach(
        clients.flatMap((client) => Array.from({ length: n }, () => client)),
        (client) =>
          Effect.flatMap(client.call(incidentList, listInput), () =>
            Effect.map(Clock.currentTimeMillis, (t) => void times.push(t))
          ),
        { concurrency: "unbounded", discard: true }
      )
    )
    for (let i = 0; i < 100; i++) yield* TestClock.adjust("50 millis")
    yield* Fiber.join(fiber)
    return times.sort((a, b) => a - b)
  })

describe("shared rate limit through the client (in-memory store, TestClock)", () => {
  it.effect("two clients with one app key share its budget: 2 × 6 calls at 5/s take 3 windows", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const store = yield* Layer.build(RateLimitStore.layerMemory).pipe(Effect.map(Layer.succeedContext))
        const http = fakeHttp(() => ok({ items: [] }))
        const options = { appKey: Redacted.make("key-a"), rateLimit: { perSecond: 5 } }
        const a = yield* clientOver(options, http, store)
        const b = yield* clientOver(options, http, store)
        const times = yield* completions([a, b], 6)
        // Shared: 5 in the first second, 5 in the second, 2 in the third. Each alone would finish in 2.
        assert.deepStrictEqual(
          times.map((t) => Math.floor(t / 1000)),
          [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2]
        )
      })
    )
  )

  it.effect("two app keys on one store never share a budget", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const store = yield* Layer.build(RateLimitStore.layerMemory).pipe(Effect.map(Layer.succeedContext))
        const http = fakeHttp(() => ok({ items: [] }))
        const a = yield* clientOver(
          { appKey: Redacted.make("key-a"), rateLimit: { perSecond: 5 } },
          http,
          store
        )
        const b = yield* clientOver(
          { appKey: Redacted.make("key-b"), rateLimit: { perSecond: 5 } },
          http,
          store
        )
        const times = yield* completions([a, b], 5)
        assert.deepStrictEqual(
          times,
          Array.from({ length: 10 }, () => 0)
        )
      })
    )
  )

  it.effect("a 429 with Retry-After answered to one client pauses the other client of the account", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const store = yield* Layer.build(RateLimitStore.layerMemory).pipe(Effect.map(Layer.succeedContext))
        let first = true
        const http = fakeHttp((request) => {
          if (request.url.searchParams.get("app_key") === "key-a" && first) {
            first = false
            return apiError("RequestTooFrequently", "slow down", 429, "req-429", { "retry-after": "3" })
          }
          return ok({ items: [] })
        })
        // Two app keys named as one account: they share one budget.
        const a = yield* clientOver(
          { appKey: Redacted.make("key-a"), rateLimit: { accountKey: "acct" } },
          http,
          store
        )
        const b = yield* clientOver(
          { appKey: Redacted.make("key-b"), rateLimit: { accountKey: "acct" } },
          http,
          store
        )
        // a's first call is answered 429 (Retry-After: 3 s); b's call starts 1 s later.
        const fiberA = yield* Effect.forkChild(a.call(incidentList, listInput))
        yield* TestClock.adjust("1 second")
        const fiberB = yield* Effect.forkChild(
          Effect.flatMap(b.call(incidentList, listInput), () => Clock.currentTimeMillis)
        )
        for (let i = 0; i < 100; i++) yield* TestClock.adjust("50 millis")
        yield* Fiber.join(fiberA)
        const bDone = yield* Fiber.join(fiberB)
        // Paused until 3 s after the 429 (sent at 0), not at once at 1 s.
        assert.isAtLeast(bDone, 3000)
      })
    )
  )

  it.effect(
    "an accessToken login with a shared store and no rateLimit.accountKey is a ConfigurationError",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const store = yield* Layer.build(RateLimitStore.layerMemory).pipe(Effect.map(Layer.succeedContext))
          const http = fakeHttp(() => ok({ items: [] }))
          const error = yield* Effect.flip(clientOver({ accessToken: Redacted.make("tok-1") }, http, store))
          assert.strictEqual((error as { _tag: string })._tag, "ConfigurationError")
          assert.strictEqual((error as { option: string }).option, "rateLimit.accountKey")
          // Named, it builds.
          yield* clientOver(
            { accessToken: Redacted.make("tok-1"), rateLimit: { accountKey: "acct-1" } },
            http,
            store
          )
        })
      )
  )
})
