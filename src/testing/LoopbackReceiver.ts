/**
 * A receiver on loopback: an `effect/http` handler (a webhook receiver's, a router's) served by
 * `node:http` on 127.0.0.1, so that the loopback stand-in (or a test) can post to it over a real
 * socket. For tests and examples: an application serves its handler with its platform's
 * `HttpServer` (`HttpRouter.serve` with Node's, Bun's or Deno's layer) or as a web handler
 * (`HttpEffect.toWebHandler`).
 *
 * Each request becomes an `HttpServerRequest` with the socket's peer as its `remoteAddress`.
 */
import type * as Http from "node:http"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import * as HttpServerRequest from "effect/http/HttpServerRequest"
import * as HttpServerResponse from "effect/http/HttpServerResponse"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import { type LoopbackServer, type LoopbackServerOptions, listenHttp } from "./nodeHttp.js"

/** What a loopback receiver serves. */
export type ReceiverHandler = Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  unknown,
  HttpServerRequest.HttpServerRequest | Scope.Scope
>

/**
 * The request body as a web stream. Cancelling it (a receiver that stops reading an oversized
 * body) drains the rest instead of destroying the socket, so the answer (a 413) still goes out.
 */
const bodyOf = (incoming: Http.IncomingMessage): ReadableStream<Uint8Array> => {
  let detach = () => {}
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const onData = (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk))
      const onEnd = () => controller.close()
      const onError = (error: Error) => controller.error(error)
      incoming.on("data", onData)
      incoming.once("end", onEnd)
      incoming.once("error", onError)
      detach = () => {
        incoming.off("data", onData)
        incoming.off("end", onEnd)
        incoming.off("error", onError)
      }
    },
    cancel() {
      detach()
      incoming.resume()
    }
  })
}

const toServerRequest = (
  incoming: Http.IncomingMessage,
  base: string
): HttpServerRequest.HttpServerRequest => {
  const method = incoming.method ?? "GET"
  const headers = new Headers()
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one)
  }
  const hasBody = method !== "GET" && method !== "HEAD"
  const request = new Request(new URL(incoming.url ?? "/", base), {
    method,
    headers,
    ...(hasBody ? { body: bodyOf(incoming), duplex: "half" } : {})
  } as RequestInit)
  const address = incoming.socket.remoteAddress
  return HttpServerRequest.fromWeb(request).modify({
    remoteAddress: address === undefined ? Option.none() : Option.some(address)
  })
}

const serveOne = (
  handler: ReceiverHandler,
  base: string,
  incoming: Http.IncomingMessage,
  outgoing: Http.ServerResponse
) =>
  Effect.gen(function* () {
    const request = toServerRequest(incoming, base)
    const response = yield* handler.pipe(
      Effect.provideService(HttpServerRequest.HttpServerRequest, request),
      Effect.scoped,
      Effect.catchCause(() =>
        Effect.succeed(HttpServerResponse.text("internal server error", { status: 500 }))
      )
    )
    const web = HttpServerResponse.toWeb(response)
    const body = new Uint8Array(yield* Effect.promise(() => web.arrayBuffer()))
    const headers: Record<string, string> = {}
    web.headers.forEach((value, name) => {
      headers[name] = value
    })
    outgoing.writeHead(web.status, { ...headers, "content-length": String(body.byteLength) })
    outgoing.end(body)
    // What the handler did not read of the body is dropped, not left in the socket.
    if (!incoming.complete) incoming.resume()
  }).pipe(Effect.catchCause(() => Effect.sync(() => outgoing.destroy())))

/**
 * Serves `handler` on loopback until the scope closes (`port: 0`, the default, picks a free port).
 *
 * @example
 * ```ts
 * const receiver = yield* Webhooks.makeReceiver({ secret, handle })
 * const { url } = yield* FlashdutyStandIn.serveReceiver(receiver.handler)
 * yield* control.setWebhookTarget({ url, headers: { "x-flashduty-secret": secret } })
 * ```
 */
export const serveReceiver = (
  handler: ReceiverHandler,
  options: LoopbackServerOptions = {}
): Effect.Effect<LoopbackServer, Error, Scope.Scope> =>
  Effect.flatMap(FiberSet.makeRuntime<never, void, never>(), (run) =>
    listenHttp(options, (url, incoming, outgoing) => {
      run(serveOne(handler, url, incoming, outgoing))
    })
  )
