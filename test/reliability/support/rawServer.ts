/**
 * A bare `node:http` server on loopback, in a `Scope`, for the faults the stand-in cannot
 * play: headers that never come, a stalled body, resets at chosen moments, odd content
 * types, HTTP-date `Retry-After`. It counts requests and notices when a client hangs up.
 *
 * @example
 * ```ts
 * const server = yield* rawServer((request, response) => response.end("{}"))
 * // … call server.url …
 * assert.strictEqual(server.hits(), 1)
 * ```
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { Deferred, Effect, type Scope } from "effect"

export interface RawServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** Requests received so far. */
  readonly hits: () => number
  /** The paths of the requests received, in order (query string dropped). */
  readonly paths: () => ReadonlyArray<string>
  /** Completes when the client side of any request's connection closes before the answer finished. */
  readonly clientLeft: Deferred.Deferred<void>
  /** Open sockets right now. */
  readonly openSockets: () => number
}

export type RawHandler = (request: Http.IncomingMessage, response: Http.ServerResponse, hit: number) => void

/** Starts a raw loopback server answering with `handler`; it stops when the scope closes. */
export const rawServer = (handler: RawHandler): Effect.Effect<RawServer, never, Scope.Scope> =>
  Effect.gen(function* () {
    const clientLeft = yield* Deferred.make<void>()
    const paths: Array<string> = []
    const sockets = new Set<import("node:net").Socket>()
    const server = yield* Effect.acquireRelease(
      Effect.callback<Http.Server>((resume) => {
        const server = Http.createServer((request, response) => {
          paths.push((request.url ?? "/").split("?")[0]!)
          // The client went away before we finished answering (an abort or a cut).
          response.on("close", () => {
            if (!response.writableFinished) Deferred.doneUnsafe(clientLeft, Effect.void)
          })
          // Drain the request body so that a handler can answer at any time.
          request.resume()
          handler(request, response, paths.length)
        })
        server.on("connection", (socket) => {
          sockets.add(socket)
          socket.on("close", () => sockets.delete(socket))
        })
        server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
      }),
      (server) =>
        Effect.callback<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )
    const { port } = server.address() as AddressInfo
    return {
      url: `http://127.0.0.1:${port}`,
      hits: () => paths.length,
      paths: () => [...paths],
      clientLeft,
      openSockets: () => sockets.size
    }
  })

/** A port with nothing listening (bound, read, closed), for "connection refused". */
export const closedPort: Effect.Effect<number> = Effect.callback<number>((resume) => {
  const server = Http.createServer()
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** A success envelope as the API sends it. */
export const envelope = (data: unknown, requestId = "req-raw"): string =>
  JSON.stringify({ request_id: requestId, data })
