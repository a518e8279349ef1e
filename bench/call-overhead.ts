/**
 * Figures 1 and 7, per-call overhead: `fd.incidents.list` against the stand-in running in
 * a separate process vs a hand-written `fetch` + `JSON.parse` of the same request, and vs
 * an openapi-fetch client over openapi-typescript types (the popular plain alternative).
 * Concurrency 1: median and p99 latency (calls interleaved, so all three see the same
 * machine). Concurrency 32: throughput. Then the SDK's own CPU time per call with the
 * network removed (a fake `HttpClient` answering the same bytes).
 * Two floors show what any Effect client of this API pays before the SDK adds anything:
 * a bare Effect `HttpClient` + `JSON.parse`, and the same plus decoding the answer with the
 * SDK's own response schema (the design decodes every body; no executor, retry, span, limiter).
 * Goals: SDK throughput ≥ 0.85× raw, median latency ≤ 1.15× raw.
 * Run: `npm run bench:call` (BENCH_RUNS, default 5; BENCH_CALLS, default 1000).
 *
 * The client-side rate limiter is off (`rateLimit: false`): on, it paces `incidentList`
 * at its documented 50 requests/second, which is the point of it and not overhead.
 */
import { Effect, Layer, Redacted, type Schema } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest, HttpClientResponse } from "effect/http"
import createClient from "openapi-fetch"
import { endpoints as incidentEndpoints } from "../src/generated/Incidents.js"
import { Flashduty } from "../src/index.js"
import { decoderOf } from "../src/pipeline/schemaCodec.js"
import type { paths } from "./comparison/flashduty-openapi.js"
import { describeMachine } from "./lib/machine.js"
import { startStandIn } from "./lib/standin.js"
import { fmt, summarize, triple, verdict } from "./lib/stats.js"

const runs = Number(process.env.BENCH_RUNS ?? 5)
const calls = Number(process.env.BENCH_CALLS ?? 1000)
const concurrency = 32
// The whole stand-in history (the spec requires a window; its incidents are spread over it).
const request = { start_time: 0, end_time: 4_102_444_800, p: 1, limit: 20 }

type Call = () => Promise<{ readonly items: ReadonlyArray<unknown> }>

/** `fd.incidents.list` as a promise-returning function, over the given `HttpClient`. */
const sdkCall = async (
  baseUrl: string,
  appKey: string,
  http: Layer.Layer<HttpClient.HttpClient>,
  traceContext = true
): Promise<Call> => {
  const layer = Flashduty.layer({
    baseUrl,
    appKey: Redacted.make(appKey),
    rateLimit: false,
    traceContext
  }).pipe(Layer.provide(http))
  const services = await Effect.runPromise(Effect.context<Flashduty>().pipe(Effect.provide(layer)))
  const list = Effect.gen(function* () {
    const fd = yield* Flashduty
    return yield* fd.incidents.list(request)
  })
  return () => Effect.runPromiseWith(services)(list).then((response) => response.data)
}

