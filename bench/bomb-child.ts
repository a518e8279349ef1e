/**
 * The measured side of the compressed-answer figure (`compressed-bomb.ts` runs it, compiled
 * against the built package, one fresh process per measurement):
 *
 * `<variant> <url>`: one `incidents.list` call with `maxResponseBytes: 1 MiB` against `url`,
 * which answers with the variant's body; prints `{ idleRssMiB, peakRssMiB, outcome, seconds }`.
 * RSS is sampled every millisecond from just before the call until it ends; idle is taken
 * after a warm-up call that decoded a small answer, so the SDK's code and schemas are loaded.
 */
import { Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { Flashduty } from "../src/index.js"

const [variant, url] = process.argv.slice(2)
const MiB = 1024 * 1024

const layer = Flashduty.layer({
  appKey: "bench-app-key",
  baseUrl: url,
  maxResponseBytes: MiB,
  rateLimit: false
}).pipe(Layer.provide(FetchHttpClient.layer))
const list = (path: string) =>
  Effect.flatMap(Flashduty, (fd) =>
    fd.incidents.list({ start_time: 0, end_time: 1 }, { headers: { "x-bench": path } })
  )

const rss = () => process.memoryUsage.rss() / MiB
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    ;(globalThis as { gc?: () => void }).gc?.()
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

await Effect.runPromise(list("small").pipe(Effect.provide(layer)))
await settle()
const idle = rss()
let peak = idle
const sampler = setInterval(() => {
  peak = Math.max(peak, rss())
}, 1)
const started = performance.now()
const exit = await Effect.runPromiseExit(list(variant ?? "").pipe(Effect.provide(layer)))
const seconds = (performance.now() - started) / 1000
peak = Math.max(peak, rss())
clearInterval(sampler)
const outcome =
  exit._tag === "Success"
    ? "success"
    : (() => {
        const reason = exit.cause.reasons[0]
        if (reason?._tag !== "Fail") return `defect: ${String(reason?._tag)}`
        const error = reason.error as { _tag: string; reason?: string }
        return error.reason === undefined ? error._tag : `${error._tag} ${error.reason}`
      })()
console.log(JSON.stringify({ idleRssMiB: idle, peakRssMiB: peak, outcome, seconds }))
