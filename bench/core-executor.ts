/**
 * Executor overhead: `FlashdutyClient.call` (encode, build, send, read, envelope, decode,
 * span, meta) against raw `fetch` + `JSON.parse` on the same loopback server and payload,
 * and against a bare Effect `HttpClient` post + `JSON.parse` (what any Effect program pays
 * before the SDK adds anything). Target: median latency ≤ 1.15× raw.
 * Run: `npx tsx bench/core-executor.ts` on a quiet machine (ratios are meaningless under load).
 * The client-side rate limiter is off (it would pace the loop at 50/s by design).
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { Effect, Layer, Redacted, Schema } from "effect"
import { FetchHttpClient, HttpBody, HttpClient } from "effect/http"
import * as Endpoint from "../src/Endpoint.js"
import { FlashdutyClient } from "../src/FlashdutyClient.js"
import { Timestamp } from "../src/Timestamp.js"

const items = Array.from({ length: 20 }, (_, i) => ({
  incident_id: `inc-${i}`,
  title: `Disk usage above 90% on host-${i}`,
  incident_severity: "Critical",
  progress: "Triggered",
  start_time: 1712000000 + i,
  labels: { host: `host-${i}`, service: "storage" }
}))
const payload = JSON.stringify({ request_id: "bench", data: { items, total: 20, has_next_page: false } })

const endpoint = Endpoint.make(
  {
    operationId: "incidentList",
    service: "incidents",
    method: "list",
    httpMethod: "POST",
    path: "/incident/list",
    access: "read",
    rateLimit: undefined,
    kind: "json"
  },
  Schema.Struct({ p: Schema.Number, limit: Schema.Number }),
  Schema.Struct({
    items: Schema.Array(
      Schema.Struct({
        incident_id: Schema.String,
        title: Schema.String,
        incident_severity: Schema.String,
        progress: Schema.String,
        start_time: Timestamp,
        labels: Schema.Record(Schema.String, Schema.String)
      })
    ),
    total: Schema.Number,
    has_next_page: Schema.Boolean
  })
)

const median = (xs: Array<number>) => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

const main = async () => {
  const server = http.createServer((req, res) => {
    req.resume()
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) })
      res.end(payload)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const raw = async () => {
    const response = await fetch(`${baseUrl}/incident/list?app_key=k`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ p: 1, limit: 20 })
    })
    return JSON.parse(await response.text())
  }

  const layer = FlashdutyClient.layer({ appKey: Redacted.make("k"), baseUrl, rateLimit: false }).pipe(
    Layer.provide(FetchHttpClient.layer)
  )
  const { runSdk, runHttp } = await Effect.runPromise(
    Effect.gen(function* () {
      const client = yield* FlashdutyClient
      const http = yield* HttpClient.HttpClient
      const context = yield* Effect.context<never>()
      const once = client.call(endpoint, { p: 1, limit: 20 })
      const bare = http
        .post(`${baseUrl}/incident/list`, {
          urlParams: { app_key: "k" },
          acceptJson: true,
          body: HttpBody.text(JSON.stringify({ p: 1, limit: 20 }), "application/json")
        })
        .pipe(
          Effect.flatMap((response) => response.text),
          Effect.map((text) => JSON.parse(text) as unknown)
        )
      return {
        runSdk: () => Effect.runPromiseWith(context)(once),
        runHttp: () => Effect.runPromiseWith(context)(bare)
      }
    }).pipe(Effect.provide(Layer.merge(layer, FetchHttpClient.layer)))
  )

  const rounds = Number(process.env.BENCH_ROUNDS ?? 3000)
  for (let i = 0; i < 300; i++) {
    await raw()
    await runHttp()
    await runSdk()
  }
  const rawTimes: Array<number> = []
  const httpTimes: Array<number> = []
  const sdkTimes: Array<number> = []
  const timed = async (times: Array<number>, f: () => Promise<unknown>) => {
    const t = performance.now()
    await f()
    times.push(performance.now() - t)
  }
  for (let i = 0; i < rounds; i++) {
    // Interleaved so that all three see the same machine conditions.
    await timed(rawTimes, raw)
    await timed(httpTimes, runHttp)
    await timed(sdkTimes, runSdk)
  }
  server.close()
  const rawMedian = median(rawTimes)
  const httpMedian = median(httpTimes)
  const sdkMedian = median(sdkTimes)
  const ms = (x: number) => Number(x.toFixed(4))
  console.log(
    JSON.stringify(
      {
        rounds,
        rawFetchMedianMs: ms(rawMedian),
        effectHttpClientMedianMs: ms(httpMedian),
        sdkMedianMs: ms(sdkMedian),
        sdkVsRaw: Number((sdkMedian / rawMedian).toFixed(3)),
        effectHttpClientVsRaw: Number((httpMedian / rawMedian).toFixed(3)),
        sdkVsEffectHttpClient: Number((sdkMedian / httpMedian).toFixed(3)),
        target: "sdkVsRaw ≤ 1.15"
      },
      null,
      2
    )
  )
}

void main()
