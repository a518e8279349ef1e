/**
 * CI guard: regenerates into a temporary directory and fails when `src/generated` differs
 * (a hand edit, or a generator change whose output was not committed).
 */
import { execFileSync } from "node:child_process"
import { type Dirent, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative } from "node:path"
import { repoRoot } from "./generator/write.js"

const fresh = mkdtempSync(join(tmpdir(), "flashduty-generated-"))
try {
  execFileSync(
    join(repoRoot, "node_modules/.bin/tsx"),
    [join(repoRoot, "scripts/generate.ts"), "--out", fresh],
    {
      stdio: "inherit"
    }
  )
  const committed = join(repoRoot, "src/generated")
  // Every file, subdirectories included (`services/`), by its path relative to the directory.
  const filesOf = (dir: string): ReadonlyArray<string> =>
    (readdirSync(dir, { recursive: true, withFileTypes: true }) as Array<Dirent>)
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
  const names = [...new Set([...filesOf(fresh), ...filesOf(committed)])].sort()
  const differing = names.filter((name) => {
    const read = (dir: string) => {
      try {
        return readFileSync(join(dir, name), "utf8")
      } catch {
        return undefined
      }
    }
    return read(fresh) !== read(committed)
  })
  if (differing.length > 0) {
    console.error(`src/generated is out of date (run npm run generate): ${differing.join(", ")}`)
    process.exitCode = 1
  } else console.log("src/generated is up to date")
} finally {
  rmSync(fresh, { recursive: true, force: true })
}
