/**
 * The request pipeline behind every operation: `FlashdutyClient.call`, `.send` and
 * `.exchange`, and through them the operations that are not one JSON in, one JSON out
 * (exports, uploads, NDJSON). One call:
 *
 * 1. check the per-call options (`callOptions.ts`; `InvalidParameter`, nothing sent);
 * 2. make the input ready to send, once (`payload.ts`; `InvalidParameter` naming the field);
 * 3. run attempts (`attempt.ts`: limiter, credentials, send, answer, within the timeout);
 * 4. retry what is safe to retry (`retryGate.ts`), never a body that cannot be replayed;
 * 5. when the `circuitBreaker` option is on, the whole call guarded by it (`circuitBreaker.ts`);
 * 6. all in one span (`callSpan.ts`) and counted in the metrics (`callMetrics.ts`), with debug
 *    logs that never show a secret (`debugLog.ts`).
 */
import * as Effect from "effect/Effect"
import * as HttpBody from "effect/http/HttpBody"
import type * as HttpClient from "effect/http/HttpClient"
import * as Result from "effect/Result"
import type * as Schema from "effect/Schema"
import type * as SchemaIssue from "effect/SchemaIssue"
import type * as Scope from "effect/Scope"
import type { Answer } from "../Answer.js"
import {
  type FlashdutyError,
  type InvalidParameter,
  InvalidParameter as InvalidParameterError,
  type RateLimited,
  type Unauthorized
} from "../Errors.js"
import type { FlashdutyClientService } from "../FlashdutyClient.js"
import type { CallOptions, ConfigurationError } from "../FlashdutyOptions.js"
import type { ClientRateLimiter } from "../RateLimit.js"
import { type RawRequest, rawEndpoint } from "../RawRequest.js"
import type { Endpoint } from "../runtime/Endpoint.js"
import type { OperationInfo } from "../runtime/Operation.js"
import { type AttemptContext, attempt, type Settings } from "./attempt.js"
import type { ClientBreaker } from "./breakerPolicy.js"
import type { PreparedBody } from "./buildRequest.js"
import { countRateLimited, countRetry, measured } from "./callMetrics.js"
import { type CheckedCallOptions, checkCallOptions } from "./callOptions.js"
import { traced } from "./callSpan.js"
import { pipelineClient } from "./clientTransform.js"
import type { ResolvedConfig } from "./config.js"
import { type Auth, bearer, makeAuth, SecretList } from "./credentials.js"
import { logRequest } from "./debugLog.js"
import { invalidInput } from "./inputGuard.js"
import { toJsonText, toQueryParams } from "./jsonText.js"
import { payloadOf } from "./payload.js"
import { withRetry } from "./retryGate.js"
import { decoderOf } from "./schemaCodec.js"

/** A raw `POST`'s JSON body and query parameters, or where either cannot be sent. */
const rawPostBody = (raw: RawRequest<unknown>): Effect.Effect<PreparedBody, InvalidParameter> =>
  Effect.suspend(() => {
    const text = toJsonText(raw.body ?? {})
    if (Result.isFailure(text))
      return Effect.fail(
        rawInvalid(`body${text.failure.path === "" ? "" : `.${text.failure.path}`}`, text.failure.message)
      )
    const query = raw.query === undefined ? Result.succeed([]) : toQueryParams(raw.query)
    if (Result.isFailure(query))
      return Effect.fail(rawInvalid(`query.${query.failure.path}`, query.failure.message))
    return Effect.succeed({ body: HttpBody.text(text.success, "application/json"), query: query.success })
  })

const rawInvalid = (path: string, message: string) =>
  new InvalidParameterError({
    message: `request: invalid ${path}: ${message} (nothing was sent)`,
    path: `request.${path}`
  })

/**
 * The client's service (`call`, `send`, `exchange`, as documented on `FlashdutyClient`) over
 * `httpClient`. `layerFetch` is the `FetchHttpClient.Fetch` given to the SDK's layers, if any.
 */
