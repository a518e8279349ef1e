/**
 * One account's rate limit shared by 4 separate OS processes through a real Redis
 * (`npm run test:redis`: `scripts/withRedis.ts` starts `redis-server` on a free loopback port;
 * without it this suite fails, it never skips).
 *
 * Each process is a real client (`test/redis/support/worker.ts`) with the same app key and
 * `rateLimit: { perSecond: 20 }`, against one loopback server that enforces 20 requests in any
 * rolling second (`support/countingServer.ts`). With `RateLimitStore.layerRedis` they keep to
 * 20 together; with the in-memory default each keeps to 20 alone, 80 together. Then Redis is
 * killed mid-run and restarted: no call fails for it, each process keeps to its share (5/s)
 * while it is down, and they share the budget again after.
 */
import { Effect } from "effect"
import { createClient } from "redis"
import { afterAll, assert, beforeAll, describe, it } from "vitest"
import { startRedisServer } from "../../scripts/withRedis.js"
import { hashKey } from "../../src/rateLimit/budget.js"
import { peakIn, spawnCountingServer } from "./support/countingServer.js"
import { startFleet, type WorkerRun } from "./support/fleet.js"
import type { WorkerConfig } from "./support/worker.js"

const redisUrl = process.env.REDIS_URL
if (redisUrl === undefined || redisUrl === "") {
  throw new Error(
    "REDIS_URL is not set: run this suite with `npm run test:redis`, which starts a redis-server for it"
  )
}

const limit = 20
const processes = 4
const appKey = "redis-suite-app-key-5b1e"

type Server = Awaited<ReturnType<typeof spawnCountingServer>>

const fleetOf = (
  server: Server,
  calls: number,
  shared: { readonly redisUrl: string; readonly prefix: string } | undefined
): ReadonlyArray<WorkerConfig> =>
  Array.from({ length: processes }, (_, i) => ({
    id: `w${i + 1}`,
    baseUrl: server.url,
    appKey,
    calls,
    concurrency: 4,
    perSecond: limit,
    perMinute: 1000,
    ...(shared === undefined ? {} : shared)
  }))

/** Every call of every worker ended in a value or a typed error; the worker exited cleanly. */
const assertAllAccounted = (runs: ReadonlyArray<WorkerRun>, calls: number) => {
  for (const run of runs) {
    assert.strictEqual(run.status, 0, `${run.id} exited cleanly:\n${run.output}`)
    assert.isDefined(run.result, `${run.id} reported:\n${run.output}`)
    const failed = Object.values(run.result!.errors).reduce((sum, n) => sum + n, 0)
    assert.strictEqual(
      run.result!.ok + failed,
      calls,
      `${run.id}: every call ended in a value or a typed error`
    )
    assert.strictEqual(run.result!.defects, 0, `${run.id}: no defect`)
  }
}

/** The SDK's own log lines (not the Redis client's reconnect warnings). */
const sdkLogs = (run: WorkerRun) => run.logs.filter((line) => line.includes("effect-flashduty:"))

let server: Server

beforeAll(async () => {
  // In a process of its own: its arrival times are the server's view, whatever the runner does.
  server = await spawnCountingServer({ limit })
})

afterAll(() => {
  server?.stop()
})

