/**
 * docs/ARCHITECTURE.md stays true: every repository path it names exists, and in the
 * life-of-a-call tables every function named beside a file is defined in that file.
 */
import * as NodeFs from "node:fs"
import * as NodePath from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"

const root = fileURLToPath(new URL("../..", import.meta.url))
const doc = NodeFs.readFileSync(NodePath.join(root, "docs/ARCHITECTURE.md"), "utf8")

/** Backticked repository paths (`src/…`, `test/…`, …), placeholders such as `<Service>` aside. */
const namedPaths = [...doc.matchAll(/`((?:src|test|scripts|bench|docs|examples)\/[^`\s]*)`/g)]
  .map((m) => m[1]!)
  .filter((path) => !path.includes("<"))

/** `file` and `function` pairs: table rows, and "(`path`, `name`)" mentions. */
const pairs: Array<readonly [string, string]> = [
  ...[...doc.matchAll(/^\|\s*\d+\s*\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|/gm)].map(
    (m) => [m[1]!, m[2]!] as const
  ),
  ...[...doc.matchAll(/`((?:src|scripts)\/[^`]+\.ts)`, `([A-Za-z_][\w]*)`/g)].map(
    (m) => [m[1]!, m[2]!] as const
  )
]

/** Whether `name` is declared in `source` (a const, function, class, or a method/field of the service). */
const declares = (source: string, name: string): boolean =>
  new RegExp(
    `(?:const|function|class|let)\\s+${name}\\b|^\\s*(?:static\\s+)?${name}\\s*[(:=<]|\\b${name}:\\s`,
    "m"
  ).test(source)

describe("docs/ARCHITECTURE.md", () => {
  it("names only paths that exist", () => {
    assert.isAbove(namedPaths.length, 20)
    const missing = namedPaths.filter(
      (path) => !NodeFs.existsSync(NodePath.join(root, path.replace(/\/$/, "")))
    )
    assert.deepStrictEqual(missing, [])
  })

  it("names functions where they are defined", () => {
    assert.isAbove(pairs.length, 20)
    const wrong = pairs.filter(([file, name]) => {
      const path = NodePath.join(root, file)
      return !NodeFs.existsSync(path) || !declares(NodeFs.readFileSync(path, "utf8"), name)
    })
    assert.deepStrictEqual(wrong, [])
  })
})
