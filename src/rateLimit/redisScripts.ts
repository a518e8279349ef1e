/**
 * The sliding-window log on Redis: three Lua scripts, run through Effect's `Redis` service
 * (`Redis.script`, loaded once and called by `EVALSHA`).
 *
 * Each bucket of a budget is a sorted set of admissions, scored by Redis's own clock
 * (`TIME`, so the processes' clocks never matter), one member per admitted request. `acquire`
 * runs atomically (Redis runs one script at a time): it drops the admissions older than the
 * window, and admits only when every bucket holds fewer than its limit and no pause record is
 * live, recording the admission in every bucket in the same step. So after any admission at
 * `t`, each bucket holds at most `limit` admissions in `(t - window, t]`, whichever process
 * made them: no rolling window ever holds more than the limit. Refused, it answers how long
 * until the oldest admission that holds it back leaves its window (the account's wait and the
 * operation's own apart, so that a caller waits in the right lane).
 *
 * A pause record (`pause`) is a key with a `PX` expiry: a `Retry-After` seen by any process.
 * The peers set counts the clients that used the budget within the last minute; after an
 * outage a client passes how many there were before it, and while fewer are back each limit
 * is cut by the share of those missing (they may still be sending on their own share, which
 * Redis does not see).
 * A marker key lives as long as the longest window: when it is missing (Redis restarted, or
 * lost its data, or the budget was idle), `acquire` answers "fresh" and the client restores its
 * own recent admissions (`restore`, `ZADD NX` by member, so restoring twice changes nothing)
 * before it asks again: a restart never opens a second budget within a window. Every key of a
 * budget carries the budget in a hash tag (`{…}`), so the scripts also run on Redis Cluster.
 */
import * as Redis from "effect/persistence/Redis"

/** `[status, accountWaitMillis, ownWaitMillis, peers]`; status 1 admitted, 0 refused, 2 fresh. */
export type AcquireReply = readonly [status: number, accountWait: number, ownWait: number, peers: number]

export interface AcquireArgs {
  readonly marker: string
  readonly peers: string
  /** Pause keys, each with whether it is the operation's own. */
  readonly pauses: ReadonlyArray<readonly [key: string, own: boolean]>
  /** Bucket keys with their limit, window (ms) and whether each is the operation's own. */
  readonly buckets: ReadonlyArray<readonly [key: string, limit: number, windowMillis: number, own: boolean]>
  readonly client: string
  readonly member: string
  readonly detectLoss: boolean
  /** After an outage, the clients that shared the budget before it (else 0). */
  readonly expectedPeers: number
  readonly marginMillis: number
  readonly peerTtlMillis: number
}

export const acquireScript = Redis.script(
  (args: AcquireArgs) => [
    args.marker,
    args.peers,
    ...args.pauses.map(([key]) => key),
    ...args.buckets.map(([key]) => key),
    args.client,
    args.member,
    args.detectLoss ? 1 : 0,
    args.pauses.length,
    args.marginMillis,
    args.peerTtlMillis,
    args.expectedPeers,
    ...args.pauses.map(([, own]) => (own ? 1 : 0)),
    ...args.buckets.flatMap(([, limit, window, own]) => [limit, window, own ? 1 : 0])
  ],
  {
    numberOfKeys: (args: AcquireArgs) => 2 + args.pauses.length + args.buckets.length,
    lua: `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local client = ARGV[1]
local member = ARGV[2]
local detect = ARGV[3] == "1"
local np = tonumber(ARGV[4])
local margin = tonumber(ARGV[5])
local peerttl = tonumber(ARGV[6])
local expected = tonumber(ARGV[7])
local nb = #KEYS - 2 - np

redis.call("ZADD", KEYS[2], string.format("%.3f", now), client)
redis.call("ZREMRANGEBYSCORE", KEYS[2], "-inf", string.format("%.3f", now - peerttl))
redis.call("PEXPIRE", KEYS[2], peerttl)
local peers = redis.call("ZCARD", KEYS[2])

if detect and redis.call("EXISTS", KEYS[1]) == 0 then
  return { 2, 0, 0, peers }
end

local accountwait = 0
local ownwait = 0
-- After an outage, the clients not back yet may still send on their own share: keep it for them.
local missing = 0
if expected > peers then missing = (expected - peers) / expected end

for i = 1, np do
  local ttl = redis.call("PTTL", KEYS[2 + i])
  if ttl > 0 then
    if ARGV[7 + i] == "1" then
      if ttl > ownwait then ownwait = ttl end
    elseif ttl > accountwait then
      accountwait = ttl
    end
  end
end

local base = 7 + np
local longest = 0
for i = 1, nb do
  local key = KEYS[2 + np + i]
  local limit = tonumber(ARGV[base + 3 * i - 2])
  limit = math.max(1, limit - math.floor(limit * missing))
  local window = tonumber(ARGV[base + 3 * i - 1]) + margin
  local own = ARGV[base + 3 * i] == "1"
  if window > longest then longest = window end
  redis.call("ZREMRANGEBYSCORE", key, "-inf", string.format("%.3f", now - window))
  local count = redis.call("ZCARD", key)
  if count >= limit then
    local oldest = redis.call("ZRANGE", key, count - limit, count - limit, "WITHSCORES")
    local wait = tonumber(oldest[2]) + window - now
    if own then
      if wait > ownwait then ownwait = wait end
    elseif wait > accountwait then
      accountwait = wait
    end
  end
end

if accountwait > 0 or ownwait > 0 then
  return { 0, math.ceil(accountwait), math.ceil(ownwait), peers }
end

local score = string.format("%.3f", now)
for i = 1, nb do
  local key = KEYS[2 + np + i]
  local window = tonumber(ARGV[base + 3 * i - 1]) + margin
  redis.call("ZADD", key, score, member)
  redis.call("PEXPIRE", key, math.ceil(window))
end
if longest > 0 and redis.call("PTTL", KEYS[1]) < longest then
  redis.call("SET", KEYS[1], "1", "PX", math.ceil(longest))
end
return { 1, 0, 0, peers }
`
  }
).withReturnType<AcquireReply>()

