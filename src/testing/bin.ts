/**
 * `effect-flashduty-standin`: the stand-in as a command, for examples and benchmarks
 * in another process.
 *
 * ```sh
 * npx effect-flashduty-standin --port 0 --incidents 200 --rate-limits
 * # effect-flashduty-standin listening on http://127.0.0.1:43121 (app key: standin-app-key)
 * ```
 *
 * The first line on stdout names the URL, so a parent process can read it; the server
 * stops on SIGINT/SIGTERM.
 */
import { readFileSync } from "node:fs"
import { parseArgs } from "node:util"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import type { FaultRule } from "./Fault.js"
import { FlashdutyStandIn } from "./FlashdutyStandIn.js"
import { DEFAULT_APP_KEY } from "./StandInEngine.js"

const usage = `Usage: effect-flashduty-standin [options]

  --port <n>              port on 127.0.0.1 (default 0: a free port)
  --host <addr>           address to bind (default 127.0.0.1)
  --app-key <key>         app key to accept (default ${DEFAULT_APP_KEY})
  --access-token <token>  bearer token to accept (repeatable)
  --incidents <n>         generated incidents (default 30)
  --transcript-lines <n>  events per exported transcript (default 200)
  --transcript-bytes <n>  instead: transcript size in bytes (e.g. 1073741824)
  --rate-limits           enforce each operation's documented rate limit
  --seed <seed>           seed for generated data and fault probabilities
  --faults <file.json>    fault rules: a JSON array of { operationId?, path?, skip?, times?, probability?, fault }
  --help                  this text
`

const integer = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} expects a non-negative integer, got ${value}`)
  return n
}

const main = () => {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "app-key": { type: "string" },
      "access-token": { type: "string", multiple: true },
      incidents: { type: "string" },
      "transcript-lines": { type: "string" },
      "transcript-bytes": { type: "string" },
      "rate-limits": { type: "boolean" },
      seed: { type: "string" },
      faults: { type: "string" },
      help: { type: "boolean" }
    }
  })
  if (values.help) {
    process.stdout.write(usage)
    return
  }
  const count = integer("incidents", values.incidents)
  const lines = integer("transcript-lines", values["transcript-lines"])
  const bytes = integer("transcript-bytes", values["transcript-bytes"])
  const port = integer("port", values.port)
  const faults =
    values.faults === undefined
      ? undefined
      : (JSON.parse(readFileSync(values.faults, "utf8")) as ReadonlyArray<FaultRule>)
  const appKey = values["app-key"] ?? DEFAULT_APP_KEY

  const program = Effect.scoped(
    Effect.gen(function* () {
      const { url } = yield* FlashdutyStandIn.serve({
        appKey,
        ...(port === undefined ? {} : { port }),
        ...(values.host === undefined ? {} : { host: values.host }),
        ...(values["access-token"] === undefined ? {} : { accessTokens: values["access-token"] }),
        ...(count === undefined ? {} : { incidents: { count } }),
        transcript: { ...(lines === undefined ? {} : { lines }), ...(bytes === undefined ? {} : { bytes }) },
        rateLimits: values["rate-limits"] === true,
        ...(values.seed === undefined ? {} : { seed: values.seed }),
        ...(faults === undefined ? {} : { faults })
      })
      // The key is printed only when it is the well-known default: a custom key is the caller's secret.
      const keyHint = appKey === DEFAULT_APP_KEY ? ` (app key: ${DEFAULT_APP_KEY})` : ""
      process.stdout.write(`effect-flashduty-standin listening on ${url}${keyHint}\n`)
      return yield* Effect.never
    })
  )
  const fiber = Effect.runFork(program)
  const stop = () => {
    Effect.runFork(Fiber.interrupt(fiber))
  }
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
  fiber.addObserver((exit) => {
    if (exit._tag === "Failure" && !Cause.hasInterruptsOnly(exit.cause)) {
      process.stderr.write(`effect-flashduty-standin: ${String(exit.cause)}\n`)
      process.exitCode = 1
    }
  })
}

try {
  main()
} catch (error) {
  process.stderr.write(`effect-flashduty-standin: ${(error as Error).message}\n\n${usage}`)
  process.exitCode = 2
}
