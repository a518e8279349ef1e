/**
 * The program Node 20, Node 24, Bun and Deno run (transpiled to `main.mjs`, its imports left
 * to the runtime's own resolution of the installed package). It runs every check twice: over
 * the loopback stand-in the runner started (`Flashduty.layerConfig()`, so `FLASHDUTY_APP_KEY` and
 * `FLASHDUTY_BASE_URL`, with `FetchHttpClient.layer`), and over the in-memory stand-in
 * (`FlashdutyTest.layer`). One `RUNTIME-CHECK` line per check; exit code 1 when any failed.
 */
import { Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { Flashduty } from "effect-flashduty"
import { FlashdutyTest } from "effect-flashduty/testing"
import { checks, formatResult, runChecks } from "./checks.js"
import { fileChecks } from "./fileChecks.js"

const all = [...checks, ...fileChecks]
const report = (result: Parameters<typeof formatResult>[0]) => console.log(formatResult(result))

const loopback = Flashduty.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
const inMemory = Flashduty.layer({ appKey: FlashdutyTest.appKey }).pipe(Layer.provide(FlashdutyTest.layer()))

const program = Effect.gen(function* () {
  const overLoopback = yield* runChecks("loopback", loopback, all, report)
  const inMemoryResults = yield* runChecks("in-memory", inMemory, all, report)
  return [...overLoopback, ...inMemoryResults].every((result) => result.ok)
})

Effect.runPromise(program).then(
  (ok) => {
    process.exitCode = ok ? 0 : 1
  },
  (error: unknown) => {
    console.error(error)
    process.exitCode = 1
  }
)
