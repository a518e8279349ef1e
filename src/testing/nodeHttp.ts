/**
 * A `node:http` server on loopback in a `Scope`, for the stand-in's loopback transport and the
 * webhook receiver. `node:http` is loaded when a server starts, not when
 * `effect-flashduty/testing` is imported, so that the in-memory stand-in (`FlashdutyTest`)
 * bundles for browsers and workers with no bundler setting: the specifier is a variable, which
 * bundlers leave alone (a literal `node:http` fails `esbuild --platform=browser` even unused).
 */
import type * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"

/** Where a server listens. */
export interface LoopbackServerOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number
  /** Default `127.0.0.1`: the stand-in is never reachable from outside the machine. */
  readonly host?: string
}

/** A running server. */
export interface LoopbackServer {
  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  readonly url: string
  readonly port: number
}

const specifier = "node:http"

/** `node:http`, loaded on first use (Node, Bun and Deno have it). */
const loadNodeHttp: Effect.Effect<typeof Http, Error> = Effect.tryPromise({
  try: () => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier) as Promise<typeof Http>,
  catch: (cause) => new Error(`a loopback server needs node:http (Node, Bun or Deno): ${String(cause)}`)
})

/**
 * Listens on `options.host:options.port` until the scope closes (open connections cut, so
 * that a long export still streaming cannot hold the scope), handing each request to
 * `onRequest` along with the server's URL.
 */
export const listenHttp = (
  options: LoopbackServerOptions,
  onRequest: (url: string, incoming: Http.IncomingMessage, response: Http.ServerResponse) => void
): Effect.Effect<LoopbackServer, Error, Scope.Scope> =>
  Effect.gen(function* () {
    const http = yield* loadNodeHttp
    const host = options.host ?? "127.0.0.1"
    const server = yield* Effect.acquireRelease(
      Effect.callback<Http.Server, Error>((resume) => {
        const server = http.createServer()
        server.once("error", (error) => resume(Effect.fail(error)))
        server.listen(options.port ?? 0, host, () => resume(Effect.succeed(server)))
      }),
      (server) =>
        Effect.callback<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )
    const port = (server.address() as AddressInfo).port
    const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`
    server.on("request", (incoming, response) => onRequest(url, incoming, response))
    return { url, port }
  })