describe(`${processes} processes, one account limited to ${limit}/s`, () => {
  it("sharing it through Redis: at most the limit in any rolling second, no 429, throughput ≥ 0.9× the limit", async () => {
    await server.arrivals()
    const calls = 35
    const fleet = await startFleet(fleetOf(server, calls, { redisUrl, prefix: `suite-${Date.now()}:` }))
    const runs = await fleet.done
    assertAllAccounted(runs, calls)
    const arrivals = await server.arrivals()
    const times = arrivals.map((arrival) => arrival.at)
    const rejected = arrivals.filter((arrival) => arrival.status === 429).length
    const first = Math.min(...times)
    // The steady rate: after the first second (whose `limit` an empty window let go at once),
    // over the next five whole windows, while every process still had calls waiting.
    const steady = times.filter((t) => t >= first + 1_000 && t < first + 6_000).length / 5
    const report = {
      requests: times.length,
      peakPerRollingSecond: peakIn(times, 1000),
      rejected429: rejected,
      steadyPerSecond: steady,
      seconds: Number(((Math.max(...times) - fleet.startedAt) / 1000).toFixed(2)),
      maxDeliveryDelayMs: Math.round(Math.max(...arrivals.map((arrival) => arrival.delay))),
      fellBack: runs.filter((run) => sdkLogs(run).length > 0).map((run) => run.id)
    }
    console.log(`shared (Redis): ${JSON.stringify(report)}`)
    assert.strictEqual(times.length, processes * calls)
    assert.isAtMost(report.peakPerRollingSecond, limit, "server-side maximum in any rolling second")
    assert.strictEqual(rejected, 0, "no 429")
    assert.isAtLeast(steady, 0.9 * limit, "throughput")
    assert.deepStrictEqual(report.fellBack, [], "Redis answered throughout")
  })

  it("each on its own (the in-memory default): about 4× the limit, and 429s", async () => {
    await server.arrivals()
    const calls = 30
    const fleet = await startFleet(fleetOf(server, calls, undefined))
    const runs = await fleet.done
    assertAllAccounted(runs, calls)
    const arrivals = await server.arrivals()
    const times = arrivals.map((arrival) => arrival.at)
    const rejected = arrivals.filter((arrival) => arrival.status === 429).length
    const report = {
      requests: times.length,
      peakPerRollingSecond: peakIn(times, 1000),
      rejected429: rejected
    }
    console.log(`in-memory default: ${JSON.stringify(report)}`)
    assert.isAtLeast(report.peakPerRollingSecond, 3 * limit, "each process sent the whole limit")
    assert.isAbove(rejected, 0, "the server refused the excess")
  })

  it("Redis killed mid-run and restarted: every call ends, each process keeps to its share while it is down, shared again after", async () => {
    // A server of its own, to kill: the suite's other tests keep theirs.
    const redis = await startRedisServer()
    const probe = createClient({ url: redis.url })
    try {
      await server.arrivals()
      const calls = 50
      const prefix = `outage-${Date.now()}:`
      const fleet = await startFleet(fleetOf(server, calls, { redisUrl: redis.url, prefix }))
      await new Promise((resolve) => setTimeout(resolve, 2_500))
      const killedAt = performance.timeOrigin + performance.now()
      await redis.kill()
      await new Promise((resolve) => setTimeout(resolve, 2_500))
      await redis.restart()
      const restartedAt = performance.timeOrigin + performance.now()
      const runs = await fleet.done
      const arrivals = await server.arrivals()

      // Every call ended in a value or a typed error: none failed because Redis was down.
      assertAllAccounted(runs, calls)

      // Each process said once that it fell back, and once that it was back.
      for (const run of runs) {
        const logs = sdkLogs(run)
        const down = logs.filter((line) => line.startsWith("Warn") && /rate-limit store \(redis\)/.test(line))
        const back = logs.filter((line) => line.startsWith("Info") && /answers again/.test(line))
        assert.strictEqual(down.length, 1, `${run.id} logged its fallback once:\n${logs.join("\n")}`)
        assert.strictEqual(back.length, 1, `${run.id} logged its return once:\n${logs.join("\n")}`)
        assert.match(down[0]!, /25% of each limit \(1 of 4 clients sharing the budget\)/)
      }

      // While Redis was down (from one second after the kill, when the last shared
      // admissions left the window, until the restart): each process within its share.
      const during = arrivals.filter((a) => a.at >= killedAt + 1_000 && a.at < restartedAt)
      const perWorker = Object.fromEntries(
        runs.map((run) => [
          run.id,
          peakIn(
            during.filter((a) => a.worker === run.id).map((a) => a.at),
            1000
          )
        ])
      )
      const times = arrivals.map((a) => a.at)
      const report = {
        requests: times.length,
        rejected429: arrivals.filter((a) => a.status === 429).length,
        peakPerRollingSecond: peakIn(times, 1000),
        whileDown: {
          requests: during.length,
          peakPerRollingSecond: peakIn(
            during.map((a) => a.at),
            1000
          ),
          perWorker
        },
        outcomes: runs.map((run) => ({ id: run.id, ok: run.result!.ok, errors: run.result!.errors }))
      }
      console.log(`Redis killed and restarted: ${JSON.stringify(report)}`)
      assert.isAbove(during.length, 0, "calls went out while Redis was down")
      for (const [id, peak] of Object.entries(perWorker)) {
        assert.isAtMost(
          peak,
          limit / processes,
          `${id} kept to its share (${limit}/s × 1/${processes}) while down`
        )
      }
      assert.isAtMost(report.whileDown.peakPerRollingSecond, limit, "together within the limit while down")

      // Shared again: each process put what it sent back into the restarted Redis, and drew
      // from it again.
      await probe.connect()
      const budget = await Effect.runPromise(hashKey(appKey))
      const members = await probe.zRange(`${prefix}{${budget}}:account/minute`, 0, -1)
      const clients = new Set(members.map((member) => member.slice(0, member.lastIndexOf("."))))
      assert.strictEqual(clients.size, processes, "every process's admissions are in the restarted Redis")
      assert.isAtLeast(members.length, times.length, "including those sent while it was down")
      for (const run of runs) {
        const after = arrivals.filter((a) => a.worker === run.id && a.at > restartedAt + 2_500)
        assert.isAbove(after.length, 0, `${run.id} sent after Redis came back`)
      }
    } finally {
      await probe.quit().catch(() => undefined)
      await redis.stop()
    }
  })
})
