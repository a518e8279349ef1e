/**
 * The `Webhooks` namespace's surface, as a reviewed list (the root entry's snapshot only shows
 * `Webhooks` itself): update on purpose with `npx vitest run test/webhooks/surface.test.ts -u`.
 * And the module stays fit for the main entry: no `node:` import anywhere under `src/webhooks/`
 * (it runs on edge runtimes too).
 */
import { readdirSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { assert, describe, expect, it } from "@effect/vitest"
import ts from "typescript"

const dir = new URL("../../src/webhooks/", import.meta.url)

describe("the Webhooks module", () => {
  it("exports exactly the reviewed names", async () => {
    const entry = fileURLToPath(new URL("Webhooks.ts", dir))
    const program = ts.createProgram([entry], {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      skipLibCheck: true
    })
    const checker = program.getTypeChecker()
    const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!
    const names = checker
      .getExportsOfModule(module)
      .map((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
        return `${symbol.getName()} (${target.flags & ts.SymbolFlags.Value ? "value" : "type"})`
      })
      .sort()
    await expect(`${names.join("\n")}\n`).toMatchFileSnapshot("./__snapshots__/webhooks.surface.txt")
  })

  it("imports no node: module (the main entry runs on edge runtimes)", () => {
    const files = readdirSync(dir).filter((file) => file.endsWith(".ts"))
    assert.isAtLeast(files.length, 6)
    for (const file of files) {
      const text = readFileSync(new URL(file, dir), "utf8")
      assert.notMatch(text, /from\s+["']node:/, `${file} imports a node: module`)
      assert.notMatch(text, /\bimport\(\s*["']node:/, `${file} imports a node: module`)
    }
  })
})
