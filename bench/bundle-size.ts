/**
 * Figure 4, bundle size: esbuild (minified, tree-shaken, ESM for Node) of an app that
 * uses only `incidents.list` (its service imported from the root, and from
 * `effect-flashduty/incidents`) vs the same app through `Flashduty` (every service) vs
 * `effect` alone with one `HttpClient` call, all from the built package; `one-schema` decodes
 * stored JSON with one model schema from a service subpath (the service itself unused). A fourth app,
 * `effect` + one `Schema` decode, shows what any Schema-decoding client starts from. Each app
 * is bundled twice, its effect imports written from the barrels and by subpath.
 * Goal: the one-service app adds < 15% to the effect-only bundle.
 * The subpath-style apps are also built for `--platform=browser` and `--platform=neutral`
 * (a build that fails, e.g. on a `node:` import, fails the benchmark).
 * Run: `npm run bench:bundle` (sizes are deterministic: one run).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import * as zlib from "node:zlib"
import { nodeResolve } from "@rollup/plugin-node-resolve"
import terserImport from "@rollup/plugin-terser"
import * as esbuild from "esbuild"
import { type Plugin, rollup, VERSION as rollupVersion } from "rollup"
import { ensureBuiltPackage, writeConsumer } from "./lib/consumer.js"
import { describeMachine } from "./lib/machine.js"
import { fmt, verdict } from "./lib/stats.js"

/**
 * The import lines of an app in one of two styles: from effect's barrels (`effect`,
 * `effect/http`), as the README's examples are written, or one module per subpath
 * (`effect/Effect`, `effect/http/HttpClient`), as the SDK itself imports. esbuild keeps much
 * more of a module reached through a barrel's `export * as Name` (an `effect` + `Schema`
 * app: 384 KiB through the barrel, 123 KiB by subpath), so each app is bundled both ways.
 */
type Style = "barrel" | "subpath"
const importsOf = (style: Style, effect: ReadonlyArray<string>, http: ReadonlyArray<string>): string =>
  style === "barrel"
    ? `import { ${effect.join(", ")} } from "effect"\nimport { ${http.join(", ")} } from "effect/http"\n`
    : [
        ...effect.map((m) => `import * as ${m} from "effect/${m}"`),
        ...http.map((m) => `import * as ${m} from "effect/http/${m}"`)
      ]
        .join("\n")
        .concat("\n")

