/**
 * Peak memory of `sessions.export` on a 1 GiB transcript: the decoded stream, the raw
 * byte stream, and `exportToFile`. Target: peak RSS under 150 MiB.
 *
 * Run one variant per process (RSS is per process), on a bundle (running through tsx
 * would add its compiler, ~90 MiB, to the measured process):
 *   npx esbuild bench/export-memory.ts --bundle --platform=node --format=esm \
 *     --outfile=bench/.out/export-memory.mjs
 *   node bench/.out/export-memory.mjs decoded     # or: raw, file, floor-decoded, floor-raw
 * Optional second argument: transcript size in MiB (default 1024); `WIDE_EVERY_MIB`
 * (default 64) spaces the 4 MiB lines. Results: bench/RESULTS.md.
 *
 * The transcript is served by a loopback `node:http` server in a child process, so the
 * measured RSS (`process.resourceUsage().maxRSS`) is the client's alone. The body mixes
 * event kinds, ~2 KiB lines, and one 4 MiB line every 64 MiB (wide LLM calls).
 *
 * The two `floor-*` variants read the same body with a bare `fetch` reader loop in the same
 * process, after the same imports and layer: `floor-raw` counts the bytes, `floor-decoded`
 * splits lines and `JSON.parse`s each (native `indexOf`, one `TextDecoder` call per chunk).
 * What a variant peaks at above its floor is what the SDK's stream adds; the floor itself
 * is `fetch` plus V8's garbage collector. At the sampled RSS maximum (every 10 ms; only
 * `rss()` is read between maxima, so the sampler allocates next to nothing) the run prints
 * where the memory is: V8's young generation (semi-spaces plus young large objects), old
 * large objects, the rest of V8's heap, and memory outside it (`external`, mostly body
 * chunks as `arrayBuffers`).
 */
import { fork } from "node:child_process"
import * as NodeFs from "node:fs/promises"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import * as V8 from "node:v8"
import { Effect, Layer, Redacted, Stream } from "effect"
import { FetchHttpClient } from "effect/http"
import { Flashduty } from "../src/generated/Flashduty.js"
import * as NodeFileSystem from "../src/node/NodeFileSystem.js"

const MiB = 1024 * 1024
const [variant = "decoded", sizeArg = "1024"] = process.argv.slice(2)
const totalBytes = Number(sizeArg) * MiB
/** One 4 MiB line every this many bytes (env `WIDE_EVERY_MIB`, default 64). */
const wideEvery = Number(process.env.WIDE_EVERY_MIB ?? "64") * MiB

// ---------------------------------------------------------------- server (child process)

const serve = () => {
  const encode = (value: unknown) => Buffer.from(`${JSON.stringify(value)}\n`)
  const text = "Checked the p99 latency panel; the spike lines up with the 14:02 deploy. ".repeat(26)
  const events = ["user_message", "llm_call", "tool_call", "agent_text", "error"].map((type) =>
    encode({ type, session_id: "sess_bench", event_id: "evt", created_at: 1780367971241, text })
  )
  const wide = encode({ type: "llm_call", session_id: "sess_bench", prompt: "p".repeat(4 * MiB) })
  const server = Http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/x-ndjson" })
    res.write(encode({ type: "session_meta", session_id: "sess_bench" }))
    let sent = 0
    let i = 0
    let nextWide = wideEvery
    // Lines are batched into ~64 KiB writes, as a buffered server would send them.
    const pump = () => {
      while (sent < totalBytes) {
        const batch: Array<Buffer> = []
        let batchBytes = 0
        while (batchBytes < 64 * 1024 && sent + batchBytes < totalBytes) {
          const line = sent + batchBytes >= nextWide ? wide : events[i++ % events.length]!
          if (line === wide) nextWide += wideEvery
          batch.push(line)
          batchBytes += line.length
        }
        sent += batchBytes
        if (!res.write(Buffer.concat(batch))) return void res.once("drain", pump)
      }
      res.end(encode({ type: "final_answer", session_id: "sess_bench", text: "done" }))
    }
    pump()
  })
  server.listen(0, "127.0.0.1", () => process.send?.((server.address() as AddressInfo).port))
}

// ---------------------------------------------------------------- client (measured)

/** Where the memory is, in MiB, at one instant. */
const breakdown = () => {
  const usage = process.memoryUsage()
  const spaces = new Map(
    V8.getHeapSpaceStatistics().map((space) => [space.space_name, space.space_size / MiB])
  )
  const young = (spaces.get("new_space") ?? 0) + (spaces.get("new_large_object_space") ?? 0)
  const oldLarge = spaces.get("large_object_space") ?? 0
  return {
    rss: usage.rss / MiB,
    young,
    oldLarge,
    heapRest: usage.heapTotal / MiB - young - oldLarge,
    external: usage.external / MiB,
    arrayBuffers: usage.arrayBuffers / MiB
  }
}

