/**
 * One worker process of the multi-process suites: a Flashduty client (the real one, over
 * `fetch`) that sends `calls` requests through the rate limiter, `concurrency` at a time,
 * once the parent says "go". With `redisUrl` the client takes `RateLimitStore.layerRedis`
 * over `@effect/platform-node`'s Redis layer from its context (the shared budget); without
 * it, the embedded in-memory limiter (the default).
 *
 * Before it says it is ready it opens its connections with calls to `/warmup` (which the
 * server does not count).
 * It speaks in lines on stdout: `READY`, `LOG <level> <message>` for each log line,
 * `RESULT <json>` at the end (how many calls succeeded, failed by error tag, or died).
 *
 *   node --import tsx test/redis/support/worker.ts '<json WorkerConfig>'
 */
import * as readline from "node:readline"
import { NodeRedis } from "@effect/platform-node"
import { Cause, Duration, Effect, Exit, Layer, Logger, Redacted, References } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest } from "effect/http"
import { FlashdutyClient, type FlashdutyOptions, RateLimitStore } from "effect-flashduty"

export interface WorkerConfig {
  readonly id: string
  readonly baseUrl: string
  readonly appKey: string
  readonly calls: number
  readonly concurrency: number
  readonly perSecond: number
  readonly perMinute: number
  /** The shared store's Redis; absent: the in-memory default. */
  readonly redisUrl?: string
  readonly prefix?: string
  /** The Redis store's margin, in milliseconds (default: the store's). */
  readonly marginMillis?: number
  /** Retry 429s as the default policy does (else every 429 is an error). */
  readonly retry?: boolean
}

export interface WorkerResult {
  readonly id: string
  readonly ok: number
  readonly errors: Record<string, number>
  readonly defects: number
  readonly seconds: number
}

const config = JSON.parse(process.argv[2] ?? "{}") as WorkerConfig
const say = (line: string) => process.stdout.write(`${line.replace(/\n/g, " ")}\n`)

const goSignal = new Promise<void>((resolve) => {
  const lines = readline.createInterface({ input: process.stdin })
  lines.on("line", (line) => {
    if (line.trim() === "go") resolve()
  })
})

const program = Effect.gen(function* () {
  const client = yield* FlashdutyClient
  // Calls before the start, so that the measured ones do not pay for a cold process (the
  // first request's code paths, and opening connections: a burst of fresh ones reaches the
  // server tens of milliseconds later than requests on open ones, which no client-side limiter
  // can see); the server does not count them.
  // Neither draws on the budget: the connections through `fetch` itself (the pool the
  // client's fetch uses), the code paths through a second client without a rate limit.
  yield* Effect.promise(() =>
    Promise.all(
      Array.from({ length: Math.min(config.concurrency, config.perSecond) }, () =>
        fetch(`${config.baseUrl}/warmup`, { method: "POST", body: "{}" }).then((response) => response.text())
      )
    )
  )
  yield* Effect.gen(function* () {
    const unlimited = yield* FlashdutyClient
    yield* Effect.ignore(unlimited.request({ method: "POST", path: "/warmup", body: {}, access: "read" }))
  }).pipe(
    Effect.provide(
      FlashdutyClient.layer({ ...clientOptions, rateLimit: false }).pipe(Layer.provide(FetchHttpClient.layer))
    )
  )
  say("READY")
  yield* Effect.promise(() => goSignal)
  const started = performance.now()
  const exits = yield* Effect.forEach(
    Array.from({ length: config.calls }, (_, i) => i),
    (i) =>
      Effect.exit(
        client.request({
          method: "POST",
          path: "/incident/list",
          body: { worker: config.id, i },
          access: "read"
        })
      ),
    { concurrency: config.concurrency }
  )
  const result: WorkerResult = {
    id: config.id,
    ok: 0,
    errors: {},
    defects: 0,
    seconds: (performance.now() - started) / 1000
  }
  const errors: Record<string, number> = {}
  let ok = 0
  let defects = 0
  for (const exit of exits) {
    if (Exit.isSuccess(exit)) ok++
    else {
      const error = Cause.findErrorOption(exit.cause)
      if (error._tag === "Some") errors[error.value._tag] = (errors[error.value._tag] ?? 0) + 1
      else defects++
    }
  }
  say(`RESULT ${JSON.stringify({ ...result, ok, errors, defects })}`)
})

const logger = Logger.make((options) => say(`LOG ${options.logLevel} ${String(options.message)}`))

const clientOptions = {
  appKey: Redacted.make(config.appKey),
  baseUrl: config.baseUrl,
  headers: { "x-worker": config.id },
  // When each request left (as the HTTP client got it): the server tells its delivery delay.
  transformClient: (client) =>
    HttpClient.mapRequest(client, (request) =>
      HttpClientRequest.setHeader(request, "x-sent", String(performance.timeOrigin + performance.now()))
    ),
  rateLimit: { perSecond: config.perSecond, perMinute: config.perMinute },
  ...(config.retry === true ? {} : { retry: false as const })
} satisfies FlashdutyOptions

const clientLayer = FlashdutyClient.layer(clientOptions)

const layer =
  config.redisUrl === undefined
    ? clientLayer
    : clientLayer.pipe(
        Layer.provide(
          RateLimitStore.layerRedis({
            ...(config.prefix === undefined ? {} : { prefix: config.prefix }),
            ...(config.marginMillis === undefined ? {} : { margin: Duration.millis(config.marginMillis) })
          })
        ),
        // A command sent while the connection is down fails at once instead of waiting for it.
        Layer.provide(NodeRedis.layer({ url: config.redisUrl, disableOfflineQueue: true }))
      )

program
  .pipe(
    Effect.provide(layer.pipe(Layer.provide(FetchHttpClient.layer))),
    Effect.provide(Logger.layer([logger])),
    Effect.provideService(References.MinimumLogLevel, "Info"),
    Effect.runPromiseExit
  )
  .then((exit) => {
    if (Exit.isFailure(exit)) {
      say(`FAILED ${Cause.pretty(exit.cause)}`)
      process.exit(1)
    }
    process.exit(0)
  })