export const makeExecutor = (
  config: ResolvedConfig,
  httpClient: HttpClient.HttpClient,
  limiter: ClientRateLimiter,
  layerFetch: typeof globalThis.fetch | undefined,
  breaker?: ClientBreaker
): Effect.Effect<FlashdutyClientService, ConfigurationError> =>
  Effect.map(pipelineClient(config, httpClient, layerFetch), (clients) => {
    const secrets = new SecretList()
    const context: AttemptContext = {
      client: clients.scoped,
      limiter,
      secrets,
      baseUrl: config.baseUrl,
      traceContext: config.traceContext
    }
    // `call` and `request` read the answer whole within the attempt: no request scope to close.
    const wholeBodyContext: AttemptContext = { ...context, client: clients.wholeBody }
    const clientAuth = makeAuth(config.credentials, secrets)
    /** A 429: counted, and its `Retry-After` told to the limiter (a shared one pauses every process). */
    const rateLimitedBy = (error: RateLimited, operation: OperationInfo): Effect.Effect<void> =>
      Effect.andThen(
        countRateLimited(operation),
        error.retryAfter === undefined ? Effect.void : limiter.penalize(operation, error.retryAfter)
      )

    /**
     * The credentials of one call: the client's, or, for an operation that authenticates with
     * a token of its own (an automation trigger), the call's `bearerToken` and never the
     * client's app key or token.
     */
    const credentialsOf = (
      operation: OperationInfo,
      checked: CheckedCallOptions
    ): Result.Result<Effect.Effect<Auth, Unauthorized>, InvalidParameter> => {
      const token = checked.bearerToken
      if (operation.auth === "automationTrigger") {
        if (token === undefined) {
          return Result.fail(
            invalidInput(
              operation.operationId,
              "options.bearerToken",
              "this operation needs its trigger's token (bearerToken)",
              []
            )
          )
        }
        return Result.succeed(Effect.succeed(bearer(token)))
      }
      if (token !== undefined) {
        return Result.fail(
          invalidInput(
            operation.operationId,
            "options.bearerToken",
            "bearerToken is only for operations that authenticate with a token of their own; this one uses the client's credentials",
            []
          )
        )
      }
      return Result.succeed(clientAuth(operation.operationId))
    }
    const baseHeaders: Readonly<Record<string, string>> = {
      accept: "application/json",
      "user-agent": config.userAgent,
      ...config.headers
    }

    /** The pipeline; `attemptContext` says which client sends (see `PipelineClients`). */
    const run = <I, A>(
      attemptContext: AttemptContext,
      endpoint: Endpoint<I, unknown>,
      input: I | HttpBody.HttpBody | Effect.Effect<PreparedBody, InvalidParameter>,
      options: CallOptions | undefined,
      read: (answer: Answer) => Effect.Effect<A, FlashdutyError, Scope.Scope>
    ): Effect.Effect<A, FlashdutyError, Scope.Scope> => {
      const operation = endpoint.operation
      return traced(
        operation,
        measured(
          operation,
          Effect.suspend(() => {
            const checked = checkCallOptions(operation.operationId, options, ["maxLineBytes"])
            if (Result.isFailure(checked)) return Effect.fail(checked.failure)
            const credentials = credentialsOf(operation, checked.success)
            if (Result.isFailure(credentials)) return Effect.fail(credentials.failure)
            const settings: Settings = {
              timeout: checked.success.timeout ?? config.timeout,
              maxBytes: checked.success.maxResponseBytes ?? config.maxResponseBytes,
              headers:
                checked.success.headers === undefined
                  ? baseHeaders
                  : { ...baseHeaders, ...checked.success.headers }
            }
            const schema = endpoint.request as Schema.Codec<unknown, unknown> | undefined
            return Effect.flatMap(payloadOf(operation, schema, input, secrets.values), (payload) => {
              let attempts = 0
              const counted = Effect.suspend(() => {
                const first = attempts++ === 0
                const run = Effect.tapError(
                  attempt(attemptContext, operation, payload, settings, credentials.success, read),
                  (error) => (error._tag === "RateLimited" ? rateLimitedBy(error, operation) : Effect.void)
                )
                return first ? run : Effect.andThen(countRetry(operation), run)
              })
              const retried = withRetry(
                operation,
                checked.success.retry ?? config.retry,
                checked.success.retryIdempotentWrites ?? config.retryIdempotentWrites,
                payload.replayable,
                counted
              )
              return Effect.andThen(
                logRequest(operation, payload, secrets.values),
                breaker === undefined ? retried : breaker.guard(operation, retried)
              )
            })
          })
        )
      )
    }

    const exchange: FlashdutyClientService["exchange"] = (endpoint, input, options, read) =>
      run(context, endpoint, input, options, read)

    const call: FlashdutyClientService["call"] = <I, A>(
      endpoint: Endpoint<I, A>,
      input: I,
      options?: CallOptions
    ) => {
      const decode = decoderOf(endpoint.response as Schema.Codec<unknown, unknown>) as (
        data: unknown
      ) => Effect.Effect<A, SchemaIssue.Issue>
      return Effect.scoped(
        run(wholeBodyContext, endpoint, input, options, (answer) => answer.envelope(decode))
      )
    }

    const send: FlashdutyClientService["send"] = (endpoint, input, options) =>
      exchange(endpoint, input, options, (answer) => Effect.succeed(answer.response))

    const request: FlashdutyClientService["request"] = <A>(raw: RawRequest<A>, options?: CallOptions) =>
      Effect.suspend(() => {
        const endpoint = rawEndpoint(raw)
        if (Result.isFailure(endpoint)) return Effect.fail(endpoint.failure)
        const decode = decoderOf(endpoint.success.response as Schema.Codec<unknown, unknown>) as (
          data: unknown
        ) => Effect.Effect<A, SchemaIssue.Issue>
        // A GET's query is its input; a POST's body and query are prepared inside the pipeline's guard.
        const input = raw.method === "GET" ? raw.query : rawPostBody(raw)
        return Effect.scoped(
          run(wholeBodyContext, endpoint.success, input, options, (answer) => answer.envelope(decode))
        )
      })

    return { call, send, exchange, request }
  })
