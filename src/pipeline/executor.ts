/**
 * The request pipeline behind every operation: `FlashdutyClient.call`, `.send` and
 * `.exchange`, and through them the operations that are not one JSON in, one JSON out
 * (exports, uploads, NDJSON). One call:
 *
 * 1. check the per-call options (`callOptions.ts`; `InvalidParameter`, nothing sent);
 * 2. make the input ready to send, once (`payload.ts`; `InvalidParameter` naming the field);
 * 3. run attempts (`attempt.ts`: limiter, credentials, send, answer, within the timeout);
 * 4. retry what is safe to retry (`retryGate.ts`), never a body that cannot be replayed;
 * 5. all in one span (`callSpan.ts`), with debug logs that never show a secret (`debugLog.ts`).
 */
import * as Effect from "effect/Effect"
import type * as HttpBody from "effect/http/HttpBody"
import type * as HttpClient from "effect/http/HttpClient"
import * as Result from "effect/Result"
import type * as Schema from "effect/Schema"
import type * as SchemaIssue from "effect/SchemaIssue"
import type * as Scope from "effect/Scope"
import type { Answer } from "../Answer.js"
import type { FlashdutyError, InvalidParameter } from "../Errors.js"
import type { FlashdutyClientService } from "../FlashdutyClient.js"
import type { CallOptions, ConfigurationError } from "../FlashdutyOptions.js"
import type { ClientRateLimiter } from "../RateLimit.js"
import type { Endpoint } from "../runtime/Endpoint.js"
import { type AttemptContext, attempt, type Settings } from "./attempt.js"
import { checkCallOptions } from "./callOptions.js"
import { traced } from "./callSpan.js"
import { pipelineClient } from "./clientTransform.js"
import type { ResolvedConfig } from "./config.js"
import { makeAuth, SecretList } from "./credentials.js"
import { logRequest } from "./debugLog.js"
import { payloadOf } from "./payload.js"
import { withRetry } from "./retryGate.js"
import { decoderOf } from "./schemaCodec.js"

/**
 * The client's service (`call`, `send`, `exchange`, as documented on `FlashdutyClient`) over
 * `httpClient`. `layerFetch` is the `FetchHttpClient.Fetch` given to the SDK's layers, if any.
 */
export const makeExecutor = (
  config: ResolvedConfig,
  httpClient: HttpClient.HttpClient,
  limiter: ClientRateLimiter,
  layerFetch: typeof globalThis.fetch | undefined
): Effect.Effect<FlashdutyClientService, ConfigurationError> =>
  Effect.map(pipelineClient(config, httpClient, layerFetch), (client) => {
    const secrets = new SecretList()
    const context: AttemptContext = {
      client,
      limiter,
      authOf: makeAuth(config.credentials, secrets),
      secrets,
      baseUrl: config.baseUrl
    }
    const baseHeaders: Readonly<Record<string, string>> = {
      accept: "application/json",
      "user-agent": config.userAgent,
      ...config.headers
    }

    const exchange: FlashdutyClientService["exchange"] = <I, A>(
      endpoint: Endpoint<I, unknown>,
      input: I | HttpBody.HttpBody | Effect.Effect<HttpBody.HttpBody, InvalidParameter>,
      options: CallOptions | undefined,
      read: (answer: Answer) => Effect.Effect<A, FlashdutyError, Scope.Scope>
    ): Effect.Effect<A, FlashdutyError, Scope.Scope> => {
      const operation = endpoint.operation
      return traced(
        operation,
        Effect.suspend(() => {
          const checked = checkCallOptions(operation.operationId, options, ["maxLineBytes"])
          if (Result.isFailure(checked)) return Effect.fail(checked.failure)
          const settings: Settings = {
            timeout: checked.success.timeout ?? config.timeout,
            maxBytes: checked.success.maxResponseBytes ?? config.maxResponseBytes,
            headers:
              checked.success.headers === undefined
                ? baseHeaders
                : { ...baseHeaders, ...checked.success.headers }
          }
          const schema = endpoint.request as Schema.Codec<unknown, unknown> | undefined
          return Effect.flatMap(payloadOf(operation, schema, input, secrets.values), (payload) =>
            Effect.andThen(
              logRequest(operation, payload, secrets.values),
              withRetry(
                operation,
                checked.success.retry ?? config.retry,
                payload.replayable,
                attempt(context, operation, payload, settings, read)
              )
            )
          )
        })
      )
    }

    const call: FlashdutyClientService["call"] = <I, A>(
      endpoint: Endpoint<I, A>,
      input: I,
      options?: CallOptions
    ) => {
      const decode = decoderOf(endpoint.response as Schema.Codec<unknown, unknown>) as (
        data: unknown
      ) => Effect.Effect<A, SchemaIssue.Issue>
      return Effect.scoped(exchange(endpoint, input, options, (answer) => answer.envelope(decode)))
    }

    const send: FlashdutyClientService["send"] = (endpoint, input, options) =>
      exchange(endpoint, input, options, (answer) => Effect.succeed(answer.response))

    return { call, send, exchange }
  })
