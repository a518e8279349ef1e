/**
 * The package's public surface, as a reviewed list: every name exported by the root entry
 * and by `effect-flashduty/testing`, types included (read with the TypeScript compiler); the
 * root's model types (generated, one per request and response shape) are types only, their
 * schemas come from the service subpaths (`servicesSubpaths.test.ts`).
 * A change to what users can import shows up as a diff of the snapshot files beside this
 * test; update them on purpose (`npx vitest run test/core/publicSurface.test.ts -u`).
 */
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import ts from "typescript"

const entry = (path: string) => fileURLToPath(new URL(`../../src/${path}`, import.meta.url))
const entries = { root: entry("index.ts"), testing: entry("testing/index.ts") } as const

/** `name (value)` / `name (type)` for each export of each entry, sorted. */
const surface = (() => {
  const program = ts.createProgram(Object.values(entries), {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true
  })
  const checker = program.getTypeChecker()
  const listOf = (file: string) => {
    const source = program.getSourceFile(file)
    const module = source === undefined ? undefined : checker.getSymbolAtLocation(source)
    if (module === undefined) throw new Error(`cannot read ${file}`)
    return checker
      .getExportsOfModule(module)
      .map((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
        // `export type { X }` of a name that is also a value (a model type and its schema)
        // exports the type only.
        const typeOnly = (symbol.declarations ?? []).some(
          (d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly)
        )
        const isValue = !typeOnly && (target.flags & ts.SymbolFlags.Value) !== 0
        return `${symbol.getName()} (${isValue ? "value" : "type"})`
      })
      .sort()
      .join("\n")
  }
  return { root: listOf(entries.root), testing: listOf(entries.testing) }
})()

describe("the public surface", () => {
  it("effect-flashduty", async () => {
    await expect(`${surface.root}\n`).toMatchFileSnapshot("./__snapshots__/publicSurface.root.txt")
  })

  it("effect-flashduty/testing", async () => {
    await expect(`${surface.testing}\n`).toMatchFileSnapshot("./__snapshots__/publicSurface.testing.txt")
  })
})
