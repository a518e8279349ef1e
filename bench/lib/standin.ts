/**
 * The stand-in as a separate process (`effect-flashduty-standin`, built), so that the
 * server's CPU is not counted against the client being measured.
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as path from "node:path"
import { ensureBuiltPackage } from "./consumer.js"

export interface StandInProcess {
  readonly url: string
  readonly appKey: string
  readonly stop: () => void
}

/**
 * Starts the built stand-in on a free loopback port and waits for its "listening" line.
 *
 * @example
 * ```ts
 * const standIn = await startStandIn(["--incidents", "200"])
 * try { await fetch(`${standIn.url}/incident/list?app_key=${standIn.appKey}`, …) } finally { standIn.stop() }
 * ```
 */
export const startStandIn = (args: ReadonlyArray<string> = []): Promise<StandInProcess> =>
  spawnStandIn([path.join(ensureBuiltPackage(), "pkg/dist/testing/bin.js"), "--port", "0", ...args])

/**
 * The stand-in from the sources (`tsx src/testing/bin.ts`): no build step, for a bench that
 * measures the client against a stand-in of the working tree.
 */
export const startStandInFromSources = (args: ReadonlyArray<string> = []): Promise<StandInProcess> => {
  const repoRoot = path.resolve(import.meta.dirname, "../..")
  return spawnStandIn(
    ["--import", "tsx", path.join(repoRoot, "src/testing/bin.ts"), "--port", "0", ...args],
    repoRoot
  )
}

/** Runs `node <nodeArgs>` and waits for the stand-in's "listening" line. */
const spawnStandIn = async (nodeArgs: ReadonlyArray<string>, cwd?: string): Promise<StandInProcess> => {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs], {
    ...(cwd === undefined ? {} : { cwd }),
    stdio: ["ignore", "pipe", "inherit"]
  })
  const url = await new Promise<string>((resolve, reject) => {
    let seen = ""
    child.stdout?.on("data", (chunk: Buffer) => {
      seen += chunk.toString("utf8")
      const match = /listening on (http:\/\/\S+)/.exec(seen)
      if (match?.[1] !== undefined) resolve(match[1])
    })
    child.once("exit", (code) => reject(new Error(`stand-in exited (${code}) before listening: ${seen}`)))
  })
  process.once("exit", () => child.kill())
  return { url, appKey: "standin-app-key", stop: () => child.kill() }
}
