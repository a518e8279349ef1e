/**
 * The Flashduty API never redirects, so the client never follows a redirect: a `3xx`
 * (or the opaque redirect a browser's fetch answers with, status 0) fails the attempt
 * before anything is sent elsewhere, and the app key in the query string never leaves the
 * configured origin.
 *
 * fetch follows redirects by itself (and re-sends the URL, query and all, to any
 * `Location`), so the SDK's requests go through a `fetch` that forces `redirect: "manual"`
 * onto whatever `RequestInit` the request is made with. Wrapping `fetch`, rather than
 * providing a `RequestInit`, keeps a `RequestInit` the user gave anywhere (the program, the
 * SDK's layers, or `FetchHttpClient.layer` alone: its headers, a proxy's `dispatcher`), which a
 * provided `RequestInit` would replace wholesale. The `fetch` wrapped is the user's own
 * `FetchHttpClient.Fetch` when the program or the SDK's layers provide one, else the global one.
 * Clients that are not fetch-based (Effect's Node clients) do not follow redirects; the status
 * check covers them too, and it sits under the user's `transformClient`, so a
 * `HttpClient.followRedirects` added there sees a failure, not a redirect to follow.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"

/** Whether an answer's status is a redirect (or an opaque one, which has status 0). */
export const isRedirectStatus = (status: number): boolean => status === 0 || (status >= 300 && status < 400)

/** The description carried by the `StatusCodeError` of a refused redirect. */
export const redirectRefused = "redirect refused"

type Fetch = typeof globalThis.fetch

/** The global fetch, looked up at each call (tests and polyfills replace it). */
const globalFetch: Fetch = (input, init) => globalThis.fetch(input, init)

/**
 * `client` whose fetch never follows a redirect, and whose redirect answers become a
 * `StatusCodeError` (described as {@link redirectRefused}). `layerFetch` is the
 * `FetchHttpClient.Fetch` the SDK's layers were given, used when the calling fiber has none.
 */
export const refuseRedirects = (
  client: HttpClient.HttpClient,
  layerFetch: Fetch | undefined
): HttpClient.HttpClient => {
  const wrapped = new WeakMap<Fetch, Fetch>()
  const manual = (inner: Fetch): Fetch => {
    let fetch = wrapped.get(inner)
    if (fetch === undefined) {
      fetch = (input, init) =>
        inner(input, init === undefined ? { redirect: "manual" } : { ...init, redirect: "manual" })
      wrapped.set(inner, fetch)
    }
    return fetch
  }
  const check = (response: HttpClientResponse.HttpClientResponse) =>
    isRedirectStatus(response.status)
      ? Effect.fail(
          new HttpClientError.HttpClientError({
            reason: new HttpClientError.StatusCodeError({
              request: response.request,
              response,
              description: redirectRefused
            })
          })
        )
      : Effect.succeed(response)
  return HttpClient.transform(client, (effect) =>
    Effect.withFiber((fiber) => {
      const inner = Context.getOrUndefined(fiber.context, FetchHttpClient.Fetch) ?? layerFetch ?? globalFetch
      return Effect.flatMap(Effect.provideService(effect, FetchHttpClient.Fetch, manual(inner)), check)
    })
  )
}
