/**
 * Runs worker processes (`worker.ts`, each a separate OS process with its own client) and
 * starts them together: each builds its client and says `READY`; once all have, every one is
 * told "go" at the same moment. Collects each one's result and log lines.
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as readline from "node:readline"
import { fileURLToPath } from "node:url"
import type { WorkerConfig, WorkerResult } from "./worker.js"

export interface WorkerRun {
  readonly id: string
  readonly result: WorkerResult | undefined
  readonly logs: ReadonlyArray<string>
  readonly output: string
  readonly status: number | null
}

export interface Fleet {
  /** Epoch milliseconds when "go" was sent. */
  readonly startedAt: number
  /** Resolves when every worker has exited. */
  readonly done: Promise<ReadonlyArray<WorkerRun>>
}

const workerPath = fileURLToPath(new URL("./worker.ts", import.meta.url))

/** Spawns one process per config, waits until all are ready, and says "go". */
export const startFleet = async (
  configs: ReadonlyArray<WorkerConfig>,
  options: { readonly timeoutMillis?: number } = {}
): Promise<Fleet> => {
  const children: Array<ChildProcess> = []
  const runs = configs.map((config) => {
    // The workers run at a lower priority (nice 10) than the server that counts their requests
    // and Redis: on a small machine, 4 busy workers would otherwise starve the server, which
    // would then stamp a burst of arrivals tens of milliseconds late, all at once.
    const child = spawn(
      "nice",
      ["-n", "10", process.execPath, "--import", "tsx", workerPath, JSON.stringify(config)],
      {
        stdio: ["pipe", "pipe", "pipe"],
        cwd: fileURLToPath(new URL("../../..", import.meta.url))
      }
    )
    children.push(child)
    let output = ""
    const logs: Array<string> = []
    let result: WorkerResult | undefined
    let markReady: () => void = () => {}
    const ready = new Promise<void>((resolve) => {
      markReady = resolve
    })
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8")
    })
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      output += `${line}\n`
      if (line === "READY") markReady()
      else if (line.startsWith("LOG ")) logs.push(line.slice(4))
      else if (line.startsWith("RESULT ")) result = JSON.parse(line.slice(7)) as WorkerResult
    })
    const exited = new Promise<WorkerRun>((resolve) =>
      child.once("exit", (status) => resolve({ id: config.id, result, logs, output, status }))
    )
    // Exit before READY: fail the start with what the worker said.
    const failedEarly = exited.then((run) => {
      throw new Error(`worker ${config.id} exited (${run.status}) before it was ready:\n${run.output}`)
    })
    return { child, ready: Promise.race([ready, failedEarly]), exited }
  })
  const timeoutMillis = options.timeoutMillis ?? 60_000
  const timer = setTimeout(() => {
    for (const child of children) child.kill("SIGKILL")
  }, timeoutMillis)
  try {
    await Promise.all(runs.map((run) => run.ready))
  } catch (error) {
    for (const child of children) child.kill("SIGKILL")
    clearTimeout(timer)
    throw error
  }
  const startedAt = performance.timeOrigin + performance.now()
  for (const run of runs) run.child.stdin?.write("go\n")
  const done = Promise.all(runs.map((run) => run.exited)).finally(() => clearTimeout(timer))
  return { startedAt, done }
}