/** Sets a pause record for `millis`, unless one already lasts longer. */
export const pauseScript = Redis.script((key: string, millis: number) => [key, millis], {
  numberOfKeys: 1,
  lua: `
local ms = math.ceil(tonumber(ARGV[1]))
if ms > 0 and redis.call("PTTL", KEYS[1]) < ms then
  redis.call("SET", KEYS[1], "1", "PX", ms)
end
return 1
`
})

export interface RestoreArgs {
  readonly marker: string
  readonly markerMillis: number
  readonly marginMillis: number
  readonly buckets: ReadonlyArray<{
    readonly key: string
    readonly windowMillis: number
    readonly entries: ReadonlyArray<readonly [member: string, ageMillis: number]>
  }>
  readonly pauses: ReadonlyArray<readonly [key: string, millis: number]>
}

/**
 * Puts a client's own recent admissions back (scored `now - age`: a little later than they
 * were, never earlier) and its live pauses, then sets the marker.
 */
export const restoreScript = Redis.script(
  (args: RestoreArgs) => [
    args.marker,
    ...args.buckets.map((bucket) => bucket.key),
    ...args.pauses.map(([key]) => key),
    args.buckets.length,
    args.marginMillis,
    args.markerMillis,
    ...args.buckets.flatMap((bucket) => [
      bucket.windowMillis,
      bucket.entries.length,
      ...bucket.entries.flat()
    ]),
    ...args.pauses.map(([, millis]) => millis)
  ],
  {
    numberOfKeys: (args: RestoreArgs) => 1 + args.buckets.length + args.pauses.length,
    lua: `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local nb = tonumber(ARGV[1])
local margin = tonumber(ARGV[2])
local longest = tonumber(ARGV[3])
local a = 4
for i = 1, nb do
  local key = KEYS[1 + i]
  local window = tonumber(ARGV[a]) + margin
  local n = tonumber(ARGV[a + 1])
  a = a + 2
  if window > longest then longest = window end
  for j = 1, n do
    local member = ARGV[a]
    local age = tonumber(ARGV[a + 1])
    a = a + 2
    if age < window then
      redis.call("ZADD", key, "NX", string.format("%.3f", now - age), member)
    end
  end
  if redis.call("EXISTS", key) == 1 and redis.call("PTTL", key) < window then
    redis.call("PEXPIRE", key, math.ceil(window))
  end
end
for i = nb + 2, #KEYS do
  local ms = math.ceil(tonumber(ARGV[a]))
  a = a + 1
  if ms > 0 and redis.call("PTTL", KEYS[i]) < ms then
    redis.call("SET", KEYS[i], "1", "PX", ms)
  end
end
if longest > 0 and redis.call("PTTL", KEYS[1]) < longest then
  redis.call("SET", KEYS[1], "1", "PX", math.ceil(longest))
end
return 1
`
  }
)
