/**
 * The package in real runtimes: `npm run test:runtimes` (CI runs it).
 *
 * 1. The runtimes, each from its npm package at a pinned version, in `.runtimes/` (ignored by
 *    git; never devDependencies, so npm scripts keep the machine's Node): Node 24 (the `node`
 *    package's platform binary), Bun, Deno and Cloudflare's `workerd`. A folder whose binaries
 *    answer the pinned versions is reused; otherwise `npm install --prefix .runtimes` fills it
 *    (from a `package.json` this script writes there). A runtime still missing then fails the
 *    suite: it is never skipped.
 * 2. The package as a user gets it: `npm pack` (its `prepack` builds `dist/`), installed in a
 *    fresh project with the `effect` this repository has. `program/main.ts` is transpiled there
 *    to `main.mjs` (imports left to each runtime's resolution of `node_modules`); the two
 *    workers are bundled by esbuild as a worker bundler does (conditions `workerd`, `worker`,
 *    `browser`; a `node:` import is an error): `program/worker.ts` (the main entry only, over
 *    `fetch`) and `program/workerInMemory.ts` (`effect-flashduty/testing`'s in-memory stand-in).
 * 3. The installed stand-in (`effect-flashduty-standin --port 0`) runs under this Node (20).
 *    Node 20, Node 24, Bun and Deno run `main.mjs`: every check over the loopback stand-in
 *    (`Flashduty.layerConfig()` + `FetchHttpClient.layer`) and over the in-memory one
 *    (`FlashdutyTest.layer`), the file helpers included. `workerd test` runs both workers'
 *    `test` handlers (the loopback one may reach only loopback, the in-memory one no network).
 *    One line per check, naming the runtime and the target (`loopback` or `in-memory`).
 *
 * Every expected check of every runtime must report ok; anything else (a failure, a check that
 * never reported, a runtime that is missing or crashed) fails the run with a line naming the
 * runtime and the check. Ends with `runtimes: N passed, N failed`.
 *
 * `RUNTIMES_KEEP=1` keeps the temporary project (its path is printed).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { build, type Plugin } from "esbuild"

const here = fileURLToPath(new URL(".", import.meta.url))
const repo = resolve(here, "../..")
const runtimesDir = join(repo, ".runtimes")
const started = Date.now()
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`
const log = (line: string) => console.log(`runtimes: ${line}`)

/** The runtimes' npm packages, pinned: the same binaries on every run. */
const pinned = {
  node: "24.21.0",
  bun: "1.4.5",
  deno: "2.9.6",
  workerd: "1.20261123.1"
} as const

/** workerd prints the date of its version (`1.20261123.1` is `workerd 2026-11-23`). */
const workerdDate = pinned.workerd.replace(/^1\.(\d{4})(\d{2})(\d{2})\.\d+$/, "$1-$2-$3")

/** Each binary, and what its `--version` must print. */
const binaries = {
  node: { bin: join(runtimesDir, "node_modules/node/bin/node"), version: `v${pinned.node}` },
  bun: { bin: join(runtimesDir, "node_modules/.bin/bun"), version: pinned.bun },
  deno: { bin: join(runtimesDir, "node_modules/.bin/deno"), version: `deno ${pinned.deno} ` },
  workerd: { bin: join(runtimesDir, "node_modules/.bin/workerd"), version: `workerd ${workerdDate}` }
} as const

const installedVersion = (name: string): string | undefined => {
  const path = join(runtimesDir, "node_modules", name, "package.json")
  if (!existsSync(path)) return undefined
  return (JSON.parse(readFileSync(path, "utf8")) as { version?: string }).version
}

class SuiteError extends Error {}

const exec = (what: string, command: string, args: ReadonlyArray<string>, cwd: string): string => {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024
    })
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message?: string }
    throw new SuiteError(`${what} failed\n${e.stdout ?? ""}${e.stderr ?? e.message ?? ""}`)
  }
}