const appsIn = (style: Style): Record<string, string> => ({
  "effect-only": `${importsOf(style, ["Effect"], ["FetchHttpClient", "HttpClient"])}
const program = Effect.gen(function* () {
  const client = yield* HttpClient.HttpClient
  const response = yield* client.post("https://api.flashcat.cloud/incident/list")
  return yield* response.json
})
program.pipe(Effect.provide(FetchHttpClient.layer), Effect.runPromise).then(console.log)
`,
  "effect-schema": `${importsOf(style, ["Effect", "Schema"], ["FetchHttpClient", "HttpClient"])}
const Page = Schema.Struct({ items: Schema.Array(Schema.Struct({ incident_id: Schema.String, start_time: Schema.Number })) })
const program = Effect.gen(function* () {
  const client = yield* HttpClient.HttpClient
  const response = yield* client.post("https://api.flashcat.cloud/incident/list")
  return yield* Schema.decodeUnknownEffect(Page)(yield* response.json)
})
program.pipe(Effect.provide(FetchHttpClient.layer), Effect.runPromise).then(console.log)
`,
  "one-service": `${importsOf(style, ["Effect", "Layer", "Redacted"], ["FetchHttpClient"])}import { FlashdutyClient, Incidents } from "effect-flashduty"

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
  "one-service-subpath": `${importsOf(style, ["Effect", "Layer", "Redacted"], ["FetchHttpClient"])}import { FlashdutyClient } from "effect-flashduty"
import { Incidents } from "effect-flashduty/incidents"

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
  "one-operation": `${importsOf(style, ["Effect", "Redacted"], ["FetchHttpClient"])}import { FlashdutyClient } from "effect-flashduty"
import { listEndpoint } from "effect-flashduty/incidents"

const program = Effect.gen(function* () {
  const client = yield* FlashdutyClient
  return yield* client.call(listEndpoint, { progress: "Triggered", limit: 20 })
})
program.pipe(
  Effect.provide(FlashdutyClient.layer({ appKey: Redacted.make("key") })),
  Effect.provide(FetchHttpClient.layer),
  Effect.runPromise
).then(console.log)
`,
  "one-schema": `${importsOf(style, ["Effect", "Schema"], ["FetchHttpClient", "HttpClient"])}import { IncidentInfo } from "effect-flashduty/incidents"

const program = Effect.gen(function* () {
  const client = yield* HttpClient.HttpClient
  const response = yield* client.get("https://example.com/stored-incident.json")
  return yield* Schema.decodeUnknownEffect(IncidentInfo)(yield* response.json)
})
program.pipe(Effect.provide(FetchHttpClient.layer), Effect.runPromise).then(console.log)
`,
  "all-services": `${importsOf(style, ["Effect", "Redacted"], ["FetchHttpClient"])}import { Flashduty } from "effect-flashduty"

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
})

ensureBuiltPackage()
const styles: ReadonlyArray<Style> = ["barrel", "subpath"]
const dir = writeConsumer(
  "bundle",
  Object.fromEntries(
    styles.flatMap((style) =>
      Object.entries(appsIn(style)).map(([name, source]) => [`${name}.${style}.ts`, source])
    )
  )
)

interface Bundle {
  readonly bytes: number
  readonly gzip: number
  /** Bytes in the output per input file (for the breakdown). */
  readonly perInput: Record<string, number>
}

type Platform = "node" | "browser" | "neutral"

const bundle = async (file: string, platform: Platform = "node"): Promise<Bundle> => {
  const outfile = path.join(dir, file.replace(/\.ts$/, platform === "node" ? ".js" : `.${platform}.js`))
  const result = await esbuild.build({
    entryPoints: [path.join(dir, file)],
    outfile,
    bundle: true,
    minify: true,
    treeShaking: true,
    format: "esm",
    platform,
    // neutral: no main field or condition is assumed; effect and the SDK are ESM with `exports`.
    ...(platform === "neutral" ? { mainFields: ["module", "main"] } : {}),
    metafile: true,
    logLevel: "warning"
  })
  const code = fs.readFileSync(outfile)
  const inputs = Object.values(result.metafile.outputs)[0]?.inputs ?? {}
  const perInput = Object.fromEntries(
    Object.entries(inputs).map(([input, { bytesInOutput }]) => [input, bytesInOutput])
  )
  return { bytes: code.length, gzip: zlib.gzipSync(code).length, perInput }
}

const appNames = Object.keys(appsIn("barrel"))
const sizes: Record<Style, Record<string, Bundle>> = { barrel: {}, subpath: {} }
for (const style of styles)
  for (const name of appNames) sizes[style][name] = await bundle(`${name}.${style}.ts`)

// The plugin ships CommonJS-style typings for an ESM default export: under NodeNext the default
// import types as the module namespace, while at run time (ESM) it is the plugin function.
const terser = terserImport as unknown as () => Plugin

// A second bundler (issue 19): Rollup with node-resolve and terser, the subpath-style apps.
const rollupApps = ["effect-only", "effect-schema", "one-operation", "one-service", "all-services"]
const rollupSizes: Record<string, { readonly bytes: number; readonly gzip: number }> = {}
for (const name of rollupApps) {
  const built = await rollup({
    input: path.join(dir, `${name}.subpath.ts`),
    plugins: [nodeResolve({ exportConditions: ["node", "import", "default"] }), terser()],
    onwarn: () => {}
  })
  const { output } = await built.generate({ format: "esm" })
  await built.close()
  const code = Buffer.from(output.map((chunk) => (chunk.type === "chunk" ? chunk.code : "")).join(""))
  rollupSizes[name] = { bytes: code.length, gzip: zlib.gzipSync(code).length }
}

// Browsers and edge runtimes (issue 16): the apps that need no `node:` module, by subpath.
const portableApps = [
  "effect-only",
  "effect-schema",
  "one-operation",
  "one-service",
  "one-service-subpath",
  "one-schema",
  "all-services"
]
const portable: Record<"browser" | "neutral", Record<string, Bundle>> = { browser: {}, neutral: {} }
for (const platform of ["browser", "neutral"] as const)
  for (const name of portableApps) portable[platform][name] = await bundle(`${name}.subpath.ts`, platform)
const nodeImports = (platform: "browser" | "neutral") =>
  portableApps.filter((name) =>
    Object.keys(portable[platform][name]!.perInput).some((input) => input.startsWith("node:"))
  )

const kib = (bytes: number) => fmt(bytes / 1024, 1)

const added = (style: Style, name: string) =>
  (sizes[style][name]!.bytes - sizes[style]["effect-only"]!.bytes) / sizes[style]["effect-only"]!.bytes

/** Where the one-service app's bytes over the `than` app come from: the SDK's files vs effect's. */
const breakdown = (style: Style, than: string) => {
  const rows = Object.entries(sizes[style]["one-service"]!.perInput).map(
    ([file, bytes]) =>
      [
        file.replace(/^.*node_modules\/effect\/dist\//, "effect/").replace(/^.*pkg\/dist\//, "sdk/"),
        bytes - (sizes[style][than]!.perInput[file] ?? 0)
      ] as const
  )
  const sum = (filter: (file: string) => boolean) =>
    rows.filter(([file]) => filter(file)).reduce((n, [, b]) => n + b, 0)
  const top = rows
    .filter(([, b]) => b > 2048)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
  return { sdk: sum((f) => f.startsWith("sdk/")), effect: sum((f) => f.startsWith("effect/")), top }
}

const rows = appNames.map((name) => {
  const cells = styles.map((style) => {
    const s = sizes[style][name]!
    const vs = name === "effect-only" ? "" : ` (+${fmt(added(style, name) * 100, 0)}%)`
    return `${kib(s.bytes)} / ${kib(s.gzip)}${vs}`
  })
  return `| ${name} | ${cells.join(" | ")} |`
})
const verdicts = styles.map(
  (style) =>
    `${style} +${fmt(added(style, "one-service") * 100, 0)}%: **${verdict(added(style, "one-service") < 0.15)}**`
)
const shaken = styles.every(
  (style) => sizes[style]["all-services"]!.bytes > sizes[style]["one-service"]!.bytes * 1.1
)
const over = breakdown("subpath", "effect-schema")

console.log(`### Figure 4: bundle size (\`npm run bench:bundle\`)
${describeMachine()}

esbuild ${esbuild.version}, \`--bundle --minify --format=esm --platform=node\`, from the built package; each app
with its effect imports from the barrels and by subpath. Cells: minified / gzip KiB (vs effect-only in the same style).

| app | barrel imports | subpath imports |
| --- | --- | --- |
${rows.join("\n")}

- One service over effect-only, goal < 15%: ${verdicts.join("; ")}
- Unused services tree-shake away (every service vs one: ${styles
  .map(
    (style) =>
      `+${kib(sizes[style]["all-services"]!.bytes - sizes[style]["one-service"]!.bytes)} KiB ${style}`
  )
  .join(", ")}): ${shaken ? "**yes**, the other 33 are dropped" : "**no**"}
- One service over effect + Schema (subpath): SDK files ${kib(over.sdk)} KiB, further effect modules ${kib(over.effect)} KiB; largest:
  ${over.top.map(([file, bytes]) => `${file} ${kib(bytes)}`).join(", ")}

Rollup ${rollupVersion} (node-resolve, terser), the same apps with subpath imports (minified / gzip KiB):

| app | Rollup | esbuild | Rollup vs effect + one \`Schema\` decode |
| --- | --- | --- | --- |
${rollupApps
  .map((name) => {
    const r = rollupSizes[name]!
    const e = sizes.subpath[name]!
    return `| ${name} | ${kib(r.bytes)} / ${kib(r.gzip)} | ${kib(e.bytes)} / ${kib(e.gzip)} | ${fmt(r.bytes / rollupSizes["effect-schema"]!.bytes)}× |`
  })
  .join("\n")}

- One operation over effect + one \`Schema\` decode, goal ≤ 1.6×: esbuild ${fmt(sizes.subpath["one-operation"]!.bytes / sizes.subpath["effect-schema"]!.bytes)}×, Rollup ${fmt(rollupSizes["one-operation"]!.bytes / rollupSizes["effect-schema"]!.bytes)}×: **${verdict(sizes.subpath["one-operation"]!.bytes / sizes.subpath["effect-schema"]!.bytes <= 1.6 && rollupSizes["one-operation"]!.bytes / rollupSizes["effect-schema"]!.bytes <= 1.6)}**

Browsers and edge runtimes: the same apps (subpath imports), \`--platform=browser\` and \`--platform=neutral\`
(minified / gzip KiB, vs effect-only on the same platform):

| app | browser | neutral |
| --- | --- | --- |
${portableApps
  .map((name) => {
    const cell = (platform: "browser" | "neutral") => {
      const b = portable[platform][name]!
      const base = portable[platform]["effect-only"]!.bytes
      return `${kib(b.bytes)} / ${kib(b.gzip)}${name === "effect-only" ? "" : ` (+${fmt(((b.bytes - base) / base) * 100, 0)}%)`}`
    }
    return `| ${name} | ${cell("browser")} | ${cell("neutral")} |`
  })
  .join("\n")}

- Every app builds for both, no \`node:\` import: ${
  nodeImports("browser").length + nodeImports("neutral").length === 0
    ? "**yes**"
    : `**no** (${[...nodeImports("browser"), ...nodeImports("neutral")].join(", ")})`
}
`)