const describe = (parts: ReturnType<typeof breakdown>) =>
  `RSS ${parts.rss.toFixed(0)} = V8 young ${parts.young.toFixed(0)} + old large objects ${parts.oldLarge.toFixed(0)} + ` +
  `rest of heap ${parts.heapRest.toFixed(0)} + external ${parts.external.toFixed(0)} ` +
  `(arrayBuffers ${parts.arrayBuffers.toFixed(0)}) + other ` +
  (parts.rss - parts.young - parts.oldLarge - parts.heapRest - parts.external).toFixed(0)

/**
 * The floor: the same body through a bare `fetch` reader loop, counted (`raw`) or split at
 * newlines and `JSON.parse`d line by line (`decoded`), without the SDK's stream.
 */
const floor = async (url: string, parse: boolean): Promise<string> => {
  const response = await fetch(`${url}/safari/session/export?app_key=bench`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ session_id: "sess_bench" })
  })
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  let bytes = 0
  let lines = 0
  let pending = ""
  for (;;) {
    const { done, value: chunk } = await reader.read()
    if (done) break
    bytes += chunk.length
    if (!parse) continue
    const last = chunk.lastIndexOf(10)
    if (last === -1) {
      pending += decoder.decode(chunk, { stream: true })
      continue
    }
    const text = pending + decoder.decode(chunk.subarray(0, last + 1), { stream: true })
    pending = decoder.decode(chunk.subarray(last + 1), { stream: true })
    let start = 0
    for (let newline = text.indexOf("\n"); newline !== -1; newline = text.indexOf("\n", start)) {
      if (newline > start) {
        JSON.parse(text.slice(start, newline))
        lines++
      }
      start = newline + 1
    }
  }
  return parse ? `${lines} lines parsed without the SDK` : `${bytes} bytes read without the SDK`
}

const measure = (url: string) =>
  Effect.gen(function* () {
    const fd = yield* Flashduty
    const request = { session_id: "sess_bench" }
    const before = breakdown()
    // The largest RSS sampled and where the memory was then. Between maxima only `rss()`
    // is read: the sampler must not be what it measures.
    let peak = before
    const sampler = setInterval(
      () => {
        if (process.memoryUsage.rss() / MiB > peak.rss) peak = breakdown()
      },
      Number(process.env.EXPORT_MEMORY_SAMPLE_MS ?? "10")
    )
    const started = performance.now()
    let result: string
    if (variant === "decoded") {
      const lines = yield* Stream.runCount(fd.sessions.export(request))
      result = `${lines} lines decoded`
    } else if (variant === "raw") {
      const bytes = yield* Stream.runFold(
        fd.sessions.exportRaw(request),
        () => 0,
        (n, c) => n + c.length
      )
      result = `${bytes} bytes streamed`
    } else if (variant === "floor-decoded" || variant === "floor-raw") {
      result = yield* Effect.promise(() => floor(url, variant === "floor-decoded"))
    } else {
      const dir = yield* Effect.promise(() => NodeFs.mkdtemp(NodePath.join(NodeOs.tmpdir(), "fd-bench-")))
      const written = yield* fd.sessions
        .exportToFile(request, NodePath.join(dir, "t.ndjson"))
        .pipe(Effect.ensuring(Effect.promise(() => NodeFs.rm(dir, { recursive: true, force: true }))))
      result = `${written.bytesWritten} bytes written to a file`
    }
    const seconds = (performance.now() - started) / 1000
    clearInterval(sampler)
    const peakMiB = process.resourceUsage().maxRSS / 1024
    console.log(
      `${variant}: ${result} in ${seconds.toFixed(1)} s ` +
        `(${(totalBytes / MiB / seconds).toFixed(0)} MiB/s); peak RSS ${peakMiB.toFixed(0)} MiB ` +
        `(node ${process.version}, ${NodeOs.cpus()[0]?.model ?? "cpu"})\n` +
        `  before the request: ${describe(before)}\n  at the sampled maximum: ${describe(peak)}`
    )
  }).pipe(
    Effect.provide(
      Flashduty.layer({ appKey: Redacted.make("bench"), baseUrl: url, retry: false, rateLimit: false }).pipe(
        Layer.provide(FetchHttpClient.layer)
      )
    ),
    Effect.provide(NodeFileSystem.layer)
  )

if (process.env.EXPORT_MEMORY_SERVER === "1") {
  serve()
} else {
  const child = fork(process.argv[1]!, [variant, sizeArg], {
    env: { ...process.env, EXPORT_MEMORY_SERVER: "1" },
    execArgv: process.execArgv
  })
  child.once("message", (port) => {
    Effect.runPromise(measure(`http://127.0.0.1:${String(port)}`)).finally(() => child.kill())
  })
}