/** What is wrong with the runtimes in `.runtimes/`: a version that is not the pinned one, a binary that does not run. */
const runtimeProblems = (): ReadonlyArray<string> => {
  const problems: Array<string> = []
  for (const [name, { bin, version }] of Object.entries(binaries)) {
    const installed = installedVersion(name)
    if (installed !== pinned[name as keyof typeof pinned]) {
      problems.push(`${name}: ${installed === undefined ? "not installed" : `${installed} installed`}`)
      continue
    }
    let printed: string
    try {
      printed = execFileSync(bin, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
    } catch (error) {
      problems.push(`${name}: ${bin} does not run (${(error as Error).message.split("\n")[0]})`)
      continue
    }
    if (!printed.startsWith(version))
      problems.push(`${name}: ${bin} --version printed "${printed.trim()}", not "${version.trim()}"`)
  }
  return problems
}

/**
 * 1. The pinned runtimes in `.runtimes/`, reused when they answer their versions, else installed:
 * a `package.json` of their own (exact versions; `allowScripts` for the install scripts that
 * fetch each platform binary, which npm otherwise may skip) and `npm install --prefix .runtimes`.
 */
const ensureRuntimes = (): void => {
  const before = runtimeProblems()
  if (before.length === 0) {
    log("runtimes in .runtimes/ are the pinned versions (reused)")
    return
  }
  log(`installing the runtimes into .runtimes/ (${before.join("; ")})`)
  mkdirSync(runtimesDir, { recursive: true })
  writeFileSync(
    join(runtimesDir, "package.json"),
    `${JSON.stringify(
      {
        name: "effect-flashduty-runtimes",
        private: true,
        description: "Written by test/runtimes/run.ts: the runtimes of npm run test:runtimes",
        dependencies: pinned,
        allowScripts: Object.fromEntries(Object.keys(pinned).map((name) => [name, true]))
      },
      null,
      2
    )}\n`
  )
  exec(
    "npm install of the runtimes",
    "npm",
    ["install", "--prefix", runtimesDir, "--no-audit", "--no-fund"],
    repo
  )
  const after = runtimeProblems()
  if (after.length > 0) throw new SuiteError(`runtime missing after npm install:\n  ${after.join("\n  ")}`)
  log(
    `installed ${Object.entries(pinned)
      .map(([name, version]) => `${name}@${version}`)
      .join(", ")} (${elapsed()})`
  )
}

/** The version of `name` this repository has installed (so the fresh project gets the same). */
const lockedVersion = (name: string): string =>
  (JSON.parse(readFileSync(join(repo, "node_modules", name, "package.json"), "utf8")) as { version: string })
    .version

/**
 * Resolves `node:*` imports as a worker bundler without `nodejs_compat` would: an error, except
 * from the package's files under one of `allowed` (then left external and recorded in `seen`).
 */
const nodeBuiltins = (app: string, allowed: ReadonlyArray<string>, seen: Set<string>): Plugin => ({
  name: "node-builtins",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => {
      const importer = relative(join(app, "node_modules"), args.importer)
      if (allowed.some((prefix) => importer.startsWith(prefix))) {
        seen.add(`${args.path} from ${importer}`)
        return { path: args.path, external: true }
      }
      return { errors: [{ text: `${importer} imports ${args.path}, which a worker does not have` }] }
    })
  }
})

/** 2. The packed package in a fresh project, with the programs built there. */
const prepareProject = async (work: string): Promise<string> => {
  const packed = JSON.parse(
    exec("npm pack (builds dist/)", "npm", ["pack", "--json", "--pack-destination", work], repo)
  ) as ReadonlyArray<{ filename: string }>
  const tarball = join(work, packed[0]!.filename)
  log(`packed ${packed[0]!.filename} (${elapsed()})`)
  const app = join(work, "app")
  mkdirSync(app)
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "runtimes", private: true, type: "module" })
  )
  exec(
    "npm install of the tarball",
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, `effect@${lockedVersion("effect")}`],
    app
  )
  log(`installed the tarball and effect@${lockedVersion("effect")} in a fresh project (${elapsed()})`)
  cpSync(join(here, "program"), join(app, "src"), { recursive: true })
  const common = {
    absWorkingDir: app,
    bundle: true,
    format: "esm",
    target: "es2022",
    logLevel: "silent"
  } as const
  try {
    // Node, Bun and Deno: one file, the package and effect imported from node_modules.
    await build({
      ...common,
      entryPoints: [join(app, "src/main.ts")],
      outfile: join(app, "main.mjs"),
      platform: "node",
      packages: "external"
    })
  } catch (error) {
    throw new SuiteError(`esbuild of main.mjs failed: ${(error as Error).message}`)
  }
  // workerd: each worker in one module, resolved as a worker bundler resolves it.
  const workerNotes: Array<string> = []
  for (const [entry, allowed] of [
    // The main entry, then the testing entry (whose loopback servers load node:http only when
    // started): no node: import at all, nothing left external.
    ["worker", []],
    ["workerInMemory", []]
  ] as const) {
    const leftExternal = new Set<string>()
    try {
      await build({
        ...common,
        entryPoints: [join(app, `src/${entry}.ts`)],
        outfile: join(app, `${entry}.mjs`),
        platform: "neutral",
        conditions: ["workerd", "worker", "browser"],
        mainFields: ["browser", "module", "main"],
        plugins: [nodeBuiltins(app, allowed, leftExternal)]
      })
    } catch (error) {
      throw new SuiteError(`workerd: esbuild of ${entry}.mjs failed: ${(error as Error).message}`)
    }
    const bundle = readFileSync(join(app, `${entry}.mjs`), "utf8")
    const nodeImports = [
      ...bundle.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["'](node:[^"']+)["']/g)
    ].map((m) => m[1])
    if (nodeImports.length > 0)
      throw new SuiteError(`workerd: ${entry}.mjs imports ${[...new Set(nodeImports)].join(", ")}`)
    workerNotes.push(
      `${entry}.mjs ${(bundle.length / 1024).toFixed(0)} KiB, no node: import` +
        (leftExternal.size > 0 ? ` (left external, then tree-shaken: ${[...leftExternal].join(", ")})` : "")
    )
  }
  log(`built main.mjs; ${workerNotes.join("; ")} (${elapsed()})`)
  return app
}

