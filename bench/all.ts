/**
 * `npm run bench`: every figure, one after the other, each in its own Node process (so
 * one figure's JIT state, heap or loaded modules cannot colour the next), printed as the
 * Markdown sections that `bench/RESULTS.md` records. Regenerates the comparison client's
 * types first. Nothing here fails on speed: the verdicts are reported, not enforced.
 * `bench:shared` is not among them: it needs a `redis-server` (`npm run bench:shared`).
 */
import { execFileSync } from "node:child_process"
import * as path from "node:path"

const scripts = [
  "comparison/generate.ts",
  "call-overhead.ts",
  "decode.ts",
  "export-stream.ts",
  "compressed-bomb.ts",
  "bundle-size.ts",
  "startup.ts",
  "typecheck.ts",
  "walk.ts"
]
for (const script of scripts) {
  execFileSync(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, script)], {
    stdio: "inherit"
  })
}
