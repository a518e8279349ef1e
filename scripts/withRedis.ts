/**
 * A real `redis-server` on loopback, for the suites that need one (`npm run test:redis`,
 * `npm run bench:shared`, `examples/redis/shared-limit-workers.ts`).
 *
 * As a command, it starts one on a free port, runs the rest of its arguments with
 * `REDIS_URL` (and `REDIS_SERVER`, the binary's path) set, stops the server and exits with the
 * command's status:
 *
 *   tsx scripts/withRedis.ts vitest run --config test/redis/vitest.config.ts
 *
 * When `redis-server` is missing it fails (exit 1, saying how to install it): it never skips.
 * As a module, `startRedisServer()` does the same for a test that must kill and restart its
 * own server. Each server keeps nothing on disk (`--save ""`, no AOF) and listens on
 * 127.0.0.1 only.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

export interface RedisServer {
  readonly url: string
  readonly port: number
  /** Kills the server at once (`SIGKILL`: no goodbye to the clients) and waits for it to exit. */
  readonly kill: () => Promise<void>
  /** Starts it again on the same port (after `kill`). */
  readonly restart: () => Promise<void>
  /** Stops it for good. */
  readonly stop: () => Promise<void>
}

/**
 * The `redis-server` binary: `$REDIS_SERVER` when set (and then only it), else the one on
 * `PATH`; an error saying how to install it.
 */
export const findRedisServer = (): string => {
  const chosen = process.env.REDIS_SERVER
  const candidates =
    chosen !== undefined && chosen !== ""
      ? [chosen]
      : ["redis-server", "/usr/bin/redis-server", "/usr/local/bin/redis-server"]
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ["--version"], { encoding: "utf8" })
    if (probe.status === 0 && /Redis server/i.test(probe.stdout)) return candidate
  }
  throw new Error(
    (chosen !== undefined && chosen !== ""
      ? `REDIS_SERVER=${chosen} is not a redis-server, and this suite needs a real one (it never skips).\n`
      : "redis-server is not installed, and this suite needs a real one (it never skips).\n") +
      "  Debian/Ubuntu: apt-get update && apt-get install -y redis-server\n" +
      "  macOS: brew install redis\n" +
      "  or set REDIS_SERVER to the binary's path."
  )
}

/** A free TCP port on 127.0.0.1 (the OS picks it). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject()))
    })
  })

/** Resolves once something accepts connections on `port` and answers `PING`, or rejects after `ms`. */
const waitForPing = (port: number, ms: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const deadline = Date.now() + ms
    const attempt = () => {
      const socket = net.connect(port, "127.0.0.1")
      let answered = ""
      const retry = () => {
        socket.destroy()
        if (Date.now() > deadline)
          reject(new Error(`redis-server did not answer on port ${port} within ${ms} ms`))
        else setTimeout(attempt, 25)
      }
      socket.once("connect", () => socket.write("PING\r\n"))
      socket.on("data", (chunk) => {
        answered += chunk.toString("utf8")
        if (answered.includes("+PONG")) {
          socket.destroy()
          resolve()
        } else if (answered.includes("-")) retry()
      })
      socket.once("error", retry)
    }
    attempt()
  })

/** Starts a `redis-server` on a free loopback port (or `port`), ready when this resolves. */
export const startRedisServer = async (options: { readonly port?: number } = {}): Promise<RedisServer> => {
  const binary = findRedisServer()
  const port = options.port ?? (await freePort())
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "effect-flashduty-redis-"))
  let child: ChildProcess | undefined
  let output = ""
  const launch = async () => {
    output = ""
    const started = spawn(
      binary,
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        dir,
        "--enable-debug-command",
        "local"
      ],
      { stdio: ["ignore", "pipe", "pipe"] }
    )
    started.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8")
    })
    started.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8")
    })
    child = started
    const exited = new Promise<never>((_, reject) =>
      started.once("exit", (code) =>
        reject(new Error(`redis-server exited (${code}) while starting:\n${output}`))
      )
    )
    await Promise.race([waitForPing(port, 10_000), exited])
  }
  const kill = async () => {
    const running = child
    child = undefined
    if (running === undefined || running.exitCode !== null) return
    await new Promise<void>((resolve) => {
      running.once("exit", () => resolve())
      running.kill("SIGKILL")
    })
  }
  const onExit = () => child?.kill("SIGKILL")
  process.once("exit", onExit)
  await launch()
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    restart: launch,
    stop: async () => {
      await kill()
      process.off("exit", onExit)
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** The command: a server around the rest of the arguments. */
const main = async (argv: ReadonlyArray<string>) => {
  const command = argv[0] === "--" ? argv.slice(1) : argv
  if (command.length === 0) {
    console.error("usage: tsx scripts/withRedis.ts <command> [args…]")
    return 2
  }
  let server: RedisServer
  try {
    server = await startRedisServer()
  } catch (error) {
    console.error(`withRedis: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  }
  console.log(`withRedis: redis-server on ${server.url}`)
  // Binaries of the project's dependencies (vitest, tsx) as npm scripts find them.
  const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../node_modules/.bin")
  const child = spawn(command[0]!, command.slice(1), {
    stdio: "inherit",
    env: {
      ...process.env,
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
      REDIS_URL: server.url,
      REDIS_SERVER: findRedisServer()
    }
  })
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal)
  process.on("SIGINT", forward("SIGINT"))
  process.on("SIGTERM", forward("SIGTERM"))
  const status = await new Promise<number>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? (signal === null ? 1 : 128)))
    child.once("error", (error) => {
      console.error(`withRedis: could not run ${command[0]}: ${error.message}`)
      resolve(1)
    })
  })
  await server.stop()
  return status
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main(process.argv.slice(2)).then((status) => process.exit(status))
}