/** 3. The installed stand-in, under this Node; resolves with its URL once it listens. */
const startStandIn = (app: string): Promise<{ readonly url: string; readonly child: ChildProcess }> =>
  new Promise((resolveUrl, reject) => {
    const child = spawn(
      process.execPath,
      [join(app, "node_modules/effect-flashduty/bin/effect-flashduty-standin.js"), "--port", "0"],
      {
        cwd: app,
        stdio: ["ignore", "pipe", "inherit"]
      }
    )
    let out = ""
    const timer = setTimeout(() => reject(new SuiteError(`the stand-in did not start: ${out}`)), 30_000)
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8")
      const match = /effect-flashduty-standin listening on (http:\/\/\S+?)(?:\s|$)/.exec(out)
      if (match !== null) {
        clearTimeout(timer)
        resolveUrl({ url: match[1]!, child })
      }
    })
    child.on("exit", (code) => reject(new SuiteError(`the stand-in exited (${code}): ${out}`)))
  })

interface Runtime {
  readonly name: string
  readonly command: string
  readonly args: ReadonlyArray<string>
  /** The checks it must report, per target. */
  readonly checks: ReadonlyArray<string>
}

const coreChecks = ["quick start", "pagination stream", "typed error", "session export stream"]
const withFiles = [...coreChecks, "exportToFile", "UploadFile.fromPath"]
const targets = ["loopback", "in-memory"]

const runtimesFor = (app: string, standInUrl: string): ReadonlyArray<Runtime> => {
  writeFileSync(
    join(app, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "loopback", worker = .loopbackWorker),
    (name = "inMemory", worker = .inMemoryWorker),
    # The default outbound reaches only public addresses: this one reaches loopback (the stand-in).
    (name = "local-network", network = (allow = ["local"])),
    # The in-memory worker gets no network at all.
    (name = "no-network", network = (allow = []))
  ]
);

const loopbackWorker :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed "worker.mjs")],
  compatibilityDate = "${workerdDate}",
  bindings = [
    (name = "FLASHDUTY_BASE_URL", text = "${standInUrl}"),
    (name = "FLASHDUTY_APP_KEY", text = "standin-app-key")
  ],
  globalOutbound = "local-network"
);

