/**
 * CI guard: regenerates into a temporary directory and fails when `src/generated` differs
 * (a hand edit, or a generator change whose output was not committed).
 */
import { execFileSync } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
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
  const names = [...new Set([...readdirSync(fresh), ...readdirSync(committed)])].sort()
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
