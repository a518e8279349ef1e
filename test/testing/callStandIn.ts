/** Small helpers to talk to the stand-in through whatever `HttpClient` is provided. */
import { Effect } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"

export const BASE = "https://api.flashcat.cloud"
export const KEY = "standin-app-key"

export interface CallOptions {
  readonly key?: string | null
  readonly method?: "GET" | "POST"
  readonly headers?: Record<string, string>
  readonly query?: Record<string, string>
}

/** Sends one request and reads the whole answer as text. */
export const call = (path: string, body?: unknown, options: CallOptions = {}) =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const key = options.key === undefined ? KEY : options.key
    let request = (options.method === "GET" ? HttpClientRequest.get : HttpClientRequest.post)(
      `${BASE}${path}`
    ).pipe(
      HttpClientRequest.setUrlParams({ ...(key === null ? {} : { app_key: key }), ...options.query }),
      HttpClientRequest.setHeaders(options.headers ?? {})
    )
    if (body !== undefined) request = HttpClientRequest.bodyJsonUnsafe(request, body)
    const response = yield* client.execute(request)
    const text = yield* response.text
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) }
  })

/** Sends a multipart form with the app key (and the query parameters given). */
export const callForm = (path: string, form: FormData, query: Record<string, string> = {}) =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const response = yield* client.execute(
      HttpClientRequest.post(`${BASE}${path}`).pipe(
        HttpClientRequest.setUrlParams({ app_key: KEY, ...query }),
        HttpClientRequest.bodyFormData(form)
      )
    )
    const text = yield* response.text
    return { status: response.status, headers: response.headers, text }
  })
