/**
 * A fake `HttpClient` for tests: records every request (method, URL, headers, body) and
 * answers from a function. Reusable by any suite that needs to see what the SDK sends.
 *
 * @example
 * ```ts
 * const http = fakeHttp(() => ok({ items: [] }))
 * // provide http.layer where an HttpClient is needed, then inspect http.requests
 * ```
 */
import { Clock, Effect, Layer } from "effect"
import { type Headers, HttpClient, type HttpClientRequest, HttpClientResponse } from "effect/http"

export interface SeenRequest {
  readonly method: string
  /** The full URL with its query string, as it would go on the wire. */
  readonly url: URL
  readonly headers: Headers.Headers
  /** The body as text (empty for GET or non-text bodies). */
  readonly body: string
  readonly contentType: string | undefined
  /** The attempt number across the fake's life, from 1. */
  readonly index: number
  /** `Clock` time (TestClock-aware) when the request was sent. */
  readonly atMillis: number
  readonly raw: HttpClientRequest.HttpClientRequest
}

export type Responder = (request: SeenRequest) => Response | Effect.Effect<Response, unknown>

const bodyText = (request: HttpClientRequest.HttpClientRequest): string => {
  const body = request.body
  if (body._tag === "Uint8Array") return new TextDecoder().decode(body.body)
  if (body._tag === "Raw" && typeof body.body === "string") return body.body
  return ""
}

export interface FakeHttp {
  readonly requests: Array<SeenRequest>
  readonly client: HttpClient.HttpClient
  readonly layer: Layer.Layer<HttpClient.HttpClient>
}

/** A fake HttpClient answering with `respond`. */
export const fakeHttp = (respond: Responder): FakeHttp => {
  const requests: Array<SeenRequest> = []
  const client = HttpClient.make((request, url) =>
    Effect.flatMap(Clock.currentTimeMillis, (atMillis) => {
      // `url` already carries the query string, Redacted values in clear, exactly as sent.
      const wireUrl = new URL(url.toString())
      const seen: SeenRequest = {
        method: request.method,
        url: wireUrl,
        headers: request.headers,
        body: bodyText(request),
        contentType: request.body._tag === "Empty" ? undefined : request.body.contentType,
        index: requests.length + 1,
        atMillis,
        raw: request
      }
      requests.push(seen)
      const answer = respond(seen)
      const effect = Effect.isEffect(answer) ? answer : Effect.succeed(answer)
      return Effect.map(Effect.orDie(effect), (response) => HttpClientResponse.fromWeb(request, response))
    })
  )
  return { requests, client, layer: Layer.succeed(HttpClient.HttpClient, client) }
}

/** A JSON response. */
export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } })

/** A success envelope `{request_id, data}`. */
export const ok = (data: unknown, requestId = "req-ok", headers: Record<string, string> = {}): Response =>
  json({ request_id: requestId, data }, 200, headers)

/** An error envelope `{request_id, error: {code, message}}`. */
export const apiError = (
  code: string,
  message: string,
  status = 400,
  requestId = "req-err",
  headers: Record<string, string> = {}
): Response => json({ request_id: requestId, error: { code, message } }, status, headers)

/** A raw text response (HTML from a proxy, an empty body, a truncated JSON). */
export const text = (body: string, status: number, headers: Record<string, string> = {}): Response =>
  new Response(body, { status, headers })
