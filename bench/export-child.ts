/**
 * The measured side of figure 3 (`export-stream.ts` runs it, compiled to plain JavaScript
 * against the built package, in a fresh process per measurement):
 *
 * - `serve <file>`: a minimal loopback server answering every request with the NDJSON
 *   file, so the figure measures the client and not the stand-in generating the lines;
 * - `baseline|raw-floor|raw|parse-floor|decoded <url> <outfile>`: one export; prints `{bytes,
 *   lines, seconds, peakRssMiB}` (bytes written for the file variants, lines for the others).
 */
import * as fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"

const request = { session_id: "sess_bench" }
const appKey = "bench-app-key"

const serve = (file: string) => {
  const server = http.createServer((incoming, outgoing) => {
    incoming.resume()
    outgoing.writeHead(200, { "content-type": "application/x-ndjson", "flashcat-request-id": "bench" })
    fs.createReadStream(file, { highWaterMark: 64 * 1024 }).pipe(outgoing)
  })
  server.listen(0, "127.0.0.1", () => {
    console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`)
  })
}

/** One export, ready to run: resolves to the bytes written, or the lines decoded. */
type Export = (url: string, file: string) => Promise<number>

const baseline: Export = async (url, file) => {
  const response = await fetch(`${url}/safari/session/export?app_key=${appKey}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(request)
  })
  await pipeline(Readable.fromWeb(response.body as never), fs.createWriteStream(file))
  return fs.statSync(file).size
}

/**
 * The floor for the decoded variant, without the SDK: the `fetch` body split at newlines
 * (native `indexOf`, one `TextDecoder` call per chunk) and every line `JSON.parse`d. The
 * decoded export cannot beat this; the ratio shows what the SDK adds over it.
 */
const parseFloor: Export = async (url) => {
  const response = await fetch(`${url}/safari/session/export?app_key=${appKey}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(request)
  })
  const decoder = new TextDecoder()
  let lines = 0
  let pending = ""
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
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
  return lines
}

/** The SDK's variants, loaded here and not at the top: the baseline's memory must not include them. */
const sdkExport = async (variant: string): Promise<Export> => {
  // effect's modules by subpath, as the SDK imports them: the `effect` barrel would load all
  // of effect (~13 MiB more RSS before the first byte, and V8's young generation grown to
  // its maximum while those modules load; the file variant then peaked at ~155 MiB, as did
  // the bare pipe after the same imports; bench/RESULTS.md, figure 3).
  const Effect = await import("effect/Effect")
  const Layer = await import("effect/Layer")
  const Redacted = await import("effect/Redacted")
  const Stream = await import("effect/Stream")
  const FetchHttpClient = await import("effect/http/FetchHttpClient")
  const { Flashduty } = await import("../src/index.js")
  const { NodeFileSystem } = await import("../src/node/index.js")
  // The floor for the file variant: the same imports, the body piped to the file as in the
  // baseline, no SDK stream; the difference to `raw` is the SDK's.
  if (variant === "raw-floor") return baseline
  return (url, file) => {
    const layer = Flashduty.layer({ baseUrl: url, appKey: Redacted.make(appKey), rateLimit: false }).pipe(
      Layer.provide(FetchHttpClient.layer)
    )
    const program = Effect.gen(function* () {
      const fd = yield* Flashduty
      if (variant === "raw") return (yield* fd.sessions.exportToFile(request, file)).bytesWritten
      return yield* Stream.runCount(fd.sessions.export(request))
    })
    return Effect.runPromise(program.pipe(Effect.provide(layer), Effect.provide(NodeFileSystem.layer)))
  }
}

const [mode = "", target = "", file = ""] = process.argv.slice(2)
if (mode === "serve") {
  serve(target)
} else {
  const run = mode === "baseline" ? baseline : mode === "parse-floor" ? parseFloor : await sdkExport(mode)
  const started = performance.now()
  const count = await run(target, file)
  const seconds = (performance.now() - started) / 1000
  fs.rmSync(file, { force: true })
  const counted = mode === "decoded" || mode === "parse-floor" ? { lines: count } : { bytes: count }
  // maxRSS is in KiB.
  console.log(JSON.stringify({ ...counted, seconds, peakRssMiB: process.resourceUsage().maxRSS / 1024 }))
}
