/**
 * The main entry, the service subpaths and `effect-flashduty/testing` import no `node:` module,
 * so that an app (and its tests with the in-memory stand-in) bundles for browsers and edge
 * runtimes (`esbuild --platform=browser` / `neutral` fails on any `node:` import, even one
 * tree-shaking would drop). The Node file system is `effect-flashduty/node`; the stand-in's
 * loopback servers load `node:http` when they start.
 */
import { readdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import * as esbuild from "esbuild"

const root = new URL("../../", import.meta.url)
const entries = {
  "effect-flashduty": "src/index.ts",
  // The in-memory stand-in works everywhere; its loopback servers load node:http when started.
  "effect-flashduty/testing": "src/testing/index.ts",
  ...Object.fromEntries(
    readdirSync(new URL("src/generated/services/", root)).map((f) => [
      `effect-flashduty/${f.replace(/\.ts$/, "")}`,
      `src/generated/services/${f}`
    ])
  )
}

/** Every module an entry reaches (statically or by a literal dynamic import), by path. */
const reachedFrom = async (entry: string, platform: "browser" | "neutral") => {
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(new URL(entry, root))],
    bundle: true,
    write: false,
    metafile: true,
    platform,
    format: "esm",
    mainFields: ["module", "main"],
    // `effect` is the user's; only the SDK's own imports are in question.
    external: ["effect", "effect/*"],
    logLevel: "silent"
  })
  return Object.keys(result.metafile.inputs)
}

describe("portable entries", () => {
  for (const platform of ["browser", "neutral"] as const) {
    it(`every entry but ./node bundles for --platform=${platform}`, async () => {
      for (const [name, file] of Object.entries(entries)) {
        const inputs = await reachedFrom(file, platform).catch((error: unknown) => {
          throw new Error(`${name} does not bundle for ${platform}: ${String(error)}`)
        })
        assert.isAbove(inputs.length, 0)
        assert.isFalse(
          inputs.some((input) => input.startsWith("node:")),
          name
        )
      }
    })
  }

  it("effect-flashduty/node is where node:fs is", async () => {
    const failure = await reachedFrom("src/node/index.ts", "browser").then(
      () => undefined,
      (error: unknown) => String(error)
    )
    assert.include(failure, "node:fs")
  })
})
