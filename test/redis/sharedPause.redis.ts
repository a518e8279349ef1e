/**
 * Through the client, on a real Redis: a `429` with `Retry-After` answered to one client pauses
 * another client of the same account that has its own Redis connection (as another process
 * would), and Redis holds a hash of the app key, never the key.
 */
import { NodeRedis } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer, Redacted } from "effect"
import * as Redis from "effect/persistence/Redis"
import { FlashdutyClient } from "../../src/FlashdutyClient.js"
import * as RateLimitStore from "../../src/RateLimitStore.js"
import { incidentList } from "../core/endpoints.js"
import { apiError, fakeHttp, ok } from "../core/fakeHttp.js"

const url = process.env.REDIS_URL
if (url === undefined || url === "")
  throw new Error("REDIS_URL is not set: run this suite with npm run test:redis")

const appKey = "app-key-that-must-never-reach-redis"
const listInput = { start_time: 0, end_time: 86_400 }

/** A client with its own Redis connection and store, as in a process of its own. */
const client = (prefix: string, http: ReturnType<typeof fakeHttp>) =>
  Effect.map(
    Layer.build(
      FlashdutyClient.layer({ appKey: Redacted.make(appKey), retry: false }).pipe(
        Layer.provide(http.layer),
        Layer.provide(RateLimitStore.layerRedis({ prefix })),
        Layer.provide(NodeRedis.layer({ url, disableOfflineQueue: true }))
      )
    ),
    (context) => Context.get(context, FlashdutyClient)
  )

describe("shared rate limit through the client, on a real Redis", () => {
  it.live("a 429 answered to one process pauses the other for its Retry-After; Redis holds only a hash", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const prefix = `test:pause:${Date.now()}:${Math.random()}:`
        let answered429 = false
        const http = fakeHttp(() => {
          if (!answered429) {
            answered429 = true
            return apiError("RequestTooFrequently", "slow down", 429, "req-429", { "retry-after": "2" })
          }
          return ok({ items: [] })
        })
        const a = yield* client(prefix, http)
        const b = yield* client(prefix, http)
        const first = yield* Effect.flip(a.call(incidentList, listInput))
        assert.strictEqual(first._tag, "RateLimited")
        const started = Date.now()
        yield* b.call(incidentList, listInput)
        const waited = Date.now() - started
        // Paused for the rest of the 2 s (less the moment the first call took), not at once.
        assert.isAtLeast(waited, 1500, `b waited ${waited} ms`)

        const keys = yield* Effect.gen(function* () {
          const redis = yield* Redis.Redis
          return (yield* redis.send<Array<string>>("KEYS", `${prefix}*`)) ?? []
        }).pipe(Effect.provide(NodeRedis.layer({ url })))
        assert.isAbove(keys.length, 0)
        for (const key of keys) {
          assert.notInclude(key, appKey)
          assert.match(key, /\{[0-9a-f]{32}\}/)
        }
      })
    )
  )
})
