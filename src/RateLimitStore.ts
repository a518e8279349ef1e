/**
 * One rate-limit budget for many processes: where a shared rate limit keeps its windows, a
 * `Context` service the user provides to the client's layer. Without one, each client keeps
 * its own windows in memory, as it always has (`RateLimit.ts`).
 *
 * - `RateLimitStore.layerRedis({ prefix })`: the windows in Redis, through Effect's own
 *   `Redis` service (`effect/persistence/Redis`): bring any layer that provides it, such as
 *   `NodeRedis.layer` from `@effect/platform-node` (its peer: `redis`). No Redis client is
 *   bundled here: `effect` stays the only dependency.
 * - `RateLimitStore.layerMemory`: the same windows in this process's memory, shared by the
 *   clients of one process (and useful in tests, on `TestClock`).
 *
 * Effect's own `effect/persistence/RateLimiter` store was the alternative: it offers
 * fixed-window and token-bucket algorithms, which admit up to twice the limit across a window
 * edge, so the windows here are the embedded limiter's sliding windows, kept by one Lua script
 * run through Effect's `Redis` service (`src/rateLimit/redisScripts.ts`). How a client draws
 * from it, pauses it on a `429` and falls back when it is unreachable:
 * `src/rateLimit/SharedLimiter.ts`.
 *
 * @example
 * ```ts
 * import { Layer, Redacted } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { NodeRedis } from "@effect/platform-node"
 * import { Flashduty, RateLimitStore } from "effect-flashduty"
 *
 * const live = Flashduty.layer({ appKey: Redacted.make(process.env.FLASHDUTY_APP_KEY ?? "") }).pipe(
 *   Layer.provide(RateLimitStore.layerRedis({ prefix: "my-app:" })),
 *   Layer.provide(NodeRedis.layer({ url: process.env.REDIS_URL, disableOfflineQueue: true })),
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * ```
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redis from "effect/persistence/Redis"
import type { ConfigurationError } from "./FlashdutyOptions.js"
import { budgetOf } from "./rateLimit/budget.js"
import { makeMemory } from "./rateLimit/memoryStore.js"
import { makeRedis, type RedisStoreOptions } from "./rateLimit/redisStore.js"
import { makeShared } from "./rateLimit/SharedLimiter.js"
import { RateLimitStore, type RateLimitStoreService, type StoreBackend } from "./rateLimit/store.js"

export type { RedisStoreOptions } from "./rateLimit/redisStore.js"
export {
  RateLimitStore,
  RateLimitStoreError,
  type RateLimitStoreService,
  type SharedLimiterInput,
  type StoreBackend
} from "./rateLimit/store.js"

/** The store over `backend`: each client's limiter draws from the budget of its account key. */
export const make = (backend: StoreBackend): RateLimitStoreService => ({
  label: backend.label,
  limiter: ({ accountKey, appKey, ...input }) =>
    Effect.flatMap(budgetOf(accountKey, appKey), (budget) => makeShared({ ...input, store: backend, budget }))
})

/**
 * The windows in Redis, through Effect's `Redis` service (provide one, e.g.
 * `NodeRedis.layer({ url, disableOfflineQueue: true })` from `@effect/platform-node`). Keys are
 * `<prefix>{<hash of the account key>}:<window>`; the account key itself never reaches Redis.
 */
export const layerRedis = (
  options: RedisStoreOptions = {}
): Layer.Layer<RateLimitStore, ConfigurationError, Redis.Redis> =>
  Layer.effect(RateLimitStore, Effect.map(makeRedis(options), make))

/** The windows in this process's memory, shared by the clients built with this layer. */
export const layerMemory: Layer.Layer<RateLimitStore> = /*#__PURE__*/ Layer.effect(
  RateLimitStore,
  /*#__PURE__*/ Effect.map(makeMemory, make)
)
