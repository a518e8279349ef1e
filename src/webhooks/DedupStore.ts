/**
 * Where a receiver remembers the events it has taken, so that a second delivery of one (Flashduty
 * retries on a timeout: the same `event_id`) is dropped. The one operation that matters is an
 * atomic set-if-absent: of two deliveries racing, exactly one claims the event. A read-then-write
 * store ("is it there? no: add it") lets both through when they interleave, on one process as on
 * two replicas.
 *
 * - {@link memoryStore}: in the process, bounded (oldest entries go first beyond the capacity);
 *   enough for one replica.
 * - {@link redisStore}: `SET key 1 NX PX ttl` through Effect's `Redis` service
 *   (`effect/persistence/Redis`), for many replicas behind one endpoint.
 * - any other {@link SetIfAbsent} (a SQL `INSERT … ON CONFLICT DO NOTHING`, DynamoDB's conditional
 *   put, …).
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redis from "effect/persistence/Redis"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { ConfigurationError } from "../FlashdutyOptions.js"
import { describeValue } from "../pipeline/optionRules.js"
import { scrubUrlCredentials } from "../pipeline/redact.js"

/** The store failed (unreachable, timed out, refused the command); `message` names the operation. */
export class DedupStoreError extends Schema.TaggedError<DedupStoreError>()("DedupStoreError", {
  message: Schema.String,
  cause: Schema.Defect()
}) {}

/** An atomic set-if-absent with expiry: what deduplication needs of a store. */
export interface SetIfAbsent {
  /**
   * Records `key` for `ttl` and answers `true` if it was absent (the caller owns the event), or
   * `false` if it is already there and not expired. Atomic: of concurrent calls with one key,
   * exactly one gets `true`.
   */
  readonly setIfAbsent: (key: string, ttl: Duration.Duration) => Effect.Effect<boolean, DedupStoreError>
  /** Forgets `key` (a handler that failed gives its event back, so that a redelivery runs it). */
  readonly remove: (key: string) => Effect.Effect<void, DedupStoreError>
}

export interface MemoryStoreOptions {
  /**
   * How many keys it holds at most; beyond that the oldest go first (an event delivered again
   * after being pushed out is processed again). Default 10,000.
   */
  readonly capacity?: number
}

const capacityOf = (value: unknown, option: string): Result.Result<number, ConfigurationError> =>
  value === undefined
    ? Result.succeed(10_000)
    : typeof value === "number" && Number.isSafeInteger(value) && value > 0
      ? Result.succeed(value)
      : Result.fail(
          new ConfigurationError({
            option,
            message: `${option} must be a positive whole number, got ${describeValue(value)}`
          })
        )

/** Keys by insertion (oldest first): an entry's expiry, in epoch milliseconds of Effect's `Clock`. */
class BoundedExpiringSet {
  private readonly entries = new Map<string, number>()
  constructor(private readonly capacity: number) {}

  setIfAbsent(key: string, expiresAt: number, now: number): boolean {
    const current = this.entries.get(key)
    if (current !== undefined && current > now) return false
    this.entries.delete(key)
    this.entries.set(key, expiresAt)
    // From the oldest: drop what has expired, and what is beyond the capacity.
    for (const [oldest, expiry] of this.entries) {
      if (expiry > now && this.entries.size <= this.capacity) break
      this.entries.delete(oldest)
    }
    return true
  }

  remove(key: string): void {
    this.entries.delete(key)
  }
}

/**
 * A store in this process's memory, bounded by `capacity`; expiry runs on Effect's `Clock` (so
 * `TestClock` drives it). Each replica has its own: behind a load balancer, use
 * {@link redisStore}.
 *
 * @example
 * ```ts
 * const dedup = yield* Webhooks.memoryStore({ capacity: 50_000 })
 * ```
 */
export const memoryStore = (
  options: MemoryStoreOptions = {}
): Effect.Effect<SetIfAbsent, ConfigurationError> =>
  Effect.gen(function* () {
    const capacity = yield* Effect.fromResult(capacityOf(options.capacity, "capacity"))
    const set = new BoundedExpiringSet(capacity)
    return {
      setIfAbsent: (key, ttl) =>
        Effect.map(Clock.currentTimeMillis, (now) => set.setIfAbsent(key, now + Duration.toMillis(ttl), now)),
      remove: (key) => Effect.sync(() => set.remove(key))
    } satisfies SetIfAbsent
  })

export interface RedisStoreOptions {
  /** Prefix of every key; default `effect-flashduty:webhook:`. */
  readonly prefix?: string
}

/** Credentials in a connection URL (`redis://user:password@host`) never reach a log line. */
const safeCause = (cause: unknown): unknown =>
  cause instanceof Error ? new Error(scrubUrlCredentials(cause.message)) : scrubUrlCredentials(String(cause))

const storeError = (operation: string) => (error: Redis.RedisError) =>
  new DedupStoreError({ message: `redis ${operation} failed`, cause: safeCause(error.cause) })

/**
 * A store in Redis, through Effect's `Redis` service (provide the layer of your Redis client):
 * `SET <prefix><key> 1 NX PX <ttl ms>`, atomic in Redis, so that replicas sharing it process an
 * event once between them; `DEL` to give an event back.
 *
 * @example
 * ```ts
 * const dedup = yield* Webhooks.redisStore({ prefix: "my-app:flashduty:" })
 * const receiver = yield* Webhooks.makeReceiver({ handle, secret, dedup })
 * ```
 */
export const redisStore = (options: RedisStoreOptions = {}): Effect.Effect<SetIfAbsent, never, Redis.Redis> =>
  Effect.gen(function* () {
    const redis = yield* Redis.Redis
    const prefix = options.prefix ?? "effect-flashduty:webhook:"
    return {
      setIfAbsent: (key, ttl) =>
        redis
          .send<string | null>(
            "SET",
            `${prefix}${key}`,
            "1",
            "NX",
            "PX",
            String(Math.max(1, Math.ceil(Duration.toMillis(ttl))))
          )
          .pipe(
            Effect.mapError(storeError("SET NX PX")),
            // `OK`: claimed; `null`: the key exists (a duplicate). Anything else (a proxy, another
            // server) is a store failure, handled by `onStoreFailure`, never a silent duplicate.
            Effect.flatMap((reply) =>
              reply === "OK"
                ? Effect.succeed(true)
                : reply === null
                  ? Effect.succeed(false)
                  : Effect.fail(
                      new DedupStoreError({
                        message: `redis SET NX PX: unexpected reply ${JSON.stringify(reply)?.slice(0, 100)}`,
                        cause: undefined
                      })
                    )
            )
          ),
      remove: (key) =>
        redis.send("DEL", `${prefix}${key}`).pipe(Effect.asVoid, Effect.mapError(storeError("DEL")))
    } satisfies SetIfAbsent
  })

/** @internal the capacity rule, shared with the ordering guard. */
export const checkCapacity = capacityOf
