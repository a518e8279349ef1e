/**
 * The SDK as a user gets it: `tsc -p tsconfig.build.json` into `bench/.out/pkg/dist`, with
 * the package's own `package.json` exports, installed (symlinked) as
 * `bench/.out/node_modules/effect-flashduty`. Consumer apps for the bundle, startup and
 * type-checking figures live under `bench/.out/<figure>/` and resolve the package from
 * there, never from `src/` (the repository's tsconfig maps the name to the sources for
 * the examples; `bench/.out` has its own `package.json` and `tsconfig.json` to stay out
 * of that).
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"

export const repoRoot = path.resolve(import.meta.dirname, "../..")
export const outDir = path.join(repoRoot, "bench/.out")
const pkgDir = path.join(outDir, "pkg")
const stamp = path.join(pkgDir, ".built-from")

/** The newest modification time under `dir` (recursively). */
const newestMtime = (dir: string): number =>
  fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .reduce(
      (newest, entry) => Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs),
      0
    )

const writeJson = (file: string, value: unknown) => {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`)
}

/**
 * Builds the package (when `src/` changed since the last build) and installs it for the
 * consumers; returns `bench/.out`.
 *
 * @example
 * ```ts
 * const out = ensureBuiltPackage()
 * fs.writeFileSync(path.join(out, "startup/sdk.mjs"), `import "effect-flashduty"\n`)
 * ```
 */
export const ensureBuiltPackage = (): string => {
  const sourceTime = newestMtime(path.join(repoRoot, "src"))
  const builtTime = fs.existsSync(stamp) ? Number(fs.readFileSync(stamp, "utf8")) : -1
  if (builtTime < sourceTime) {
    fs.rmSync(path.join(pkgDir, "dist"), { recursive: true, force: true })
    execFileSync(
      process.execPath,
      [
        path.join(repoRoot, "node_modules/typescript/bin/tsc"),
        "-p",
        "tsconfig.build.json",
        "--outDir",
        path.join(pkgDir, "dist")
      ],
      { cwd: repoRoot, stdio: "inherit" }
    )
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"))
    writeJson(path.join(pkgDir, "package.json"), {
      name: pkg.name,
      version: pkg.version,
      type: pkg.type,
      sideEffects: pkg.sideEffects,
      main: pkg.main,
      types: pkg.types,
      exports: pkg.exports,
      peerDependencies: pkg.peerDependencies
    })
    fs.writeFileSync(stamp, String(sourceTime))
  }
  // A package boundary, so that "effect-flashduty" is not resolved as the repository itself.
  writeJson(path.join(outDir, "package.json"), {
    name: "effect-flashduty-bench-consumers",
    private: true,
    type: "module"
  })
  // Plain compiler options without the repository's `paths` (esbuild reads the nearest tsconfig).
  writeJson(path.join(outDir, "tsconfig.json"), { compilerOptions: consumerCompilerOptions })
  const link = path.join(outDir, "node_modules/effect-flashduty")
  if (!fs.existsSync(link)) {
    fs.mkdirSync(path.dirname(link), { recursive: true })
    fs.symlinkSync("../pkg", link, "dir")
  }
  return outDir
}

/** What a strict user project compiles with (the SDK's own settings, minus its `paths`). */
export const consumerCompilerOptions = {
  target: "ES2022",
  lib: ["ES2022", "DOM"],
  module: "NodeNext",
  moduleResolution: "NodeNext",
  strict: true,
  exactOptionalPropertyTypes: true,
  skipLibCheck: true,
  noEmit: true,
  types: []
}

/** Writes `files` (name → source) into `bench/.out/<folder>/` and returns that folder. */
export const writeConsumer = (folder: string, files: Record<string, string>): string => {
  const dir = path.join(outDir, folder)
  fs.mkdirSync(dir, { recursive: true })
  for (const [name, source] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), source)
  return dir
}

/**
 * Compiles a bench script to plain JavaScript in `bench/.out/<folder>/`, with its imports of
 * `../src/index.js` pointed at the built package and every package left external, so that
 * it runs under plain `node` (no tsx in memory or CPU figures) against what users get.
 *
 * @example
 * ```ts
 * const child = await compileAgainstPackage("bench/export-child.ts", "export")
 * execFileSync(process.execPath, [child, "--help"])
 * ```
 */
export const compileAgainstPackage = async (entry: string, folder: string): Promise<string> => {
  ensureBuiltPackage()
  const esbuild = await import("esbuild")
  const outfile = path.join(outDir, folder, `${path.basename(entry, ".ts")}.mjs`)
  await esbuild.build({
    entryPoints: [path.resolve(repoRoot, entry)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    logLevel: "warning",
    plugins: [
      {
        name: "sdk-from-package",
        setup: (build) => {
          build.onResolve({ filter: /\/src\/index\.js$/ }, () => ({
            path: "effect-flashduty",
            external: true
          }))
        }
      }
    ]
  })
  return outfile
}
