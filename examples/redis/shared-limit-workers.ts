/**
 * Two worker processes, one account, one rate limit: each process's client takes
 * `RateLimitStore.layerRedis()` from its context (over `@effect/platform-node`'s
 * Redis layer), so the two draw from one budget kept in Redis instead of each pacing itself
 * to the whole limit. Here the limit is 5 requests per second, and each worker fires 10 calls
 * at once: together they send 5 per second, not 10. The stand-in runs in this process; the
 * workers are separate OS processes, as pods or serverless functions would be.
 *
 * Needs a Redis: `REDIS_URL` (default `redis://127.0.0.1:6379`), or let the project start a
 * throwaway one on a free loopback port (`redis-server` installed):
 *
 *   npx tsx scripts/withRedis.ts tsx examples/redis/shared-limit-workers.ts
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/redis/shared-limit-workers.ts
 *
 * The packages: `npm install effect-flashduty effect @effect/platform-node redis`.
 */
import { spawn } from "node:child_process"
import * as net from "node:net"
import { fileURLToPath } from "node:url"
import { NodeRedis } from "@effect/platform-node"
import { Console, Effect, Layer, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { Flashduty, RateLimitStore } from "effect-flashduty"
import { FlashdutyStandIn } from "effect-flashduty/testing"

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379"
const perSecond = 5
const callsPerWorker = 10

/** One worker: its own client, sharing the account's budget through Redis. */
const worker = (name: string, baseUrl: string, appKey: string) => {
  const program = Effect.gen(function* () {
    const fd = yield* Flashduty
    // A process's very first call pays for opening its connection; a burst on open connections
    // arrives sooner after it is admitted. One call first, as a running service would have made.
    yield* fd.incidents.list({ progress: "Triggered", limit: 1 })
    yield* Effect.forEach(
      Array.from({ length: callsPerWorker }, (_, i) => i),
      () => fd.incidents.list({ progress: "Triggered", limit: 1 }),
      { concurrency: "unbounded", discard: true }
    )
    yield* Console.log(`worker ${name} done`)
  })
  const live = Flashduty.layer({
    appKey: Redacted.make(appKey),
    baseUrl,
    rateLimit: { perSecond },
    userAgent: `shared-limit-example (${name})`
  }).pipe(
    // The shared budget: every client with the same app key (only its hash reaches Redis).
    Layer.provide(RateLimitStore.layerRedis({ prefix: "example:shared-limit:" })),
    // While Redis is unreachable, a command fails at once (and the client paces itself at its
    // share of the limit) instead of waiting for the connection to come back.
    Layer.provide(NodeRedis.layer({ url: redisUrl, disableOfflineQueue: true })),
    Layer.provide(FetchHttpClient.layer)
  )
  return Effect.runPromise(Effect.provide(program, live))
}

/** Resolves when something listens at the Redis URL's host and port. */
const redisReachable = () =>
  new Promise<boolean>((resolve) => {
    const url = new URL(redisUrl)
    const socket = net.connect(Number(url.port || 6379), url.hostname)
    socket.setTimeout(1_000)
    socket.once("connect", () => {
      socket.destroy()
      resolve(true)
    })
    socket.once("error", () => resolve(false))
    socket.once("timeout", () => {
      socket.destroy()
      resolve(false)
    })
  })

/** Starts one worker process (its requests say which it is); resolves when it is done. */
const runWorker = (name: string, baseUrl: string, appKey: string) =>
  new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", fileURLToPath(import.meta.url), "--worker", name, baseUrl, appKey],
      { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, REDIS_URL: redisUrl } }
    )
    let output = ""
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8")
    })
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`worker ${name} exited with ${code}:\n${output}`))
    )
  })

const main = Effect.scoped(
  Effect.gen(function* () {
    if (!(yield* Effect.promise(redisReachable))) {
      return yield* Effect.fail(
        new Error(
          `no Redis at ${redisUrl}: set REDIS_URL, or run \`npx tsx scripts/withRedis.ts tsx examples/redis/shared-limit-workers.ts\``
        )
      )
    }
    const standIn = yield* FlashdutyStandIn.serve({ port: 0 })
    const appKey = Redacted.value(yield* standIn.control.appKey)
    yield* Console.log(
      `two workers, ${callsPerWorker} calls each, one account limited to ${perSecond}/s, shared through ${redisUrl}`
    )
    yield* Effect.promise(() =>
      Promise.all([runWorker("a", standIn.url, appKey), runWorker("b", standIn.url, appKey)])
    )
    // When the stand-in received each request (the API's view), and from which worker.
    const received = (yield* standIn.control.requests).map((request) => ({
      at: request.receivedAt,
      worker: request.headers["user-agent"]?.endsWith("(a)") ? "a" : "b"
    }))
    const times = received.map((request) => request.at).sort((x, y) => x - y)
    const start = times[0]!
    const bySecond = new Map<number, { a: number; b: number }>()
    for (const request of received) {
      const second = Math.floor((request.at - start) / 1000)
      const counts = bySecond.get(second) ?? { a: 0, b: 0 }
      counts[request.worker as "a" | "b"]++
      bySecond.set(second, counts)
    }
    for (const [second, counts] of [...bySecond].sort(([x], [y]) => x - y)) {
      yield* Console.log(
        `  second ${second}: worker a ${counts.a}, worker b ${counts.b}, together ${counts.a + counts.b}`
      )
    }
    let peak = 0
    for (const t of times) peak = Math.max(peak, times.filter((u) => u >= t && u < t + 1000).length)
    yield* Console.log(
      `${times.length} requests in ${((times.at(-1)! - start) / 1000).toFixed(1)}s; ` +
        `at most ${peak} in any rolling second (the limit is ${perSecond}; each worker alone would send ${perSecond})`
    )
  })
)

if (process.argv[2] === "--worker") {
  await worker(process.argv[3]!, process.argv[4]!, process.argv[5]!)
} else if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await Effect.runPromise(main).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  })
}
