/**
 * The in-memory transport: an `HttpClient` whose requests never leave the process but
 * go through the same engine as the loopback server. A request is turned into bytes
 * exactly as `fetch` would send it (so multipart bodies carry their boundary), and the
 * answer comes back as a web `Response` whose body is the engine's lazy stream.
 */
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Stream from "effect/Stream"
import type { StandInEngine } from "./StandInEngine.js"
import type { StandInRequest } from "./StandInHttp.js"

const transportError = (request: HttpClientRequest.HttpClientRequest, description: string, cause?: unknown) =>
  new HttpClientError.HttpClientError({
    reason: new HttpClientError.TransportError({ request, description, cause })
  })

const concat = (chunks: ReadonlyArray<Uint8Array>): Uint8Array => {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0))
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}

/** The body as `fetch` would put it on the wire. */
const bodyInit = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<BodyInit | undefined, HttpClientError.HttpClientError> => {
  const body = request.body
  switch (body._tag) {
    case "Raw":
    case "Uint8Array":
      return Effect.succeed(body.body as BodyInit)
    case "FormData":
      return Effect.succeed(body.formData)
    case "Stream":
      return body.stream.pipe(
        Stream.runCollect,
        Effect.map((chunks) => concat(chunks) as Uint8Array<ArrayBuffer>),
        Effect.mapError((cause) => transportError(request, "the request body stream failed", cause))
      )
    default:
      return Effect.succeed(undefined)
  }
}

const toStandInRequest = (
  request: HttpClientRequest.HttpClientRequest,
  url: URL
): Effect.Effect<StandInRequest, HttpClientError.HttpClientError> =>
  Effect.flatMap(bodyInit(request), (body) =>
    Effect.tryPromise({
      try: async () => {
        const web = new Request(url, { method: request.method, headers: request.headers, body: body ?? null })
        const headers: Record<string, string> = {}
        web.headers.forEach((value, name) => {
          headers[name] = value
        })
        return { method: request.method, url, headers, body: new Uint8Array(await web.arrayBuffer()) }
      },
      catch: (cause) => transportError(request, "the request could not be encoded", cause)
    })
  )

// Statuses that must not carry a body in a web Response.
const bodyless = new Set([101, 204, 205, 304])

/**
 * An `HttpClient` answered by `engine`, in memory.
 *
 * @example
 * ```ts
 * const engine = yield* makeStandInEngine(spec)
 * const client = inMemoryHttpClient(engine)
 * const response = yield* client.post("https://api.flashcat.cloud/incident/list?app_key=standin-app-key")
 * ```
 */
export const inMemoryHttpClient = (engine: StandInEngine): HttpClient.HttpClient =>
  HttpClient.make((request, url) =>
    Effect.gen(function* () {
      const standInRequest = yield* toStandInRequest(request, url)
      const answer = yield* engine
        .handle(standInRequest)
        .pipe(Effect.mapError((dropped) => transportError(request, dropped.reason, dropped)))
      const body = bodyless.has(answer.status) ? null : Stream.toReadableStream(answer.body)
      return HttpClientResponse.fromWeb(
        request,
        new Response(body, { status: answer.status, headers: answer.headers })
      )
    })
  )
