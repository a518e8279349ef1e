/**
 * The `FlashdutyClient` service: one configured connection to the Flashduty Open API,
 * and the request executor every generated method calls.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { FlashdutyClient } from "effect-flashduty"
 *
 * const program = Effect.gen(function* () {
 *   const client = yield* FlashdutyClient
 *   // const { data, meta } = yield* client.call(someEndpoint, { p: 1, limit: 20 })
 * }).pipe(
 *   Effect.provide(FlashdutyClient.layer({ appKey: Redacted.make("…") })),
 *   Effect.provide(FetchHttpClient.layer)
 * )
 * ```
 */
import type * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import type * as HttpBody from "effect/http/HttpBody"
import * as HttpClient from "effect/http/HttpClient"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import type { Answer } from "./Answer.js"
import type { ApiResponse } from "./ApiResponse.js"
import type { FlashdutyError, InvalidParameter } from "./Errors.js"
import { type FlashdutyConfig, readConfig } from "./FlashdutyConfig.js"
import type { CallOptions, ConfigurationError, FlashdutyOptions } from "./FlashdutyOptions.js"
import type { PreparedBody } from "./pipeline/buildRequest.js"
import { resolveConfig } from "./pipeline/config.js"
import { makeExecutor } from "./pipeline/executor.js"
import * as RateLimit from "./RateLimit.js"
import type { RawRequest } from "./RawRequest.js"
import type { Endpoint } from "./runtime/Endpoint.js"

/** The service interface of {@link FlashdutyClient}. */
export interface FlashdutyClientService {
  /**
   * One JSON call: encode and validate `input` (an `InvalidParameter` with `path` before
   * anything is sent), send it with credentials, timeout, rate limit and retries, and
   * decode the envelope into `data` and `meta`.
   */
  readonly call: <I, A>(
    endpoint: Endpoint<I, A>,
    input: I,
    options?: CallOptions
  ) => Effect.Effect<ApiResponse<A>, FlashdutyError>
  /**
   * The same pipeline, the answer read by `read`: for operations that are not one JSON in,
   * one JSON out (exports, uploads, NDJSON). `read` gets each 2xx {@link Answer} (any other
   * answer fails with the same errors as `call`) and runs within the attempt's timeout;
   * its result may hold a body still to be streamed within the `Scope`. An `HttpBody`
   * input (multipart) is sent as is, and re-sent on a retry only if it can be replayed
   * exactly (bytes, a file path; not a one-shot stream). An `Effect` input prepares such a
   * body (and, optionally, the query parameters it goes with) from the caller's input once,
   * before anything is sent; whatever the caller's values throw while it runs is an
   * `InvalidParameter`.
   */
  readonly exchange: <I, A>(
    endpoint: Endpoint<I, unknown>,
    input: I | HttpBody.HttpBody | Effect.Effect<PreparedBody, InvalidParameter>,
    options: CallOptions | undefined,
    read: (answer: Answer) => Effect.Effect<A, FlashdutyError, Scope.Scope>
  ) => Effect.Effect<A, FlashdutyError, Scope.Scope>
  /**
   * A call to a path the spec (and so this SDK) does not have yet, through the same pipeline
   * as every generated method: credentials, rate limit, retries (by `access`), timeout, caps,
   * error mapping, span, redaction. `data` is decoded by `response` (default: kept as is).
   *
   * @example
   * ```ts
   * const { data } = yield* client.request({ method: "POST", path: "/safari/knowledge/pack/list", body: { p: 1 }, access: "read" })
   * ```
   */
  readonly request: <A = unknown>(
    request: RawRequest<A>,
    options?: CallOptions
  ) => Effect.Effect<ApiResponse<A>, FlashdutyError>
  /**
   * `exchange` returning the raw 2xx response, its body still to be read within the
   * `Scope`. Reading it directly is outside the timeout and the size cap: prefer `exchange`.
   */
  readonly send: <I>(
    endpoint: Endpoint<I, unknown>,
    input: I | HttpBody.HttpBody,
    options?: CallOptions
  ) => Effect.Effect<HttpClientResponse.HttpClientResponse, FlashdutyError, Scope.Scope>
}

const make = (options: FlashdutyOptions) =>
  Effect.gen(function* () {
    const config = yield* resolveConfig(options)
    const httpClient = yield* HttpClient.HttpClient
    // With a shared store, the budget is a hash of the app key (or of `rateLimit.accountKey`).
    const limiter = yield* RateLimit.make(
      config.rateLimit,
      config.credentials._tag === "AppKey" ? { appKey: config.credentials.appKey } : {}
    )
    // A fetch given to the SDK's layers (not to the program) is the one told not to follow redirects.
    const context = yield* Effect.context<never>()
    // One circuit per API origin (and path prefix): the key is the base URL.
    const breaker =
      config.circuitBreaker === undefined
        ? undefined
        : yield* config.circuitBreaker.make(`flashduty:${config.baseUrl}`)
    return yield* makeExecutor(
      config,
      httpClient,
      limiter,
      Context.getOrUndefined(context, FetchHttpClient.Fetch),
      breaker
    )
  })

/**
 * The configured Flashduty client.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { FlashdutyClient } from "effect-flashduty"
 *
 * // reads FLASHDUTY_APP_KEY (or FLASHDUTY_ACCESS_TOKEN), FLASHDUTY_BASE_URL, FLASHDUTY_TIMEOUT, …
 * const live = FlashdutyClient.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 */
export class FlashdutyClient extends Context.Service<FlashdutyClient, FlashdutyClientService>()(
  "effect-flashduty/FlashdutyClient"
) {
  /**
   * A client from explicit options. Fails with `ConfigurationError` when the options
   * cannot work (no credentials, invalid base URL, …), before any request.
   *
   * **Needs an `HttpClient` layer** (`FetchHttpClient.layer` from `effect/http`): without one,
   * the program fails to compile with `Type 'HttpClient' is not assignable to type 'never'`.
   */
  static layer(
    options: FlashdutyOptions
  ): Layer.Layer<FlashdutyClient, ConfigurationError, HttpClient.HttpClient> {
    return Layer.effect(
      FlashdutyClient,
      Effect.map(make(options), (executor) => FlashdutyClient.of(executor))
    )
  }

  /**
   * A client whose options are read through `Config` (see {@link FlashdutyConfig}): each of
   * `appKey`, `accessToken`, `baseUrl`, `timeout`, `userAgent`, `maxResponseBytes` is a
   * `Config`, by default the `FLASHDUTY_*` variable of its name (`FLASHDUTY_APP_KEY`,
   * `FLASHDUTY_TIMEOUT`, …); the other options are plain values. Needs an `HttpClient` layer.
   */
  static layerConfig(
    config?: FlashdutyConfig
  ): Layer.Layer<FlashdutyClient, Config.ConfigError | ConfigurationError, HttpClient.HttpClient> {
    return Layer.unwrap(Effect.map(readConfig(config), (options) => FlashdutyClient.layer(options)))
  }
}
