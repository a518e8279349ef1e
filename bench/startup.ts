/**
 * Figure 5, startup: time to import the built package's entry point in a fresh Node
 * process vs importing `effect` alone (measured inside the child, around the dynamic
 * `import()`, so Node's own boot is left out of both). Goal: ≤ 1.5×.
 *
 * Wall time swings with the machine's load more than with any change, so each run also
 * takes CPU time in one process: `effect` first, then the package on top of it
 * (`process.cpuUsage()` around each import); the ratio is (effect + package) / effect.
 * Each child also reports its resident memory after the import (`process.memoryUsage.rss()`).
 * Run: `npm run bench:startup` (BENCH_RUNS, default 15).
 */
import { execFileSync } from "node:child_process"
import * as path from "node:path"
import { ensureBuiltPackage, writeConsumer } from "./lib/consumer.js"
import { describeMachine } from "./lib/machine.js"
import { summarize, triple, verdict } from "./lib/stats.js"

/** Prints `[import ms, RSS MiB after it]`. */
const timed = (body: string) =>
  `const started = performance.now()\n${body}\nconsole.log(JSON.stringify([performance.now() - started, process.memoryUsage.rss() / 1048576]))\n`
const timedImport = (specifier: string) => timed(`await import(${JSON.stringify(specifier)})`)

ensureBuiltPackage()
const dir = writeConsumer("startup", {
  "effect.mjs": timedImport("effect"),
  "effect-http.mjs": timed(`await import("effect")\nawait import("effect/http")`),
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
const importOnce = (file: string) =>
  JSON.parse(execFileSync(process.execPath, [path.join(dir, file)], { encoding: "utf8" })) as [number, number]

const runs = Number(process.env.BENCH_RUNS ?? 15)
importOnce("sdk.mjs") // warm the file system cache
const samples = { effect: [] as Array<number>, effectHttp: [] as Array<number>, sdk: [] as Array<number> }
const rss = { effect: [] as Array<number>, effectHttp: [] as Array<number>, sdk: [] as Array<number> }
const cpu = { effect: [] as Array<number>, sdk: [] as Array<number>, ratio: [] as Array<number> }
for (let i = 0; i < runs; i++) {
  for (const [key, file] of [
    ["effect", "effect.mjs"],
    ["effectHttp", "effect-http.mjs"],
    ["sdk", "sdk.mjs"]
  ] as const) {
    const [millis, mib] = importOnce(file)
    samples[key].push(millis)
    rss[key].push(mib)
  }
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

| import | ms (min / median / max) | RSS after it, MiB (min / median / max) |
| --- | --- | --- |
| \`effect\` | ${triple(summarize(samples.effect), 1)} | ${triple(summarize(rss.effect), 0)} |
| \`effect\` + \`effect/http\` | ${triple(summarize(samples.effectHttp), 1)} | ${triple(summarize(rss.effectHttp), 0)} |
| \`effect-flashduty\` | ${triple(summarize(samples.sdk), 1)} | ${triple(summarize(rss.sdk), 0)} |

SDK / \`effect\` min / median / max: ${triple(ratio)}; goal ≤ 1.5×: **${verdict(ratio.median <= 1.5)}** (${runs} runs)
SDK / \`effect\` + \`effect/http\`: ${triple(ratioHttp)}

CPU time in one process: \`effect\` ${triple(summarize(cpu.effect), 1)} ms, then \`effect-flashduty\` on top
${triple(summarize(cpu.sdk), 1)} ms; (effect + SDK) / effect ${triple(summarize(cpu.ratio))}
`)
