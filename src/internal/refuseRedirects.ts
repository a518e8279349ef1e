/**
 * The Flashduty API never redirects, so the client never follows a redirect: a `3xx`
 * (or the opaque redirect a browser's fetch answers with, status 0) fails the attempt
 * before anything is sent elsewhere, and the app key in the query string never leaves the
 * configured origin.
 *
 * fetch follows redirects by itself (and re-sends the URL, query and all, to any
 * `Location`), so the SDK's requests ask it for `redirect: "manual"`, merged into the
 * user's own `FetchHttpClient.RequestInit`. Clients that are not fetch-based (Effect's Node
 * clients) do not follow redirects; the status check covers them, and it sits under the
 * user's `transformClient`, so a `HttpClient.followRedirects` added there sees a failure,
 * not a redirect to follow.
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

const manualOnly: globalThis.RequestInit = { redirect: "manual" }

/**
 * `client` with fetch asked not to follow redirects and redirect answers turned into a
 * `StatusCodeError` (described as {@link redirectRefused}). `layerInit` is the
 * `RequestInit` the user gave to the layers, used when the calling fiber has none.
 */
export const refuseRedirects = (
  client: HttpClient.HttpClient,
  layerInit: globalThis.RequestInit | undefined
): HttpClient.HttpClient => {
  const merged = new WeakMap<globalThis.RequestInit, globalThis.RequestInit>()
  const manual = (init: globalThis.RequestInit | undefined): globalThis.RequestInit => {
    if (init === undefined) return manualOnly
    let result = merged.get(init)
    if (result === undefined) {
      result = { ...init, redirect: "manual" }
      merged.set(init, result)
    }
    return result
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
      const init = Context.getOrUndefined(fiber.context, FetchHttpClient.RequestInit) ?? layerInit
      return Effect.flatMap(Effect.provideService(effect, FetchHttpClient.RequestInit, manual(init)), check)
    })
  )
}
