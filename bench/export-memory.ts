/**
 * Peak memory of `sessions.export` on a 1 GiB transcript: the decoded stream, the raw
 * byte stream, and `exportToFile`. Target: peak RSS under 150 MiB.
 *
 * Run one variant per process (RSS is per process), on a bundle (running through tsx
 * would add its compiler, ~90 MiB, to the measured process):
 *   npx esbuild bench/export-memory.ts --bundle --platform=node --format=esm \
 *     --outfile=/tmp/export-memory.mjs
 *   node /tmp/export-memory.mjs decoded     # or: raw, file
 * Optional second argument: transcript size in MiB (default 1024); `WIDE_EVERY_MIB`
 * (default 64) spaces the 4 MiB lines. Results: bench/RESULTS.md.
 *
 * The transcript is served by a loopback `node:http` server in a child process, so the
 * measured RSS (`process.resourceUsage().maxRSS`) is the client's alone. The body mixes
 * event kinds, ~2 KiB lines, and one 4 MiB line every 64 MiB (wide LLM calls).
 */
import { fork } from "node:child_process"
import * as NodeFs from "node:fs/promises"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { Effect, Layer, Redacted, Stream } from "effect"
import { FetchHttpClient } from "effect/http"
import { Flashduty } from "../src/generated/Flashduty.js"
import * as NodeFileSystem from "../src/streaming/NodeFileSystem.js"

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

const measure = (url: string) =>
  Effect.gen(function* () {
    const fd = yield* Flashduty
    const request = { session_id: "sess_bench" }
    // What makes up the peak: sampled, the largest value of each part.
    const peak = { heapUsed: 0, external: 0, arrayBuffers: 0 }
    const sampler = setInterval(() => {
      const usage = process.memoryUsage()
      peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed)
      peak.external = Math.max(peak.external, usage.external)
      peak.arrayBuffers = Math.max(peak.arrayBuffers, usage.arrayBuffers)
    }, 50)
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
    const parts = `heap ${(peak.heapUsed / MiB).toFixed(0)} MiB, external ${(peak.external / MiB).toFixed(0)} MiB`
    console.log(
      `${variant}: ${result} in ${seconds.toFixed(1)} s ` +
        `(${(totalBytes / MiB / seconds).toFixed(0)} MiB/s); peak RSS ${peakMiB.toFixed(0)} MiB (sampled peaks: ${parts}) ` +
        `(node ${process.version}, ${NodeOs.cpus()[0]?.model ?? "cpu"})`
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
