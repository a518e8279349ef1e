/**
 * The `HttpClient` the pipeline sends with: the user's own, made to refuse redirects
 * (`refuseRedirects.ts`), then their `transformClient`, then the SDK's own settings for its
 * requests (no HTTP client span of Effect's own), in two forms: one whose requests live in the
 * caller's scope, for answers whose body leaves the attempt (`exchange`, `send`: an export's
 * stream), and one without, for answers read whole within the attempt (`call`, `request`).
 */
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import type * as HttpClientError from "effect/http/HttpClientError"
import type * as Scope from "effect/Scope"
import { ConfigurationError } from "../FlashdutyOptions.js"
import { clip } from "./clip.js"
import type { ResolvedConfig } from "./config.js"
import { refuseRedirects } from "./refuseRedirects.js"

const disableHttpClientSpan = () => true

/** A client whose requests live in the caller's `Scope` (closing it aborts them). */
export type ScopedClient = HttpClient.HttpClient.With<HttpClientError.HttpClientError, Scope.Scope>

/**
 * The pipeline's two clients. `wholeBody` ties no request to a scope: the attempt reads the
 * answer whole before it ends, and an interruption (the timeout, the caller) still aborts
 * the request or cancels the body being read, as Effect's client does for any request. Tying
 * such a request to a scope cost a `controller.abort()` when the scope closed, after the body
 * was read: a `DOMException` with its stack trace on every call, ~35% of a call's CPU
 * (`bench:call`, `bench/RESULTS.md`).
 */
export interface PipelineClients {
  readonly wholeBody: HttpClient.HttpClient.With<HttpClientError.HttpClientError, never>
  readonly scoped: ScopedClient
}

/**
 * The user's `transformClient` applied to the client: what it returns must be an
 * `HttpClient`, and a throw is the option's fault (`ConfigurationError`), not a defect.
 */
const applyTransform = (
  config: ResolvedConfig,
  client: HttpClient.HttpClient
): Effect.Effect<HttpClient.HttpClient, ConfigurationError> => {
  const transform = config.transformClient
  if (transform === undefined) return Effect.succeed(client)
  let transformed: unknown
  try {
    transformed = transform(client)
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    return Effect.fail(
      new ConfigurationError({
        option: "transformClient",
        message: `transformClient threw: ${clip(why, 200)}`
      })
    )
  }
  return HttpClient.isHttpClient(transformed)
    ? Effect.succeed(transformed)
    : Effect.fail(
        new ConfigurationError({
          option: "transformClient",
          message: "transformClient must return an HttpClient (the one it was given, transformed)"
        })
      )
}

/**
 * The client of the SDK's requests. `layerFetch` is the `FetchHttpClient.Fetch` given to the
 * SDK's layers, if any (see `refuseRedirects.ts`).
 */
export const pipelineClient = (
  config: ResolvedConfig,
  httpClient: HttpClient.HttpClient,
  layerFetch: typeof globalThis.fetch | undefined
): Effect.Effect<PipelineClients, ConfigurationError> =>
  Effect.map(applyTransform(config, refuseRedirects(httpClient, layerFetch)), (transformed) => {
    // The SDK span carries the operation, method, path, status and request id; Effect's own
    // HTTP client span under it would be a second span per attempt with nothing more to say.
    // Scoped to the SDK's own requests: an `accessToken` effect's HTTP calls keep theirs.
    const wholeBody = HttpClient.transform(transformed, (effect) =>
      Effect.provideService(effect, HttpClient.TracerDisabledWhen, disableHttpClientSpan)
    )
    return { wholeBody, scoped: HttpClient.withScope(wholeBody) }
  })
