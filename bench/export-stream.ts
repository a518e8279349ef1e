/**
 * Figure 3, export streaming: a 1 GiB NDJSON transcript through `sessions.exportToFile`
 * (raw bytes to a file) and `sessions.export` (decoded lines, counted), vs a baseline that
 * pipes the same `fetch` body to a file, the same pipe in a process that has imported the SDK
 * (the raw variant's memory floor), and a floor that splits and `JSON.parse`s it. The transcript is made once by the stand-in, then
 * replayed from disk by a minimal server (the stand-in generating lines would be the
 * bottleneck, not the client). Each measurement runs in a fresh plain-Node process against
 * the built package, so its peak RSS is its own (see `export-child.ts`).
 * Goals: raw ≥ 0.9× baseline throughput; decoded ≥ 100 MiB/s; peak RSS < 150 MiB for both.
 * Run: `npm run bench:export` (BENCH_RUNS, default 3; BENCH_EXPORT_BYTES, default 1 GiB).
 */
import { execFileSync, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import { compileAgainstPackage } from "./lib/consumer.js"
import { describeMachine } from "./lib/machine.js"
import { startStandIn } from "./lib/standin.js"
import { summarize, triple, verdict } from "./lib/stats.js"

const runs = Number(process.env.BENCH_RUNS ?? 3)
const requestedSize = Number(process.env.BENCH_EXPORT_BYTES ?? 2 ** 30)
const variants = ["baseline", "raw-floor", "raw", "parse-floor", "decoded"] as const
type Variant = (typeof variants)[number]
interface Measurement {
  readonly bytes?: number
  readonly lines?: number
  readonly seconds: number
  readonly peakRssMiB: number
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "effect-flashduty-bench-"))
const transcript = path.join(work, "transcript.ndjson")
const child = await compileAgainstPackage("bench/export-child.ts", "export")

// The transcript, once, from the stand-in.
const standIn = await startStandIn(["--transcript-bytes", String(requestedSize)])
try {
  const response = await fetch(`${standIn.url}/safari/session/export?app_key=${standIn.appKey}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ session_id: "sess_bench" })
  })
  await pipeline(Readable.fromWeb(response.body as never), fs.createWriteStream(transcript))
} finally {
  standIn.stop()
}

const server = spawn(process.execPath, [child, "serve", transcript], { stdio: ["ignore", "pipe", "inherit"] })
const url = await new Promise<string>((resolve) =>
  server.stdout.on("data", (chunk: Buffer) => {
    const match = /listening on (\S+)/.exec(chunk.toString("utf8"))
    if (match?.[1] !== undefined) resolve(match[1])
  })
)
const size = fs.statSync(transcript).size
let lines = 0
for await (const chunk of fs.createReadStream(transcript) as AsyncIterable<Buffer>) {
  for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++
}
const measure = (variant: Variant): Measurement => {
  const m: Measurement = JSON.parse(
    execFileSync(process.execPath, [child, variant, url, path.join(work, "out.ndjson")], { encoding: "utf8" })
  )
  // Every variant must have moved the whole transcript.
  if (m.bytes !== undefined ? m.bytes !== size : m.lines !== lines) {
    throw new Error(`${variant}: incomplete export ${JSON.stringify(m)} (${size} bytes, ${lines} lines)`)
  }
  return m
}

try {
  const results: Record<Variant, Array<Measurement>> = {
    baseline: [],
    "raw-floor": [],
    raw: [],
    "parse-floor": [],
    decoded: []
  }
  for (let run = 0; run < runs; run++) {
    for (const variant of variants) results[variant].push(measure(variant))
  }
  const mibps = (m: Measurement) => size / 2 ** 20 / m.seconds
  const speed = (v: Variant) => summarize(results[v].map(mibps))
  const peak = (v: Variant) => summarize(results[v].map((m) => m.peakRssMiB))
  const rawRatio = summarize(results.raw.map((m, i) => mibps(m) / mibps(results.baseline[i]!)))
  const decodedRatio = summarize(results.decoded.map((m, i) => mibps(m) / mibps(results["parse-floor"][i]!)))
  const row = (label: string, v: Variant) => `| ${label} | ${triple(speed(v), 0)} | ${triple(peak(v), 0)} |`
  console.log(`### Figure 3: export streaming (\`npm run bench:export\`)
${describeMachine()}

A ${(size / 2 ** 20).toFixed(0)} MiB (${lines} lines) stand-in transcript replayed from disk; each measurement in a fresh \`node\` process; ${runs} runs, alternated.

| variant | MiB/s (min / median / max) | peak RSS MiB (min / median / max) |
| --- | --- | --- |
${row("baseline: `fetch` body piped to a file", "baseline")}
${row("floor: the same pipe after importing `effect` and the SDK", "raw-floor")}
${row("`sessions.exportToFile` (raw bytes)", "raw")}
${row("floor: `fetch` body split and `JSON.parse`d, no SDK", "parse-floor")}
${row("`sessions.export` (decoded lines, counted)", "decoded")}

- Raw / baseline throughput: ${triple(rawRatio)}; goal ≥ 0.9×: **${verdict(rawRatio.median >= 0.9)}**
- Decoded: goal ≥ 100 MiB/s: **${verdict(speed("decoded").median >= 100)}**; decoded / parse floor: ${triple(decodedRatio)}
- Peak RSS < 150 MiB (max over runs): raw **${verdict(peak("raw").max < 150)}**, decoded **${verdict(peak("decoded").max < 150)}**; raw − its floor (median): ${(peak("raw").median - peak("raw-floor").median).toFixed(0)} MiB
`)
} finally {
  server.kill()
  fs.rmSync(work, { recursive: true, force: true })
}
