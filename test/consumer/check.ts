/**
 * The package as a user gets it: `npm run test:consumer` (CI runs it).
 *
 * 1. `npm pack` (its `prepack` builds `dist/`), then `publint` and `@arethetypeswrong/cli` over
 *    the tarball: an entry or subpath whose files or types do not resolve under `node16`,
 *    `nodenext` or `bundler` resolution fails here.
 * 2. A fresh project installs the tarball (and `effect`, `typescript`, `@types/node` at the
 *    versions this repository locks) and compiles `src/app.ts` plus every README snippet
 *    (`readmeSnippets.ts`) with `skipLibCheck` off, twice: `exactOptionalPropertyTypes` on with
 *    Node's resolution (`tsconfig.json`), off with a bundler's (`tsconfig.loose.json`).
 * 3. The installed stand-in (`effect-flashduty-standin`) starts; the app and the README's quick
 *    start, unchanged, run against it through `FLASHDUTY_APP_KEY` and `FLASHDUTY_BASE_URL`.
 *
 * Everything happens in a temporary directory, removed at the end; a failure names the step.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { snippetsOf } from "./readmeSnippets.js"

const here = fileURLToPath(new URL(".", import.meta.url))
const repo = resolve(here, "../..")
const work = mkdtempSync(join(tmpdir(), "effect-flashduty-consumer-"))
const bin = (name: string) => join(repo, "node_modules/.bin", name)

const step = (what: string, command: string, args: ReadonlyArray<string>, cwd: string): string => {
  console.log(`consumer: ${what}`)
  try {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string }
    throw new Error(`consumer: ${what} failed\n${e.stdout ?? ""}${e.stderr ?? ""}`)
  }
}

/** The version of `name` this repository has installed (so the consumer gets the same). */
const lockedVersion = (name: string): string =>
  (JSON.parse(readFileSync(join(repo, "node_modules", name, "package.json"), "utf8")) as { version: string })
    .version

/** Starts the installed stand-in and resolves with its URL once it listens. */
const startStandIn = (cwd: string): Promise<{ readonly url: string; readonly child: ChildProcess }> =>
  new Promise((resolveUrl, reject) => {
    const child = spawn(join(cwd, "node_modules/.bin/effect-flashduty-standin"), ["--port", "0"], {
      cwd,
      stdio: ["ignore", "pipe", "inherit"]
    })
    let out = ""
    const timer = setTimeout(() => reject(new Error(`the stand-in did not start: ${out}`)), 30_000)
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8")
      const match = /listening on (http:\/\/\S+?)(?:\s|$)/.exec(out)
      if (match !== null) {
        clearTimeout(timer)
        resolveUrl({ url: match[1]!, child })
      }
    })
    child.on("exit", (code) => reject(new Error(`the stand-in exited (${code}): ${out}`)))
  })

const run = async () => {
  // 1. The tarball and its checks.
  const packed = JSON.parse(
    step("npm pack (builds dist/)", "npm", ["pack", "--json", "--pack-destination", work], repo)
  ) as ReadonlyArray<{ filename: string }>
  const tarball = join(work, packed[0]!.filename)
  const extracted = join(work, "extracted")
  mkdirSync(extracted)
  step("extract the tarball", "tar", ["-xzf", tarball, "-C", extracted], work)
  // README links work from the installed package: each relative one names a shipped file.
  const readme = readFileSync(join(extracted, "package/README.md"), "utf8")
  const broken = [...readme.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/.test(target) && !existsSync(join(extracted, "package", target)))
  if (broken.length > 0)
    throw new Error(`consumer: README links to files the package lacks: ${broken.join(", ")}`)
  step("publint", bin("publint"), ["run", join(extracted, "package"), "--strict", "--pack", "false"], repo)
  step(
    "@arethetypeswrong/cli (ESM only: node16, bundler)",
    bin("attw"),
    [tarball, "--profile", "esm-only"],
    repo
  )

  // 2. A fresh project.
  const app = join(work, "app")
  mkdirSync(join(app, "src"), { recursive: true })
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2)
  )
  step(
    "npm install the tarball",
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      tarball,
      `effect@${lockedVersion("effect")}`,
      `typescript@${lockedVersion("typescript")}`,
      `@types/node@${lockedVersion("@types/node")}`
    ],
    app
  )
  cpSync(join(here, "src"), join(app, "src"), { recursive: true })
  for (const config of ["tsconfig.json", "tsconfig.loose.json"]) cpSync(join(here, config), join(app, config))
  const snippets = snippetsOf(readFileSync(join(repo, "README.md"), "utf8"))
  if (snippets.length === 0) throw new Error("consumer: no README snippet found")
  for (const s of snippets) writeFileSync(join(app, "src", s.file), s.source)
  const tsc = join(app, "node_modules/.bin/tsc")
  step("tsc: exactOptionalPropertyTypes on, NodeNext, skipLibCheck off", tsc, ["-p", "tsconfig.json"], app)
  step(
    "tsc: exactOptionalPropertyTypes off, Bundler, skipLibCheck off",
    tsc,
    ["-p", "tsconfig.loose.json"],
    app
  )

  // 3. Against the installed stand-in.
  const standIn = await startStandIn(app)
  try {
    const env = { ...process.env, FLASHDUTY_APP_KEY: "standin-app-key", FLASHDUTY_BASE_URL: standIn.url }
    for (const [what, file, expected] of [
      ["the consumer app", "dist/app.js", /^consumer: \d+ incidents listed/m],
      ["the README's quick start", `dist/${snippets[0]!.file.replace(/\.ts$/, ".js")}`, /^\[\w+\] /m]
    ] as const) {
      console.log(`consumer: run ${what} against the stand-in`)
      const out = await new Promise<string>((done, fail) => {
        const child = spawn(process.execPath, [file], { cwd: app, env, stdio: ["ignore", "pipe", "pipe"] })
        let text = ""
        child.stdout.on("data", (c: Buffer) => (text += c.toString("utf8")))
        child.stderr.on("data", (c: Buffer) => (text += c.toString("utf8")))
        child.on("exit", (code) =>
          code === 0 ? done(text) : fail(new Error(`${what} exited ${code}:\n${text}`))
        )
      })
      if (!expected.test(out)) throw new Error(`${what} printed something else:\n${out}`)
      process.stdout.write(
        out
          .split("\n")
          .slice(0, 3)
          .map((l) => `  ${l}\n`)
          .join("")
      )
    }
  } finally {
    standIn.child.kill()
  }
}

run().then(
  () => {
    rmSync(work, { recursive: true, force: true })
    console.log("consumer: ok")
  },
  (error: unknown) => {
    rmSync(work, { recursive: true, force: true })
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  }
)
