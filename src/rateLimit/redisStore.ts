/**
 * The Redis backend of a shared rate limit, over Effect's `Redis` service
 * (`effect/persistence/Redis`): the sliding windows as sorted sets, admitted and recorded by one
 * Lua script (`redisScripts.ts`). No Redis client is bundled: the user provides one.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redis from "effect/persistence/Redis"
import { ConfigurationError } from "../FlashdutyOptions.js"
import { describeValue } from "../pipeline/optionRules.js"
import { scrubUrlCredentials } from "../pipeline/redact.js"
import { acquireScript, pauseScript, restoreScript } from "./redisScripts.js"
import { peerTtlMillis, RateLimitStoreError, type StoreBackend, type StoreVerdict } from "./store.js"

/** Options of the Redis store. */
export interface RedisStoreOptions {
  /** Prefix of every key. Default `"effect-flashduty:rate-limit:"`. */
  readonly prefix?: string
  /** Longest wait for Redis's answer before this process falls back to its share. Default 250 ms. */
  readonly timeout?: Duration.Input
  /**
   * While Redis is unreachable, how often a call tries it again. Default 250 ms: soon after it
   * is back, every process has put what it sent meanwhile into it, and draws from it again.
   */
  readonly probeInterval?: Duration.Input
  /**
   * Added to every window (default 50 ms; a window of a minute or more gets 1% of its length
   * if that is more: 600 ms a minute). An admission is stamped by Redis's clock and reaches
   * the API a moment later, after a delay that differs from process to process and from
   * request to request (a busy event loop, a new connection, the network). Requests admitted a
   * window apart may arrive closer together than that by the difference; the margin absorbs
   * differences up to its size, so that the server never counts one request too many in a
   * rolling window. It costs `margin / window` of the throughput: 5% of a per-second limit at
   * 50 ms, 1% of a per-minute one. `0` keeps the windows exact at Redis's clock.
   */
  readonly margin?: Duration.Input
}

const defaults = {
  prefix: "effect-flashduty:rate-limit:",
  timeout: Duration.millis(250),
  probeInterval: Duration.millis(250),
  margin: Duration.millis(50)
}

/**
 * What went wrong, in words, for the one log line: the Redis client's own error (a `RedisError`
 * carries it as its `cause`), with a URL's credentials (`redis://user:password@host`) taken out.
 */
const causeText = (cause: unknown): string => {
  const inner =
    typeof cause === "object" && cause !== null && (cause as { _tag?: unknown })._tag === "RedisError"
      ? (cause as { cause?: unknown }).cause
      : cause
  const text = inner instanceof Error ? inner.message : String(inner)
  return scrubUrlCredentials(text).slice(0, 300)
}

const storeError = (what: string) => (cause: unknown) => {
  const text = causeText(cause)
  // The cause kept is the scrubbed text: the client's error may hold the URL it connected to.
  return new RateLimitStoreError({ message: `${what}: ${text}`, cause: new Error(text) })
}

/**
 * A duration option: finite, positive (or zero where allowed); otherwise a
 * `ConfigurationError` naming it, as the client's options are checked.
 */
const durationOption = (
  name: string,
  value: Duration.Input | undefined,
  fallback: Duration.Duration,
  allowZero = false
): Effect.Effect<Duration.Duration, ConfigurationError> => {
  if (value === undefined) return Effect.succeed(fallback)
  const duration = Duration.fromInput(value)
  const millis = Option.isSome(duration) ? Duration.toMillis(duration.value) : Number.NaN
  if (Option.isNone(duration) || !Number.isFinite(millis) || millis < 0 || (!allowZero && millis === 0)) {
    const option = `RateLimitStore.${name}`
    return Effect.fail(
      new ConfigurationError({
        option,
        message: `${option} must be a ${allowZero ? "" : "positive "}finite duration such as "100 millis", got ${describeValue(value)}`
      })
    )
  }
  return Effect.succeed(duration.value)
}

/**
 * The acquire script's reply, `[status, accountWait, ownWait, peers]`. Anything else (a proxy
 * or another server answering, a script of another version) is a store failure, so that the
 * limiter falls back to its share instead of sleeping `NaN` or spinning on the store.
 */
