/**
 * The loopback transport: a `node:http` server in a `Scope` that feeds every request
 * to the engine and writes its answer back, streaming the body with backpressure. A
 * dropped connection or a truncated body destroys the socket, as a failing network does.
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import * as Stream from "effect/Stream"
import type { StandInEngine } from "./StandInEngine.js"
import type { StandInRequest } from "./StandInHttp.js"

export interface LoopbackServerOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number
  /** Default `127.0.0.1`: the stand-in is never reachable from outside the machine. */
  readonly host?: string
}

export interface LoopbackServer {
  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  readonly url: string
  readonly port: number
}

const readRequestBody = (incoming: Http.IncomingMessage) =>
  Effect.callback<Uint8Array, Error>((resume) => {
    const chunks: Array<Buffer> = []
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk))
    incoming.on("end", () => resume(Effect.succeed(new Uint8Array(Buffer.concat(chunks)))))
    incoming.on("error", (error) => resume(Effect.fail(error)))
  })

/** Writes one chunk, waiting for `drain` when the socket buffer is full; fails when the client went away. */
const write = (response: Http.ServerResponse, chunk: Uint8Array) =>
  Effect.callback<void, Error>((resume) => {
    if (response.destroyed) return resume(Effect.fail(new Error("client disconnected")))
    if (response.write(chunk)) return resume(Effect.void)
    const onDrain = () => {
      response.off("close", onClose)
      resume(Effect.void)
    }
    const onClose = () => {
      response.off("drain", onDrain)
      resume(Effect.fail(new Error("client disconnected")))
    }
    response.once("drain", onDrain)
    response.once("close", onClose)
  })

const serveOne = (
  engine: StandInEngine,
  base: string,
  incoming: Http.IncomingMessage,
  response: Http.ServerResponse
) =>
  Effect.gen(function* () {
    const body = yield* readRequestBody(incoming)
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value
    }
    const request: StandInRequest = {
      method: incoming.method ?? "GET",
      url: new URL(incoming.url ?? "/", base),
      headers,
      body
    }
    const answer = yield* engine.handle(request)
    response.writeHead(answer.status, answer.headers)
    yield* Stream.runForEach(answer.body, (chunk) => write(response, chunk))
    response.end()
  }).pipe(
    // A fault cut the connection, or the client left: close the socket mid-answer. `end`
    // (not `destroy`) so the bytes already written, headers included, still go out first.
    Effect.catchCause(() => Effect.sync(() => incoming.socket.end()))
  )

/**
 * Listens on loopback until the scope closes, answering with `engine`.
 *
 * @example
 * ```ts
 * const { url } = yield* listenLoopback(engine, { port: 0 })
 * ```
 */
export const listenLoopback = (engine: StandInEngine, options: LoopbackServerOptions = {}) =>
  Effect.gen(function* () {
    const run = yield* FiberSet.makeRuntime<never, void, never>()
    const host = options.host ?? "127.0.0.1"
    const server = yield* Effect.acquireRelease(
      Effect.callback<Http.Server, Error>((resume) => {
        const server = Http.createServer()
        server.once("error", (error) => resume(Effect.fail(error)))
        server.listen(options.port ?? 0, host, () => resume(Effect.succeed(server)))
      }),
      (server) =>
        Effect.callback<void>((resume) => {
          // Long exports may still be streaming: cut them so the scope can close.
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )
    const port = (server.address() as AddressInfo).port
    const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`
    server.on("request", (incoming: Http.IncomingMessage, response: Http.ServerResponse) => {
      run(serveOne(engine, url, incoming, response))
    })
    return { url, port } satisfies LoopbackServer
  })
