/**
 * A stand-in for the API's rate limit: a loopback HTTP server that answers every request
 * with a Flashduty envelope, enforces `limit` requests in any rolling second (and `perMinute`
 * in any rolling minute, when given: sliding windows over the requests it accepted; one more
 * is answered `429` with `RequestTooFrequently` and a `Retry-After` of the seconds until it
 * would fit), and records every arrival with the worker that sent it (`x-worker` header). `/warmup` is answered and neither counted nor recorded.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"

export interface Arrival {
  /** Arrival time, epoch milliseconds with sub-millisecond precision. */
  readonly at: number
  readonly worker: string
  readonly status: 200 | 429
  /** How long after it was handed to the worker's HTTP client it arrived (ms; `x-sent` header). */
  readonly delay: number
}

export interface CountingServer {
  readonly url: string
  readonly arrivals: Array<Arrival>
  readonly stop: () => Promise<void>
}

const now = () => performance.timeOrigin + performance.now()

export interface CountingOptions {
  /** Requests per second. */
  readonly limit: number
  /** Requests per minute, when limited too. */
  readonly perMinute?: number
  /** Answer `GET /__arrivals` with the arrivals so far, and forget them. */
  readonly control?: boolean
}

export const startCountingServer = async (options: CountingOptions): Promise<CountingServer> => {
  // Each window: its limit, its length, and the acceptance times still within it, oldest first.
  const windows = [
    { limit: options.limit, millis: 1000, accepted: [] as Array<number> },
    ...(options.perMinute === undefined
      ? []
      : [{ limit: options.perMinute, millis: 60_000, accepted: [] as Array<number> }])
  ]
  const arrivals: Array<Arrival> = []
  let sequence = 0
  const server = http.createServer((request, response) => {
    const at = now()
    if (options.control === true && request.url === "/__arrivals") {
      const body = JSON.stringify(arrivals.splice(0))
      response.writeHead(200, { "content-type": "application/json" })
      response.end(body)
      return
    }
    if (request.url?.startsWith("/warmup")) {
      request.resume()
      request.on("end", () => response.end(JSON.stringify({ request_id: "warmup", data: {} })))
      return
    }
    const worker = String(request.headers["x-worker"] ?? "?")
    // Decide on arrival, before reading the body: the API counts requests, not bodies.
    let retryAfterMillis = 0
    for (const window of windows) {
      while (window.accepted.length > 0 && window.accepted[0]! + window.millis <= at) window.accepted.shift()
      if (window.accepted.length >= window.limit) {
        const wait = window.accepted[window.accepted.length - window.limit]! + window.millis - at
        retryAfterMillis = Math.max(retryAfterMillis, wait)
      }
    }
    const ok = retryAfterMillis === 0
    if (ok) for (const window of windows) window.accepted.push(at)
    arrivals.push({ at, worker, status: ok ? 200 : 429, delay: at - Number(request.headers["x-sent"] ?? at) })
    const requestId = `req-${++sequence}`
    request.resume()
    request.on("end", () => {
      const body = ok
        ? JSON.stringify({ request_id: requestId, data: { ok: true } })
        : JSON.stringify({
            request_id: requestId,
            error: { code: "RequestTooFrequently", message: "too many requests" }
          })
      response.writeHead(ok ? 200 : 429, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        ...(ok ? {} : { "retry-after": String(Math.max(1, Math.ceil(retryAfterMillis / 1000))) })
      })
      response.end(body)
    })
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** The most times within any half-open window `[t, t + windowMillis)`. */
export const peakIn = (times: ReadonlyArray<number>, windowMillis: number): number => {
  const sorted = [...times].sort((a, b) => a - b)
  let peak = 0
  let start = 0
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMillis) start++
    peak = Math.max(peak, end - start + 1)
  }
  return peak
}

/** The counting server in a child process (`countingServerMain.ts`); `arrivals()` fetches and forgets them. */
export const spawnCountingServer = async (
  options: CountingOptions
): Promise<{
  readonly url: string
  readonly arrivals: () => Promise<Array<Arrival>>
  readonly stop: () => void
}> => {
  const { spawn } = await import("node:child_process")
  const { fileURLToPath } = await import("node:url")
  const main = fileURLToPath(new URL("./countingServerMain.ts", import.meta.url))
  const child = spawn(
    process.execPath,
    ["--import", "tsx", main, String(options.limit), String(options.perMinute ?? "")],
    {
      stdio: ["ignore", "pipe", "inherit"],
      cwd: fileURLToPath(new URL("../../..", import.meta.url))
    }
  )
  const url = await new Promise<string>((resolve, reject) => {
    let seen = ""
    child.stdout!.on("data", (chunk: Buffer) => {
      seen += chunk.toString("utf8")
      const match = /LISTENING (\S+)/.exec(seen)
      if (match !== null) resolve(match[1]!)
    })
    child.once("exit", (code) => reject(new Error(`counting server exited (${code}): ${seen}`)))
  })
  process.once("exit", () => child.kill("SIGKILL"))
  return {
    url,
    arrivals: async () => (await (await fetch(`${url}/__arrivals`)).json()) as Array<Arrival>,
    stop: () => void child.kill("SIGTERM")
  }
}