const inMemoryWorker :Workerd.Worker = (
  modules = [(name = "workerInMemory.mjs", esModule = embed "workerInMemory.mjs")],
  compatibilityDate = "${workerdDate}",
  globalOutbound = "no-network"
);
`
  )
  return [
    { name: "node 20", command: process.execPath, args: ["main.mjs"], checks: withFiles },
    { name: `node ${pinned.node}`, command: binaries.node.bin, args: ["main.mjs"], checks: withFiles },
    { name: `bun ${pinned.bun}`, command: binaries.bun.bin, args: ["main.mjs"], checks: withFiles },
    {
      name: `deno ${pinned.deno}`,
      command: binaries.deno.bin,
      args: [
        "run",
        "--no-lock",
        "--allow-net=127.0.0.1",
        "--allow-env",
        "--allow-read",
        "--allow-write",
        "main.mjs"
      ],
      checks: withFiles
    },
    {
      name: `workerd ${workerdDate}`,
      command: binaries.workerd.bin,
      args: ["test", "config.capnp"],
      checks: coreChecks
    }
  ]
}

interface Reported {
  readonly target: string
  readonly check: string
  readonly ok: boolean
  readonly detail: string
}

interface Outcome {
  readonly runtime: string
  readonly passed: ReadonlyArray<Reported>
  readonly failed: ReadonlyArray<Reported>
}

/** Runs one runtime's program; every expected check must report ok, and the process exit 0. */
const runRuntime = (runtime: Runtime, app: string, standInUrl: string): Promise<Outcome> =>
  new Promise((done) => {
    const t0 = Date.now()
    const child = spawn(runtime.command, runtime.args, {
      cwd: app,
      env: {
        ...process.env,
        FLASHDUTY_APP_KEY: "standin-app-key",
        FLASHDUTY_BASE_URL: standInUrl,
        DENO_NO_UPDATE_CHECK: "1",
        NO_COLOR: "1"
      },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let out = ""
    child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")))
    child.stderr.on("data", (c: Buffer) => (out += c.toString("utf8")))
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000)
    let finished = false
    const finish = (code: number | null, signal: string | null, spawnError?: Error) => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      const reported = new Map<string, Reported>()
      for (const line of out.split("\n")) {
        const at = line.indexOf("RUNTIME-CHECK ")
        if (at < 0) continue
        try {
          const r = JSON.parse(line.slice(at + "RUNTIME-CHECK ".length)) as Reported
          reported.set(`${r.target}/${r.check}`, r)
        } catch {
          // A line cut by a crash: the check counts as not reported.
        }
      }
      const passed: Array<Reported> = []
      const failed: Array<Reported> = []
      const seconds = ((Date.now() - t0) / 1000).toFixed(1)
      for (const target of targets) {
        for (const check of runtime.checks) {
          const r = reported.get(`${target}/${check}`)
          const result = r ?? { target, check, ok: false, detail: "never reported" }
          ;(result.ok ? passed : failed).push(result)
          log(`${runtime.name} [${target}] ${check}: ${result.ok ? "ok" : "FAILED"} (${result.detail})`)
        }
      }
      const exitProblem =
        spawnError !== undefined
          ? `could not start: ${spawnError.message}`
          : code !== 0
            ? `exited with ${code ?? `${signal}${signal === "SIGKILL" ? " (killed after 90 s)" : ""}`}`
            : undefined
      if (exitProblem !== undefined) {
        failed.push({ target: "process", check: "exit", ok: false, detail: exitProblem })
        log(`${runtime.name}: ${exitProblem}; its output:\n${out.trim().replace(/^/gm, "    ")}`)
      } else if (failed.length > 0) {
        log(`${runtime.name}: its output:\n${out.trim().replace(/^/gm, "    ")}`)
      }
      log(`${runtime.name}: ${seconds}s`)
      done({ runtime: runtime.name, passed, failed })
    }
    child.on("error", (error) => finish(null, null, error))
    // "close", not "exit": every line it printed has been read.
    child.on("close", (code, signal) => finish(code, signal))
  })

const main = async (): Promise<boolean> => {
  ensureRuntimes()
  const work = mkdtempSync(join(tmpdir(), "effect-flashduty-runtimes-"))
  let standIn: { readonly url: string; readonly child: ChildProcess } | undefined
  try {
    const app = await prepareProject(work)
    standIn = await startStandIn(app)
    log(`stand-in (node ${process.version}) listening on ${standIn.url}`)
    const outcomes: Array<Outcome> = []
    for (const runtime of runtimesFor(app, standIn.url))
      outcomes.push(await runRuntime(runtime, app, standIn.url))
    const passed = outcomes.reduce((n, o) => n + o.passed.length, 0)
    const failed = outcomes.flatMap((o) =>
      o.failed.map((f) => `${o.runtime} [${f.target}] ${f.check}: ${f.detail}`)
    )
    if (failed.length > 0) console.error(`runtimes: FAILED\n  ${failed.join("\n  ")}`)
    log(`done in ${elapsed()}`)
    console.log(`runtimes: ${passed} passed, ${failed.length} failed`)
    return failed.length === 0
  } finally {
    standIn?.child.kill()
    if (process.env.RUNTIMES_KEEP === "1") log(`kept ${work}`)
    else rmSync(work, { recursive: true, force: true })
  }
}

main().then(
  (ok) => {
    process.exitCode = ok ? 0 : 1
  },
  (error: unknown) => {
    console.error(
      `runtimes: ${error instanceof SuiteError ? error.message : error instanceof Error ? error.stack : error}`
    )
    console.log("runtimes: 0 passed, 1 failed")
    process.exitCode = 1
  }
)