const verdictOf = (reply: unknown): Effect.Effect<StoreVerdict, RateLimitStoreError> => {
  const numbers = Array.isArray(reply) && reply.length === 4 ? reply.map(Number) : []
  const [status, accountMillis, ownMillis, peers] = numbers
  const valid =
    numbers.length === 4 &&
    numbers.every((n) => Number.isFinite(n)) &&
    (status === 0 || status === 1 || status === 2)
  if (!valid) {
    return Effect.fail(
      new RateLimitStoreError({
        message: `acquire: unexpected reply from the store: ${JSON.stringify(reply)?.slice(0, 100)}`
      })
    )
  }
  if (status === 1) return Effect.succeed({ _tag: "Admitted", peers: peers! })
  if (status === 2) return Effect.succeed({ _tag: "Fresh", peers: peers! })
  return Effect.succeed({
    _tag: "Wait",
    accountMillis: Math.max(0, accountMillis!),
    ownMillis: Math.max(0, ownMillis!),
    peers: peers!
  })
}

/**
 * The Redis store over Effect's `Redis` service: the sliding windows as sorted sets, admitted
 * and recorded by one Lua script (see `redisScripts.ts`).
 */
export const makeRedis = (
  options: RedisStoreOptions = {}
): Effect.Effect<StoreBackend, ConfigurationError, Redis.Redis> =>
  Effect.gen(function* () {
    const redis = yield* Redis.Redis
    const prefix = options.prefix ?? defaults.prefix
    if (typeof prefix !== "string") {
      return yield* new ConfigurationError({
        option: "RateLimitStore.prefix",
        message: `RateLimitStore.prefix must be a string, got ${describeValue(prefix)}`
      })
    }
    const timeout = yield* durationOption("timeout", options.timeout, defaults.timeout)
    const probeInterval = yield* durationOption(
      "probeInterval",
      options.probeInterval,
      defaults.probeInterval
    )
    const marginMillis = Duration.toMillis(
      yield* durationOption("margin", options.margin, defaults.margin, true)
    )
    // The scripts add `marginMillis` to every window; a long window gets the rest of its 1% here.
    const marginFor = (windowMillis: number) =>
      marginMillis === 0 ? 0 : Math.max(marginMillis, windowMillis / 100)
    const widened = (windowMillis: number) => windowMillis + marginFor(windowMillis) - marginMillis
    const runAcquire = redis.eval(acquireScript)
    const runPause = redis.eval(pauseScript)
    const runRestore = redis.eval(restoreScript)
    // The budget in a hash tag: every key of one budget lives in one Redis Cluster slot.
    const keyOf = (budget: string, name: string) => `${prefix}{${budget}}:${name}`
    return {
      label: "redis",
      timeout,
      probeInterval,
      marginFor,
      acquire: (request) =>
        runAcquire({
          marker: keyOf(request.budget, "marker"),
          peers: keyOf(request.budget, "peers"),
          pauses: request.pauses.map((pause) => [keyOf(request.budget, pause.key), pause.own] as const),
          buckets: request.buckets.map(
            (bucket) =>
              [
                keyOf(request.budget, bucket.key),
                bucket.limit,
                widened(bucket.windowMillis),
                bucket.own
              ] as const
          ),
          client: request.client,
          member: request.member,
          detectLoss: request.detectLoss,
          expectedPeers: request.expectedPeers,
          marginMillis,
          peerTtlMillis
        }).pipe(Effect.mapError(storeError("acquire")), Effect.flatMap(verdictOf)),
      pause: (budget, key, millis) =>
        runPause(keyOf(budget, key), millis).pipe(Effect.mapError(storeError("pause")), Effect.asVoid),
      restore: (request) =>
        runRestore({
          marker: keyOf(request.budget, "marker"),
          markerMillis: request.longestWindowMillis + marginFor(request.longestWindowMillis),
          marginMillis,
          buckets: request.buckets.map((bucket) => ({
            ...bucket,
            key: keyOf(request.budget, bucket.key),
            windowMillis: widened(bucket.windowMillis)
          })),
          pauses: request.pauses.map(([key, millis]) => [keyOf(request.budget, key), millis] as const)
        }).pipe(Effect.mapError(storeError("restore")), Effect.asVoid),
      // Each script once with nothing to do: loaded (SCRIPT LOAD) before a request waits on it.
      prepare: (budget, client) =>
        Effect.all(
          [
            runAcquire({
              marker: keyOf(budget, "marker"),
              peers: keyOf(budget, "peers"),
              pauses: [],
              buckets: [],
              client,
              member: `${client}.prepare`,
              detectLoss: false,
              expectedPeers: 0,
              marginMillis,
              peerTtlMillis
            }),
            runPause(keyOf(budget, "pause/prepare"), 0),
            runRestore({
              marker: keyOf(budget, "marker"),
              markerMillis: 0,
              marginMillis: 0,
              buckets: [],
              pauses: []
            })
          ],
          { concurrency: "unbounded", discard: true }
        ).pipe(Effect.mapError(storeError("prepare")))
    } satisfies StoreBackend
  })
