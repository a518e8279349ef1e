/**
 * The shared rate limit at the API's documented limits (issue 17): 4 worker processes × 500
 * calls, one account limited to 50 requests/second and 1,000/minute, against a loopback
 * server that enforces exactly that (sliding windows, `429` with `Retry-After` beyond them).
 * Once with the budget shared through Redis (`RateLimitStore.layerRedis`), once with
 * the in-memory default (each process paces itself alone). The clients use the default retry
 * policy, as an application would.
 *
 *   npm run bench:shared        (tsx bench/shared-limit.ts; starts its own redis-server)
 *
 * About 3 minutes: 2,000 calls at 1,000/minute take a minute and a half with Redis. Needs
 * `redis-server` (fails without it). Workers are separate OS processes (`test/redis/support/worker.ts`).
 */
import { startRedisServer } from "../scripts/withRedis.js"
import { type Arrival, peakIn, spawnCountingServer } from "../test/redis/support/countingServer.js"
import { startFleet, type WorkerRun } from "../test/redis/support/fleet.js"

const processes = 4
const callsPerProcess = 500
const perSecond = 50
const perMinute = 1000

interface Figures {
  readonly store: string
  readonly seconds: number
  readonly ok: number
  readonly failed: Record<string, number>
  readonly requests: number
  readonly rejected: number
  readonly peakSecond: number
  readonly peakMinute: number
  readonly acceptedPeakSecond: number
  readonly firstMinute: number
  /** Workers that lost Redis at least once (and said so). */
  readonly fallbacks: number
}

const run = async (store: "redis" | "memory", redisUrl: string): Promise<Figures> => {
  const server = await spawnCountingServer({ limit: perSecond, perMinute })
  try {
    const prefix = `bench-${Date.now()}:`
    const fleet = await startFleet(
      Array.from({ length: processes }, (_, i) => ({
        id: `w${i + 1}`,
        baseUrl: server.url,
        appKey: "bench-shared-limit-app-key",
        calls: callsPerProcess,
        concurrency: 8,
        perSecond,
        perMinute,
        retry: true,
        ...(store === "redis" ? { redisUrl, prefix } : {})
      })),
      { timeoutMillis: 300_000 }
    )
    const runs: ReadonlyArray<WorkerRun> = await fleet.done
    const arrivals: Array<Arrival> = await server.arrivals()
    for (const worker of runs) {
      if (worker.status !== 0 || worker.result === undefined)
        throw new Error(`${worker.id} failed:\n${worker.output}`)
    }
    const times = arrivals.map((arrival) => arrival.at)
    const accepted = arrivals.filter((arrival) => arrival.status === 200).map((arrival) => arrival.at)
    const failed: Record<string, number> = {}
    for (const worker of runs) {
      for (const [tag, n] of Object.entries(worker.result!.errors)) failed[tag] = (failed[tag] ?? 0) + n
    }
    const first = Math.min(...times)
    for (const worker of runs) {
      for (const line of worker.logs.filter((log) => log.includes("effect-flashduty:"))) {
        console.log(`  ${worker.id}: ${line}`)
      }
    }
    return {
      store,
      seconds: Number(((Math.max(...times) - fleet.startedAt) / 1000).toFixed(1)),
      ok: runs.reduce((sum, worker) => sum + worker.result!.ok, 0),
      failed,
      requests: arrivals.length,
      rejected: arrivals.length - accepted.length,
      peakSecond: peakIn(times, 1_000),
      peakMinute: peakIn(times, 60_000),
      acceptedPeakSecond: peakIn(accepted, 1_000),
      firstMinute: accepted.filter((t) => t < first + 60_000).length,
      fallbacks: runs.filter((worker) => worker.logs.some((line) => line.includes("effect-flashduty:")))
        .length
    }
  } finally {
    server.stop()
  }
}

const redis = await startRedisServer()
const results: Array<Figures> = []
try {
  for (const store of ["redis", "memory"] as const) {
    console.log(
      `${store}: ${processes} processes × ${callsPerProcess} calls at ${perSecond}/s and ${perMinute}/min…`
    )
    const figures = await run(store, redis.url)
    console.log(JSON.stringify(figures))
    results.push(figures)
  }
} finally {
  await redis.stop()
}

const cell = (n: number) => n.toLocaleString("en-US")
console.log(
  [
    "",
    `| store | calls ok / failed | requests sent (429s) | max in any rolling second (accepted) | max in any rolling minute | accepted in the first minute | time |`,
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...results.map((r) => {
      const failed = Object.entries(r.failed)
        .map(([tag, n]) => `${cell(n)} ${tag}`)
        .join(", ")
      return `| ${r.store === "redis" ? "Redis (shared)" : "in-memory (default)"} | ${cell(r.ok)} / ${failed === "" ? "0" : failed} | ${cell(r.requests)} (${cell(r.rejected)}) | ${r.peakSecond} (${r.acceptedPeakSecond}) | ${cell(r.peakMinute)} | ${cell(r.firstMinute)} | ${r.seconds} s |`
    })
  ].join("\n")
)
