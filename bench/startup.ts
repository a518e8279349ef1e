/**
 * Figure 5, startup: time to import the built package's entry point in a fresh Node
 * process vs importing `effect` alone (measured inside the child, around the dynamic
 * `import()`, so Node's own boot is left out of both). Goal: ≤ 1.5×.
 *
 * Wall time swings with the machine's load more than with any change, so each run also
 * takes CPU time in one process: `effect` first, then the package on top of it
 * (`process.cpuUsage()` around each import); the ratio is (effect + package) / effect.
 * Run: `npm run bench:startup` (BENCH_RUNS, default 15).
 */
import { execFileSync } from "node:child_process"
import * as path from "node:path"
import { ensureBuiltPackage, writeConsumer } from "./lib/consumer.js"
import { describeMachine } from "./lib/machine.js"
import { summarize, triple, verdict } from "./lib/stats.js"

const timedImport = (specifier: string) =>
  `const started = performance.now()\nawait import(${JSON.stringify(specifier)})\nconsole.log(performance.now() - started)\n`

ensureBuiltPackage()
const dir = writeConsumer("startup", {
  "effect.mjs": timedImport("effect"),
  "effect-http.mjs": `const started = performance.now()\nawait import("effect")\nawait import("effect/http")\nconsole.log(performance.now() - started)\n`,
  "sdk.mjs": timedImport("effect-flashduty"),
  // CPU milliseconds of `effect`, then of the package's own import on top of it.
  "sdk-cpu.mjs": `const cpuMillis = (u) => (u.user + u.system) / 1000
let mark = process.cpuUsage()
await import("effect")
const effect = cpuMillis(process.cpuUsage(mark))
mark = process.cpuUsage()
await import("effect-flashduty")
console.log(JSON.stringify([effect, cpuMillis(process.cpuUsage(mark))]))
`
})
const importMillis = (file: string) =>
  Number(execFileSync(process.execPath, [path.join(dir, file)], { encoding: "utf8" }).trim())

const runs = Number(process.env.BENCH_RUNS ?? 15)
importMillis("sdk.mjs") // warm the file system cache
const samples = { effect: [] as Array<number>, effectHttp: [] as Array<number>, sdk: [] as Array<number> }
const cpu = { effect: [] as Array<number>, sdk: [] as Array<number>, ratio: [] as Array<number> }
for (let i = 0; i < runs; i++) {
  samples.effect.push(importMillis("effect.mjs"))
  samples.effectHttp.push(importMillis("effect-http.mjs"))
  samples.sdk.push(importMillis("sdk.mjs"))
  const [effect, sdk] = JSON.parse(
    execFileSync(process.execPath, [path.join(dir, "sdk-cpu.mjs")], { encoding: "utf8" })
  ) as [number, number]
  cpu.effect.push(effect)
  cpu.sdk.push(sdk)
  cpu.ratio.push((effect + sdk) / effect)
}
const ratio = summarize(samples.sdk.map((sdk, i) => sdk / samples.effect[i]!))
const ratioHttp = summarize(samples.sdk.map((sdk, i) => sdk / samples.effectHttp[i]!))

console.log(`### Figure 5: startup (\`npm run bench:startup\`)
${describeMachine()}

| import | ms (min / median / max) |
| --- | --- |
| \`effect\` | ${triple(summarize(samples.effect), 1)} |
| \`effect\` + \`effect/http\` | ${triple(summarize(samples.effectHttp), 1)} |
| \`effect-flashduty\` | ${triple(summarize(samples.sdk), 1)} |

SDK / \`effect\` min / median / max: ${triple(ratio)}; goal ≤ 1.5×: **${verdict(ratio.median <= 1.5)}** (${runs} runs)
SDK / \`effect\` + \`effect/http\`: ${triple(ratioHttp)}

CPU time in one process: \`effect\` ${triple(summarize(cpu.effect), 1)} ms, then \`effect-flashduty\` on top
${triple(summarize(cpu.sdk), 1)} ms; (effect + SDK) / effect ${triple(summarize(cpu.ratio))}
`)