/** What one would write by hand: `fetch`, then `JSON.parse` of the body. */
const rawCall =
  (baseUrl: string, appKey: string): Call =>
  async () => {
    const response = await fetch(`${baseUrl}/incident/list?app_key=${encodeURIComponent(appKey)}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(request)
    })
    return JSON.parse(await response.text()).data
  }

// The executor's own (cached, JIT-compiled) decoder of the `incidentList` answer.
const decodeList = decoderOf(incidentEndpoints.list.response as Schema.Codec<unknown, unknown>)

/**
 * A floor: the same request through a bare Effect `HttpClient`, `JSON.parse`, and with
 * `decode` the SDK's response schema, nothing else.
 */
const effectCall = async (
  baseUrl: string,
  appKey: string,
  http: Layer.Layer<HttpClient.HttpClient>,
  decode: boolean
): Promise<Call> => {
  const client = await Effect.runPromise(
    Effect.gen(function* () {
      return yield* HttpClient.HttpClient
    }).pipe(Effect.provide(http))
  )
  const outgoing = HttpClientRequest.post(`${baseUrl}/incident/list`).pipe(
    HttpClientRequest.setUrlParam("app_key", appKey),
    HttpClientRequest.acceptJson,
    HttpClientRequest.bodyJsonUnsafe(request)
  )
  const once = Effect.flatMap(client.execute(outgoing), (response) => response.text).pipe(
    Effect.flatMap((text) => {
      const data = JSON.parse(text).data
      return decode ? decodeList(data) : Effect.succeed(data)
    })
  )
  return () => Effect.runPromise(once) as Promise<{ readonly items: ReadonlyArray<unknown> }>
}

/** openapi-fetch with openapi-typescript types; the app key added by a middleware. */
const openapiFetchCall = (baseUrl: string, appKey: string): Call => {
  const client = createClient<paths>({ baseUrl })
  client.use({
    onRequest: ({ request: outgoing }) => {
      const url = new URL(outgoing.url)
      url.searchParams.set("app_key", appKey)
      return new Request(url, outgoing)
    }
  })
  return async () => {
    const { data, error } = await client.POST("/incident/list", { body: request })
    if (data?.data === undefined) throw new Error(`incidentList failed: ${JSON.stringify(error)}`)
    return { items: data.data.items ?? [] }
  }
}

/** Milliseconds of each of `calls` sequential calls to every variant, interleaved. */
const latencies = async (variants: Record<string, Call>) => {
  const samples: Record<string, Array<number>> = Object.fromEntries(
    Object.keys(variants).map((name) => [name, []])
  )
  for (let i = 0; i < calls; i++) {
    for (const [name, call] of Object.entries(variants)) {
      const started = performance.now()
      await call()
      samples[name]!.push(performance.now() - started)
    }
  }
  return samples
}

/** Calls per second with `concurrency` calls in flight until `calls` are done. */
const throughput = async (call: Call) => {
  let started = 0
  const worker = async () => {
    while (started++ < calls) await call()
  }
  const t0 = performance.now()
  await Promise.all(Array.from({ length: concurrency }, worker))
  return calls / ((performance.now() - t0) / 1000)
}

/** CPU microseconds per call (user + system), sequential, `n` calls. */
const cpuMicros = async (call: () => Promise<unknown>, n: number) => {
  const before = process.cpuUsage()
  for (let i = 0; i < n; i++) await call()
  const used = process.cpuUsage(before)
  return (used.user + used.system) / n
}

const standIn = await startStandIn(["--incidents", "200"])
try {
  const variants: Record<string, Call> = {
    raw: rawCall(standIn.url, standIn.appKey),
    sdk: await sdkCall(standIn.url, standIn.appKey, FetchHttpClient.layer),
    "openapi-fetch": openapiFetchCall(standIn.url, standIn.appKey),
    "effect HttpClient (floor)": await effectCall(standIn.url, standIn.appKey, FetchHttpClient.layer, false),
    "effect HttpClient + schema decode (floor)": await effectCall(
      standIn.url,
      standIn.appKey,
      FetchHttpClient.layer,
      true
    )
  }
  for (const [name, call] of Object.entries(variants)) {
    const { items } = await call()
    if (items.length !== request.limit)
      throw new Error(`${name}: expected ${request.limit} items, got ${items.length}`)
  }
  await latencies(variants) // warm-up: JIT, connection pools, the stand-in's own caches

  const perRun: Array<Record<string, { median: number; p99: number; rps: number }>> = []
  for (let run = 0; run < runs; run++) {
    const samples = await latencies(variants)
    const names = Object.keys(variants)
    const rps: Record<string, number> = {}
    // Rotate the order so no variant always runs right after the same other one.
    for (let k = 0; k < names.length; k++) {
      const name = names[(run + k) % names.length]!
      rps[name] = await throughput(variants[name]!)
    }
    perRun.push(
      Object.fromEntries(
        names.map((name) => {
          const s = summarize(samples[name]!)
          return [name, { median: s.median, p99: s.p99, rps: rps[name]! }]
        })
      )
    )
  }

  // Network removed: the same answer bytes from a fake HttpClient.
  const answer = await (
    await fetch(`${standIn.url}/incident/list?app_key=${standIn.appKey}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request)
    })
  ).text()
  const fake = Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((outgoing) =>
      Effect.succeed(
        HttpClientResponse.fromWeb(
          outgoing,
          new Response(answer, { headers: { "content-type": "application/json" } })
        )
      )
    )
  )
  const sdkOffline = await sdkCall(standIn.url, standIn.appKey, fake)
  // The same with `traceContext: false`: what sending `traceparent`/`b3` costs.
  const sdkOfflineNoTrace = await sdkCall(standIn.url, standIn.appKey, fake, false)
  const rawOffline = async () => JSON.parse(await new Response(answer).text()).data
  // The floors over the same fake client.
  const bareOffline = await effectCall(standIn.url, standIn.appKey, fake, false)
  const floorOffline = await effectCall(standIn.url, standIn.appKey, fake, true)
  const offlineCalls = Math.max(2000, calls * 2)
  await cpuMicros(sdkOffline, offlineCalls)
  await cpuMicros(sdkOfflineNoTrace, offlineCalls)
  await cpuMicros(bareOffline, offlineCalls)
  await cpuMicros(floorOffline, offlineCalls)
  const cpu: Array<{ sdk: number; noTrace: number; raw: number; bare: number; floor: number }> = []
  for (let run = 0; run < runs; run++) {
    cpu.push({
      raw: await cpuMicros(rawOffline, offlineCalls),
      bare: await cpuMicros(bareOffline, offlineCalls),
      floor: await cpuMicros(floorOffline, offlineCalls),
      sdk: await cpuMicros(sdkOffline, offlineCalls),
      noTrace: await cpuMicros(sdkOfflineNoTrace, offlineCalls)
    })
  }

  const of = (name: string, key: "median" | "p99" | "rps") => summarize(perRun.map((r) => r[name]![key]))
  const ratio = (name: string, key: "median" | "p99" | "rps") =>
    summarize(perRun.map((r) => r[name]![key] / r.raw![key]))
  const row = (name: string) =>
    `| ${name} | ${triple(of(name, "median"), 3)} | ${triple(of(name, "p99"), 3)} | ${triple(of(name, "rps"), 0)} | ${
      name === "raw"
        ? "1"
        : `${fmt(ratio(name, "median").median)}× / ${fmt(ratio(name, "p99").median)}× / ${fmt(ratio(name, "rps").median)}×`
    } |`
  const latencyRatio = ratio("sdk", "median")
  const throughputRatio = ratio("sdk", "rps")
  const sdkCpu = summarize(cpu.map((c) => c.sdk))
  const noTraceCpu = summarize(cpu.map((c) => c.noTrace))
  const traceCost = summarize(cpu.map((c) => c.sdk / c.noTrace))
  const rawCpu = summarize(cpu.map((c) => c.raw))
  const bareCpu = summarize(cpu.map((c) => c.bare))
  const floorCpu = summarize(cpu.map((c) => c.floor))
  const floorName = "effect HttpClient + schema decode (floor)"
  const overFloor = (key: "median" | "rps") => summarize(perRun.map((r) => r.sdk![key] / r[floorName]![key]))

  console.log(`### Figures 1 and 7: per-call overhead (\`npm run bench:call\`)
${describeMachine()}

\`incidents.list(${JSON.stringify(request)})\` (${answer.length} bytes answered) against the stand-in in its own process;
${runs} runs × ${calls} interleaved calls at concurrency 1, then ${calls} calls at concurrency ${concurrency} per variant.
Each cell is min / median / max over the runs of that run's figure.

| client | median ms (c=1) | p99 ms (c=1) | calls/s (c=${concurrency}) | vs raw: median / p99 / calls/s (median of per-run ratios) |
| --- | --- | --- | --- | --- |
${Object.keys(perRun[0]!).map(row).join("\n")}

- Median latency SDK / raw: ${triple(ratio("sdk", "median"))}; goal ≤ 1.15×: **${verdict(latencyRatio.median <= 1.15)}**
- Throughput SDK / raw: ${triple(throughputRatio)}; goal ≥ 0.85×: **${verdict(throughputRatio.median >= 0.85)}**
- The floor with no SDK code (Effect \`HttpClient\` + \`JSON.parse\` + the SDK's response schema):
  median ${triple(ratio(floorName, "median"))}× raw, throughput ${triple(ratio(floorName, "rps"))}× raw;
  the SDK over that floor: median ${triple(overFloor("median"))}×, throughput ${triple(overFloor("rps"))}×
- CPU per call without the network (fake \`HttpClient\`, ${offlineCalls} calls × ${runs}): SDK ${triple(sdkCpu, 1)} µs;
  the SDK with \`traceContext: false\` ${triple(noTraceCpu, 1)} µs (with / without, per run: ${triple(traceCost)});
  bare Effect \`HttpClient\` + \`JSON.parse\` ${triple(bareCpu, 1)} µs;
  the same + the SDK's schema decode (floor) ${triple(floorCpu, 1)} µs;
  \`Response.text()\` + \`JSON.parse\` alone ${triple(rawCpu, 1)} µs
`)
} finally {
  standIn.stop()
}
