/**
 * The measured side of figure 3 (`export-stream.ts` runs it, compiled to plain JavaScript
 * against the built package, in a fresh process per measurement):
 *
 * - `serve <file>`: a minimal loopback server answering every request with the NDJSON
 *   file, so the figure measures the client and not the stand-in generating the lines;
 * - `baseline|raw|decoded <url> <outfile>`: one export; prints `{bytes, lines, seconds, peakRssMiB}`
 *   (bytes written for the file variants, decoded lines for `decoded`).
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

/** The SDK's variants, loaded here and not at the top: the baseline's memory must not include them. */
const sdkExport = async (variant: string): Promise<Export> => {
  const { Effect, Layer, Redacted, Stream } = await import("effect")
  const { FetchHttpClient } = await import("effect/http")
  const { Flashduty, NodeFileSystem } = await import("../src/index.js")
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
  const run = mode === "baseline" ? baseline : await sdkExport(mode)
  const started = performance.now()
  const count = await run(target, file)
  const seconds = (performance.now() - started) / 1000
  fs.rmSync(file, { force: true })
  const counted = mode === "decoded" ? { lines: count } : { bytes: count }
  // maxRSS is in KiB.
  console.log(JSON.stringify({ ...counted, seconds, peakRssMiB: process.resourceUsage().maxRSS / 1024 }))
}
