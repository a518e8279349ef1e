/**
 * Figure 4, bundle size: esbuild (minified, tree-shaken, ESM for Node) of an app that
 * uses only `incidents.list` vs the same app through `Flashduty` (every service) vs
 * `effect` alone with one `HttpClient` call, all from the built package. A fourth app,
 * `effect` + one `Schema` decode, shows what any Schema-decoding client starts from.
 * Goal: the one-service app adds < 15% to the effect-only bundle.
 * Run: `npm run bench:bundle` (sizes are deterministic: one run).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import * as zlib from "node:zlib"
import * as esbuild from "esbuild"
import { ensureBuiltPackage, writeConsumer } from "./lib/consumer.js"
import { describeMachine } from "./lib/machine.js"
import { fmt, verdict } from "./lib/stats.js"

const apps: Record<string, string> = {
  "effect-only": `import { Effect } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"

const program = Effect.gen(function* () {
  const client = yield* HttpClient.HttpClient
  const response = yield* client.post("https://api.flashcat.cloud/incident/list")
  return yield* response.json
})
program.pipe(Effect.provide(FetchHttpClient.layer), Effect.runPromise).then(console.log)
`,
  "effect-schema": `import { Effect, Schema } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"

const Page = Schema.Struct({ items: Schema.Array(Schema.Struct({ incident_id: Schema.String, start_time: Schema.Number })) })
const program = Effect.gen(function* () {
  const client = yield* HttpClient.HttpClient
  const response = yield* client.post("https://api.flashcat.cloud/incident/list")
  return yield* Schema.decodeUnknownEffect(Page)(yield* response.json)
})
program.pipe(Effect.provide(FetchHttpClient.layer), Effect.runPromise).then(console.log)
`,
  "one-service": `import { Effect, Layer, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { FlashdutyClient, Incidents } from "effect-flashduty"

const program = Effect.gen(function* () {
  const incidents = yield* Incidents
  return yield* incidents.list({ progress: "Triggered", limit: 20 })
})
program.pipe(
  Effect.provide(Incidents.layer.pipe(Layer.provide(FlashdutyClient.layer({ appKey: Redacted.make("key") })))),
  Effect.provide(FetchHttpClient.layer),
  Effect.runPromise
).then(console.log)
`,
  "all-services": `import { Effect, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { Flashduty } from "effect-flashduty"

const program = Effect.gen(function* () {
  const fd = yield* Flashduty
  return yield* fd.incidents.list({ progress: "Triggered", limit: 20 })
})
program.pipe(
  Effect.provide(Flashduty.layer({ appKey: Redacted.make("key") })),
  Effect.provide(FetchHttpClient.layer),
  Effect.runPromise
).then(console.log)
`
}

ensureBuiltPackage()
const dir = writeConsumer(
  "bundle",
  Object.fromEntries(Object.entries(apps).map(([name, source]) => [`${name}.ts`, source]))
)

/** Minified bytes, gzipped bytes, and bytes per input file (for the breakdown). */
const bundle = async (name: string) => {
  const outfile = path.join(dir, `${name}.js`)
  const result = await esbuild.build({
    entryPoints: [path.join(dir, `${name}.ts`)],
    outfile,
    bundle: true,
    minify: true,
    treeShaking: true,
    format: "esm",
    platform: "node",
    metafile: true,
    logLevel: "warning"
  })
  const code = fs.readFileSync(outfile)
  const inputs = Object.values(result.metafile.outputs)[0]?.inputs ?? {}
  const perInput = Object.fromEntries(
    Object.entries(inputs).map(([file, { bytesInOutput }]) => [file, bytesInOutput])
  )
  return { bytes: code.length, gzip: zlib.gzipSync(code).length, perInput }
}

const sizes = Object.fromEntries(
  await Promise.all(Object.keys(apps).map(async (name) => [name, await bundle(name)] as const))
)
const base = sizes["effect-only"]!
const kib = (bytes: number) => fmt(bytes / 1024, 1)
const added = (name: string) => (sizes[name]!.bytes - base.bytes) / base.bytes

/** Where the one-service app's bytes over `than` come from: the SDK's files vs effect's. */
const breakdown = (than: string) => {
  const rows = Object.entries(sizes["one-service"]!.perInput).map(
    ([file, bytes]) =>
      [
        file.replace(/^.*node_modules\/effect\/dist\//, "effect/").replace(/^.*pkg\/dist\//, "sdk/"),
        bytes - (sizes[than]!.perInput[file] ?? 0)
      ] as const
  )
  const sum = (filter: (file: string) => boolean) =>
    rows.filter(([file]) => filter(file)).reduce((n, [, b]) => n + b, 0)
  const top = rows
    .filter(([, b]) => b > 4096)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
  return { sdk: sum((f) => f.startsWith("sdk/")), effect: sum((f) => f.startsWith("effect/")), top }
}
const overSchema = breakdown("effect-schema")
const oneServiceAdded = added("one-service")

console.log(`### Figure 4: bundle size (\`npm run bench:bundle\`)
${describeMachine()}

esbuild ${esbuild.version}, \`--bundle --minify --format=esm --platform=node\`, from the built package.

| app | minified KiB | gzip KiB | vs effect-only |
| --- | --- | --- | --- |
${Object.entries(sizes)
  .map(
    ([name, s]) =>
      `| ${name} | ${kib(s.bytes)} | ${kib(s.gzip)} | ${name === "effect-only" ? "" : `+${fmt(added(name) * 100, 0)}%`} |`
  )
  .join("\n")}

- One service adds ${fmt(oneServiceAdded * 100, 0)}% to effect-only; goal < 15%: **${verdict(oneServiceAdded < 0.15)}**
- Unused services tree-shake away: every service costs ${kib(sizes["all-services"]!.bytes - sizes["one-service"]!.bytes)} KiB more than one, so the other 33 are ${
  sizes["all-services"]!.bytes > sizes["one-service"]!.bytes * 1.1
    ? "**dropped** from the one-service app"
    : "**not** dropped"
}
- One-service over effect + Schema: SDK files ${kib(overSchema.sdk)} KiB, further effect modules ${kib(overSchema.effect)} KiB; largest:
  ${overSchema.top.map(([file, bytes]) => `${file} ${kib(bytes)}`).join(", ")}
`)
