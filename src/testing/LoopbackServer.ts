/**
 * The loopback transport: a `node:http` server in a `Scope` that feeds every request
 * to the engine and writes its answer back, streaming the body with backpressure. A
 * dropped connection or a truncated body destroys the socket, as a failing network does.
 */
import type * as Http from "node:http"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { type LoopbackServer, type LoopbackServerOptions, listenHttp } from "./nodeHttp.js"
import type { StandInEngine } from "./StandInEngine.js"
import type { StandInRequest } from "./StandInHttp.js"

export type { LoopbackServer, LoopbackServerOptions }

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
export const listenLoopback = (
  engine: StandInEngine,
  options: LoopbackServerOptions = {}
): Effect.Effect<LoopbackServer, Error, Scope.Scope> =>
  Effect.flatMap(FiberSet.makeRuntime<never, void, never>(), (run) =>
    listenHttp(options, (url, incoming, response) => {
      run(serveOne(engine, url, incoming, response))
    })
  )
