/**
 * Writing the output: every file into the output directory, then Biome formats it (so the
 * result is readable and, being a pure function of its input, byte-identical across runs).
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..")

export const writeModules = (
  outDir: string,
  files: ReadonlyArray<{ file: string; content: string }>
): void => {
  mkdirSync(outDir, { recursive: true })
  // Stale files of removed services must not survive a regeneration.
  for (const f of readdirSync(outDir)) rmSync(join(outDir, f), { recursive: true, force: true })
  for (const { file, content } of files) {
    mkdirSync(dirname(join(outDir, file)), { recursive: true })
    writeFileSync(join(outDir, file), content)
  }
  execFileSync(
    join(repoRoot, "node_modules/.bin/biome"),
    ["check", "--write", `--config-path=${join(repoRoot, "biome.json")}`, "--vcs-enabled=false", outDir],
    { cwd: repoRoot, stdio: ["ignore", "ignore", "ignore"] }
  )
}
