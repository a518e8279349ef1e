/**
 * What a shared rate limit is made of: the backend that keeps its windows (Redis, or this
 * process's memory), the requests the shared limiter sends it, and the `RateLimitStore` key
 * the client looks for in its layer's context.
 *
 * The key's service builds a client's limiter, so that `RateLimit.make` reaches the shared
 * limiter (`SharedLimiter.ts`), the Lua scripts and the budget hash only through a store the
 * user provided: an app without one bundles none of them (`bench:bundle`).
 */
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import type { ConfigurationError } from "../FlashdutyOptions.js"
import type { Bucket, ClientRateLimiter } from "../RateLimit.js"
import type { OperationInfo } from "../runtime/Operation.js"

/** One window of a budget, as the store sees it. */
export interface StoreBucket {
  /** Its name within the budget: `account/second`, `operation/<operationId>/perDay`. */
  readonly key: string
  readonly limit: number
  readonly windowMillis: number
  /** An operation's own (stricter) window, as opposed to the account's. */
  readonly own: boolean
}

/** A pause record a request must respect: the account's, or its operation's own. */
export interface StorePause {
  readonly key: string
  readonly own: boolean
}

/** What the store answers to one request for admission. */
export type StoreVerdict =
  /** Admitted, and recorded in every window. */
  | { readonly _tag: "Admitted"; readonly peers: number }
  /** Not now: how long until the account's windows (and pause), and the operation's own, have room. */
  | {
      readonly _tag: "Wait"
      readonly accountMillis: number
      readonly ownMillis: number
      readonly peers: number
    }
  /** The store lost its state (a restarted Redis): restore the client's admissions first. */
  | { readonly _tag: "Fresh"; readonly peers: number }

export interface AcquireRequest {
  /** The budget: a hash of the account key. */
  readonly budget: string
  /** This client's id (counted among the peers sharing the budget). */
  readonly client: string
  /** This request's unique id in the windows. */
  readonly member: string
  readonly buckets: ReadonlyArray<StoreBucket>
  readonly pauses: ReadonlyArray<StorePause>
  /** Answer `Fresh` when the store has lost its state. */
  readonly detectLoss: boolean
  /**
   * After an outage, how many clients shared the budget before it (else 0): while fewer are
   * seen, each limit is cut by the share of those missing (they may still be sending on
   * their own share, which the store does not see).
   */
  readonly expectedPeers: number
}

export interface RestoreRequest {
  readonly budget: string
  readonly buckets: ReadonlyArray<{
    readonly key: string
    readonly windowMillis: number
    /** Admissions still within the window: their member and how long ago they were made. */
    readonly entries: ReadonlyArray<readonly [member: string, ageMillis: number]>
  }>
  /** Live pauses and how long they have left. */
  readonly pauses: ReadonlyArray<readonly [key: string, millis: number]>
  /** The longest window the client knows of (how long the store's marker should live). */
  readonly longestWindowMillis: number
}

/** The store failed or was unreachable; never seen by a caller (the limiter falls back). */
export class RateLimitStoreError extends Data.TaggedError("RateLimitStoreError")<{
  readonly message: string
  readonly cause?: unknown
}> {}

/**
 * Where the windows live, as the shared limiter (`SharedLimiter.ts`) uses them: Redis
 * (`redisStore.ts`) or this process's memory (`memoryStore.ts`).
 */
export interface StoreBackend {
  /** Named in the log line when the store fails: `redis`, `memory`. */
  readonly label: string
  /** Longest wait for one answer; slower counts as unreachable. */
  readonly timeout: Duration.Duration
  /** While unreachable, how often a call tries the store again. */
  readonly probeInterval: Duration.Duration
  /** What the store adds to a window (see {@link RedisStoreOptions.margin}); the fallback adds it too. */
  readonly marginFor: (windowMillis: number) => number
  /** Admits (and records) one request, atomically across every process, or says how long to wait. */
  readonly acquire: (request: AcquireRequest) => Effect.Effect<StoreVerdict, RateLimitStoreError>
  /** Pauses `key` of `budget` for `millis` (a `Retry-After`), unless it is paused for longer. */
  readonly pause: (budget: string, key: string, millis: number) => Effect.Effect<void, RateLimitStoreError>
  /** Puts a client's recent admissions and pauses back (after an outage or a restart). */
  readonly restore: (request: RestoreRequest) => Effect.Effect<void, RateLimitStoreError>
  /**
   * Gets ready before the first request (loads the Redis scripts) and counts `client` among
   * the budget's peers; changes no window. Run once when the limiter is built.
   */
  readonly prepare: (budget: string, client: string) => Effect.Effect<void, RateLimitStoreError>
}

/** How long a client counts among the peers sharing a budget after its last request. */
export const peerTtlMillis = 60_000

/** What `RateLimit.make` hands a store to build one client's shared limiter. */
export interface SharedLimiterInput {
  /** `rateLimit.accountKey`, when given: the budget is its hash. */
  readonly accountKey: string | Redacted.Redacted<string> | undefined
  /** The client's app key, when it logs in with one: the budget is its hash otherwise. */
  readonly appKey: Redacted.Redacted<string> | undefined
  /** The windows an operation's requests draw from (the account's and its own stricter ones). */
  readonly bucketsOf: (operation: OperationInfo) => ReadonlyArray<Bucket>
  /** `rateLimit.fallbackShare`, when set. */
  readonly fallbackShare: number | undefined
  /**
   * A local limiter over the buckets changed by `scale` (its share of each), whose windows
   * start with the admissions `seed` gives for each bucket (this process's own, oldest first).
   */
  readonly fallback: (
    scale: (bucket: Bucket) => Bucket,
    seed: (bucket: Bucket) => ReadonlyArray<number>
  ) => ClientRateLimiter
}

/** The service of {@link RateLimitStore}: builds a client's limiter over one backend. */
export interface RateLimitStoreService {
  /** The backend's name: `redis`, `memory`. */
  readonly label: string
  /**
   * The limiter of one client, drawing from the budget of its account key; a
   * `ConfigurationError` on `rateLimit.accountKey` when there is none (an `accessToken` login).
   */
  readonly limiter: (input: SharedLimiterInput) => Effect.Effect<ClientRateLimiter, ConfigurationError>
}

/**
 * The store a shared rate limit keeps its windows in, looked up by the client when its layer
 * is built. Provide it with `RateLimitStore.layerRedis()` or `RateLimitStore.layerMemory`
 * (`src/RateLimitStore.ts`); every client built with it that uses the same account key
 * shares that account's budget.
 */
export class RateLimitStore extends Context.Service<RateLimitStore, RateLimitStoreService>()(
  "effect-flashduty/RateLimitStore"
) {}
