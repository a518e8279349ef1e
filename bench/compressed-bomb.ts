/**
 * Compressed answers against `maxResponseBytes` (issue 12): the peak RSS of one call whose
 * answer inflates to 600 MiB of valid JSON behind an honest `Content-Length` of a few hundred
 * bytes (br) to ~600 KiB (gzip), with a 1 MiB cap, against the same call answered with an
 * uncompressed body over the cap (the baseline: the cap reached the ordinary way).
 * Goal: the bomb's peak stays within a few MiB of the process's idle RSS, like the baseline.
 * Each measurement runs in a fresh `node --expose-gc` process against the built package.
 * Run: `npm run bench:bomb` (BENCH_RUNS, default 3; BENCH_BOMB_MIB, default 600).
 */
import { execFile } from "node:child_process"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as zlib from "node:zlib"
import { compileAgainstPackage } from "./lib/consumer.js"
import { describeMachine } from "./lib/machine.js"
import { summarize, triple } from "./lib/stats.js"

const runs = Number(process.env.BENCH_RUNS ?? 3)
const inflatedMiB = Number(process.env.BENCH_BOMB_MIB ?? 600)
const MiB = 1024 * 1024

/** Compresses `size` bytes of a JSON envelope (spaces as padding) with `transform`, streaming. */
const compress = async (
  size: number,
  transform: zlib.Gzip | zlib.BrotliCompress | zlib.Deflate
): Promise<Buffer> => {
  const out: Array<Buffer> = []
  transform.on("data", (chunk: Buffer) => out.push(chunk))
  const done = new Promise((resolve) => transform.on("end", resolve))
  const head = Buffer.from('{"request_id":"bomb","data":{"items":[],"pad":"')
  const tail = Buffer.from('"}}')
  transform.write(head)
  const spaces = Buffer.alloc(MiB, 0x20)
  let left = size - head.length - tail.length
  while (left > 0) {
    const piece = left >= MiB ? spaces : spaces.subarray(0, left)
    left -= piece.length
    if (!transform.write(piece)) await new Promise((resolve) => transform.once("drain", resolve))
  }
  transform.end(tail)
  await done
  return Buffer.concat(out)
}

const size = inflatedMiB * MiB
const bodies = {
  // The baseline: an uncompressed answer over the cap (2 MiB), refused by Content-Length or by counting.
  plain: {
    encoding: undefined,
    body: Buffer.from(JSON.stringify({ request_id: "p", data: { items: [], pad: " ".repeat(2 * MiB) } }))
  },
  gzip: { encoding: "gzip", body: await compress(size, zlib.createGzip({ level: 9 })) },
  deflate: { encoding: "deflate", body: await compress(size, zlib.createDeflate({ level: 9 })) },
  br: {
    encoding: "br",
    body: await compress(
      size,
      zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } })
    )
  }
} as const
type Variant = keyof typeof bodies
const small = Buffer.from(JSON.stringify({ request_id: "s", data: { items: [] } }))

const server = http.createServer((request, response) => {
  request.resume()
  const variant = request.headers["x-bench"] as Variant | "small"
  const answer = variant === "small" ? { encoding: undefined, body: small } : bodies[variant]
  response.writeHead(200, {
    "content-type": "application/json",
    "content-length": String(answer.body.length),
    ...(answer.encoding === undefined ? {} : { "content-encoding": answer.encoding })
  })
  response.end(answer.body)
})
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
const child = await compileAgainstPackage("bench/bomb-child.ts", "bomb")

interface Measurement {
  readonly idleRssMiB: number
  readonly peakRssMiB: number
  readonly outcome: string
  readonly seconds: number
}
/** One call in a fresh process (asynchronously, so that this process keeps serving meanwhile). */
const measure = (variant: Variant): Promise<Measurement> =>
  new Promise((resolve, reject) =>
    execFile(process.execPath, ["--expose-gc", child, variant, url], (error, stdout) =>
      error === null ? resolve(JSON.parse(stdout)) : reject(error)
    )
  )

const variants = Object.keys(bodies) as Array<Variant>
const results: Record<Variant, Array<Measurement>> = { plain: [], gzip: [], deflate: [], br: [] }
for (let run = 0; run < runs; run++)
  for (const variant of variants) results[variant].push(await measure(variant))
server.close()

console.log(`## Compressed answers and maxResponseBytes (\`npm run bench:bomb\`)\n`)
console.log(`${describeMachine()}; ${runs} runs per variant, each in a fresh process; cap 1 MiB.\n`)
console.log(
  "| answer | bytes on the wire | inflates to | outcome | peak − idle RSS, MiB (min / median / max) | seconds (median) |"
)
console.log("| --- | --- | --- | --- | --- | --- |")
for (const variant of variants) {
  const ms = results[variant]
  const outcomes = [...new Set(ms.map((m) => m.outcome))].join(", ")
  const growth = summarize(ms.map((m) => m.peakRssMiB - m.idleRssMiB))
  console.log(
    `| ${variant === "plain" ? "uncompressed, over the cap (baseline)" : `${variant} bomb`} | ${bodies[variant].body.length.toLocaleString("en")} | ${variant === "plain" ? "—" : `${inflatedMiB} MiB`} | ${outcomes} | ${triple(growth, 1)} | ${summarize(ms.map((m) => m.seconds)).median.toFixed(3)} |`
  )
}
const idle = summarize(variants.flatMap((v) => results[v].map((m) => m.idleRssMiB)))
console.log(`\nIdle RSS (after a warm-up call): ${triple(idle, 1)} MiB.`)
