/**
 * The generated modules have no side effects at module level: an app that imports one schema
 * from a service subpath (to decode stored JSON) keeps neither the service, nor the client,
 * nor the pipeline. Bundled with esbuild, one entry per service, from the sources compiled by
 * TypeScript's own emitter as the build does (it drops a pure annotation in some places,
 * e.g. after a class property's type annotation); the package's `sideEffects: false` applies.
 */
import { readdirSync } from "node:fs"
import { readFile } from "node:fs/promises"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import * as esbuild from "esbuild"
import ts from "typescript"

const root = new URL("../../", import.meta.url)
const subpaths = readdirSync(new URL("src/generated/services/", root)).map((f) => f.replace(/\.ts$/, ""))

describe("tree-shaking the generated modules", () => {
  it("one schema from a service subpath keeps neither its service nor the client", async () => {
    // The first model name each subpath exports (after the service class), decoded once.
    const entries = await Promise.all(
      subpaths.map(async (sub) => {
        const file = fileURLToPath(new URL(`src/generated/services/${sub}.ts`, root))
        const names = Object.keys(await import(/* @vite-ignore */ file)).sort()
        const kebab = (n: string) => n.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()
        const model = names.find((n) => kebab(n) !== sub)!
        return { sub, file, model }
      })
    )
    const result = await esbuild.build({
      entryPoints: entries.map(({ sub }) => ({ in: `app:${sub}`, out: sub })),
      plugins: [
        {
          name: "apps",
          setup(build) {
            // The SDK's files as tsc emits them.
            build.onLoad({ filter: /\/src\/.*\.ts$/ }, async (args) => ({
              contents: ts.transpileModule(await readFile(args.path, "utf8"), {
                compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext }
              }).outputText,
              loader: "js"
            }))
            build.onResolve({ filter: /^app:/ }, (args) => ({ path: args.path.slice(4), namespace: "app" }))
            build.onLoad({ filter: /.*/, namespace: "app" }, (args) => {
              const entry = entries.find((e) => e.sub === args.path)!
              return {
                contents: `import { Schema } from "effect"\nimport { ${entry.model} } from ${JSON.stringify(entry.file)}\nconsole.log(Schema.decodeUnknownSync(${entry.model} as any)({}))\n`,
                loader: "ts",
                resolveDir: fileURLToPath(root)
              }
            })
          }
        }
      ],
      bundle: true,
      write: false,
      outdir: "out",
      format: "esm",
      platform: "neutral",
      mainFields: ["module", "main"],
      treeShaking: true,
      logLevel: "silent"
    })
    assert.strictEqual(result.outputFiles.length, subpaths.length)
    for (const output of result.outputFiles) {
      const text = output.text
      const sub = output.path.replace(/^.*\//, "").replace(/\.js$/, "")
      assert.notMatch(text, /effect-flashduty\/[A-Z]/, `${sub}: a service tag stayed`)
      assert.notInclude(text, "effect-flashduty/FlashdutyClient", `${sub}: the client stayed`)
      assert.notInclude(text, "function makeExecutor", `${sub}: the pipeline stayed`)
    }
  })
})
