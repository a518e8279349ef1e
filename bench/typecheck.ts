/**
 * Figure 6, type-checking: `tsc --noEmit` on a one-file consumer that uses five services
 * of the built package (`.d.ts` from `dist`, as users get it) vs the same file using only
 * `effect`. Goal: ≤ 2×. Run: `npm run bench:typecheck` (BENCH_RUNS, default 5).
 */
import { execFileSync } from "node:child_process"
import * as path from "node:path"
import { consumerCompilerOptions, ensureBuiltPackage, repoRoot, writeConsumer } from "./lib/consumer.js"
import { describeMachine } from "./lib/machine.js"
import { fmt, summarize, triple, verdict } from "./lib/stats.js"

const sdkApp = `import { Effect, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { Flashduty } from "effect-flashduty"

const program = Effect.gen(function* () {
  const fd = yield* Flashduty
  const incidents = yield* fd.incidents.list({ progress: "Triggered", limit: 20 })
  const channels = yield* fd.channels.list({})
  const members = yield* fd.members.list({})
  const teams = yield* fd.teams.list({})
  const schedules = yield* fd.schedules.list({})
  return { count: incidents.data.items.length, requestId: channels.meta.requestId, members, teams, schedules }
})

program.pipe(
  Effect.provide(Flashduty.layer({ appKey: Redacted.make("key") })),
  Effect.provide(FetchHttpClient.layer),
  Effect.runPromise
)
`

const effectApp = `import { Effect } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"

const program = Effect.gen(function* () {
  const client = yield* HttpClient.HttpClient
  const response = yield* client.post("https://api.flashcat.cloud/incident/list")
  return yield* response.json
})

program.pipe(Effect.provide(FetchHttpClient.layer), Effect.runPromise)
`

const project = (file: string) =>
  JSON.stringify({ compilerOptions: consumerCompilerOptions, files: [file] }, null, 2)

ensureBuiltPackage()
const dir = writeConsumer("typecheck", {
  "sdk.ts": sdkApp,
  "effect.ts": effectApp,
  "tsconfig.sdk.json": project("sdk.ts"),
  "tsconfig.effect.json": project("effect.ts")
})
const tsc = path.join(repoRoot, "node_modules/typescript/bin/tsc")

/** One `tsc` run: wall seconds, and tsc's own check time and file count. */
const check = (config: string) => {
  const started = performance.now()
  const output = execFileSync(process.execPath, [tsc, "-p", config, "--extendedDiagnostics"], {
    cwd: dir,
    encoding: "utf8"
  })
  const wall = (performance.now() - started) / 1000
  const stat = (name: string) => Number(new RegExp(`${name}:\\s+([\\d.]+)`).exec(output)?.[1])
  return {
    wall,
    checkTime: stat("Check time"),
    files: stat("Files"),
    definitionLines: stat("Lines of Definitions")
  }
}

const runs = Number(process.env.BENCH_RUNS ?? 5)
check("tsconfig.effect.json") // warm the file system cache for both
const effectRuns: Array<ReturnType<typeof check>> = []
const sdkRuns: Array<ReturnType<typeof check>> = []
for (let i = 0; i < runs; i++) {
  // Alternated so both see the same machine load.
  effectRuns.push(check("tsconfig.effect.json"))
  sdkRuns.push(check("tsconfig.sdk.json"))
}
const ratios = summarize(sdkRuns.map((run, i) => run.wall / effectRuns[i]!.wall))
const effectWall = summarize(effectRuns.map((r) => r.wall))
const sdkWall = summarize(sdkRuns.map((r) => r.wall))

console.log(`### Figure 6: type-checking (\`npm run bench:typecheck\`)
${describeMachine()}

| consumer | files | .d.ts lines | tsc wall s (min / median / max) | check time s (median) |
| --- | --- | --- | --- | --- |
| effect only | ${effectRuns[0]!.files} | ${effectRuns[0]!.definitionLines} | ${triple(effectWall)} | ${fmt(summarize(effectRuns.map((r) => r.checkTime)).median)} |
| five services | ${sdkRuns[0]!.files} | ${sdkRuns[0]!.definitionLines} | ${triple(sdkWall)} | ${fmt(summarize(sdkRuns.map((r) => r.checkTime)).median)} |

Ratio (per alternated pair) min / median / max: ${triple(ratios)}; goal ≤ 2×: **${verdict(ratios.median <= 2)}** (${runs} runs)
`)
