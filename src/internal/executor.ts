/**
 * The request executor behind `FlashdutyClient.call` and `.send`: encode and validate the
 * input, build the request, add credentials, wait for the rate limiter, send with a
 * per-attempt timeout, read and interpret the answer, retry what is safe to retry, all in
 * one span named after the operation, with debug logs that never show a secret.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HttpBody from "effect/http/HttpBody"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as References from "effect/References"
import * as Result from "effect/Result"
import type * as Schema from "effect/Schema"
import type * as SchemaIssue from "effect/SchemaIssue"
import type * as Scope from "effect/Scope"
import type * as Tracer from "effect/Tracer"
import type { ApiResponse } from "../ApiResponse.js"
import type { Endpoint } from "../Endpoint.js"
import { type FlashdutyError, InvalidParameter, TransportError, Unauthorized } from "../Errors.js"
import type { FlashdutyClientService } from "../FlashdutyClient.js"
import type { CallOptions, SecretInput } from "../FlashdutyOptions.js"
import type { OperationInfo } from "../Operation.js"
import type { ClientRateLimiter } from "../RateLimit.js"
import { isRetryable, type RetryPolicy } from "../Retry.js"
import { buildRequest, type RequestParts, type RequestPayload } from "./buildRequest.js"
import { lowerCaseKeys, type ResolvedConfig } from "./config.js"
import { interpret } from "./envelope.js"
import { readBodyCapped } from "./readBody.js"
import { preview, redactJson } from "./redact.js"
import { decoderOf, encoderOf } from "./schemaCodec.js"
import { firstProblem } from "./schemaIssue.js"
import { fromHttpClientError } from "./transportError.js"

/** The executor is the client's service: `call` and `send`, as documented there. */
export type Executor = FlashdutyClientService

/** Credentials of one attempt: extra query parameters and headers. */
interface Auth {
  readonly params: RequestParts["params"]
  readonly headers: Readonly<Record<string, string>>
}

const disableHttpClientSpan = () => true

const isDebugEnabled = Effect.withFiber((fiber) =>
  Effect.succeed(LogLevel.isGreaterThanOrEqualTo("Debug", fiber.getRef(References.MinimumLogLevel)))
)

export const makeExecutor = (
  config: ResolvedConfig,
  httpClient: HttpClient.HttpClient,
  limiter: ClientRateLimiter
): Executor => {
  const transformed = config.transformClient === undefined ? httpClient : config.transformClient(httpClient)
  // The SDK span carries the operation, method, path, status and request id; Effect's own
  // HTTP client span under it (URL attributes, query redaction, header filters) was a
  // second span per attempt with nothing more to say, about a fifth of the executor's CPU
  // on an empty answer (bench/call-overhead.ts profile). Scoped to the SDK's own requests:
  // an `accessToken` effect's HTTP calls keep theirs.
  const client = HttpClient.transform(transformed, (effect) =>
    Effect.provideService(effect, HttpClient.TracerDisabledWhen, disableHttpClientSpan)
  )
  // `send` hands the response body to its caller: tie the request's lifetime to the caller's Scope.
  const scopedClient = HttpClient.withScope(client)

  // Secret values to scrub from any text copied out of a response or a cause.
  const secrets: Array<string> = []
  const remember = (secret: string) => {
    if (!secrets.includes(secret)) {
      secrets.push(secret)
      // A refreshed token replaces older ones; keep the list short.
      if (secrets.length > 8) secrets.splice(1, 1)
    }
  }

  const baseHeaders: Record<string, string> = {
    accept: "application/json",
    "user-agent": config.userAgent,
    ...config.headers
  }

  const bearer = (token: Redacted.Redacted<string>): Auth => ({
    params: [],
    headers: { authorization: `Bearer ${Redacted.value(token)}` }
  })

  const auth: Effect.Effect<Auth, FlashdutyError> = (() => {
    const credentials = config.credentials
    switch (credentials._tag) {
      case "AppKey": {
        remember(Redacted.value(credentials.appKey))
        // A Redacted query value is shown as <redacted> by effect's URL and span helpers.
        return Effect.succeed({ params: [["app_key", credentials.appKey]], headers: {} })
      }
      case "StaticToken": {
        remember(Redacted.value(credentials.token))
        return Effect.succeed(bearer(credentials.token))
      }
      case "TokenEffect":
        return credentials.token.pipe(
          Effect.mapError(
            () => new Unauthorized({ message: "the accessToken effect failed; no request was sent" })
          ),
          Effect.map((secret: SecretInput) => {
            const token = Redacted.isRedacted(secret) ? secret : Redacted.make(secret)
            remember(Redacted.value(token))
            return bearer(token)
          })
        )
    }
  })()

  const encodeInput = (
    operation: OperationInfo,
    schema: Schema.Codec<unknown, unknown> | undefined,
    input: unknown
  ) =>
    schema === undefined
      ? Effect.succeed(undefined as unknown)
      : encoderOf(schema)(input).pipe(
          Effect.mapError((issue) => {
            const problem = firstProblem(issue)
            return new InvalidParameter({
              message: `${operation.operationId}: invalid request${
                problem.path === "" ? "" : ` at ${problem.path}`
              }: ${problem.message} (nothing was sent)`,
              operationId: operation.operationId,
              path: problem.path
            })
          })
        )

  const partsFor = (
    operation: OperationInfo,
    options: CallOptions | undefined,
    credentials: Auth
  ): RequestParts => ({
    url: config.baseUrl + operation.path,
    headers:
      options?.headers === undefined
        ? { ...baseHeaders, ...credentials.headers }
        : { ...baseHeaders, ...credentials.headers, ...lowerCaseKeys(options.headers) },
    params: credentials.params
  })

  const timeoutOf = (options: CallOptions | undefined) =>
    options?.timeout === undefined ? config.timeout : Duration.fromInputUnsafe(options.timeout)

  const timedOut = (operation: OperationInfo, timeout: Duration.Duration) => () =>
    Effect.fail(
      new TransportError({
        message: `${operation.operationId} timed out after ${Duration.format(timeout)}`,
        operationId: operation.operationId,
        reason: "Timeout"
      })
    )

  /** Reads an answer's envelope (status, headers, body text) as of now on the `Clock`. */
  const interpretAnswer = <A>(
    operation: OperationInfo,
    response: HttpClientResponse.HttpClientResponse,
    text: string,
    decodeData: (data: unknown) => Effect.Effect<A, SchemaIssue.Issue>
  ) =>
    Effect.flatMap(Clock.currentTimeMillis, (nowMillis) =>
      interpret(
        {
          operationId: operation.operationId,
          status: response.status,
          headers: response.headers,
          text,
          nowMillis,
          secrets
        },
        decodeData
      )
    )

  const mapClientError =
    (operation: OperationInfo) =>
    (error: unknown): FlashdutyError =>
      HttpClientError.isHttpClientError(error)
        ? fromHttpClientError(error, operation.operationId, secrets)
        : (error as FlashdutyError)

  const logRequest = (operation: OperationInfo, payload: RequestPayload) =>
    Effect.flatMap(isDebugEnabled, (debug) =>
      debug
        ? Effect.logDebug(`flashduty → ${operation.httpMethod} ${operation.path}`, {
            operationId: operation.operationId,
            body: payload._tag === "Json" ? redactJson(payload.encoded, secrets) : "<binary body>"
          })
        : Effect.void
    )

  const logResponse = (operation: OperationInfo, status: number, text: string) =>
    Effect.flatMap(isDebugEnabled, (debug) => {
      if (!debug) return Effect.void
      let body: unknown
      try {
        body = redactJson(JSON.parse(text), secrets)
      } catch {
        body = preview(text, secrets, 500)
      }
      return Effect.logDebug(`flashduty ← ${status} ${operation.path}`, {
        operationId: operation.operationId,
        body
      })
    })

  const withRetry = <A, R>(
    operation: OperationInfo,
    options: CallOptions | undefined,
    attempt: Effect.Effect<A, FlashdutyError, R>
  ): Effect.Effect<A, FlashdutyError, R> => {
    const policy: RetryPolicy | false = options?.retry === undefined ? config.retry : options.retry
    if (policy === false) return attempt
    // The safety rule gates before the policy: an error that will not be retried (a write's
    // 5xx, a 4xx) passes the retry as a value, so the user's schedule (its taps, counters)
    // only ever sees errors that it may retry. `Effect.retry`'s `while` would step the
    // schedule first.
    const gated = attempt.pipe(
      Effect.map(Result.succeed),
      Effect.catchIf(
        (error) => !isRetryable(error, operation.access),
        (error) => Effect.succeed(Result.fail(error))
      )
    )
    return Effect.flatMap(Effect.retry(gated, policy), Effect.fromResult)
  }

  // One span per call, built once per operation. Its stack trace would only ever point at
  // this file, so it is not captured (a `new Error()` per call, ~2% of the call's CPU).
  const spanOptions = new WeakMap<OperationInfo, Tracer.SpanOptions>()
  const spanOptionsOf = (operation: OperationInfo): Tracer.SpanOptions => {
    let options = spanOptions.get(operation)
    if (options === undefined) {
      options = {
        kind: "client",
        captureStackTrace: false,
        attributes: {
          "flashduty.operation_id": operation.operationId,
          "flashduty.service": operation.service,
          "http.request.method": operation.httpMethod,
          "url.path": operation.path
        }
      }
      spanOptions.set(operation, options)
    }
    return options
  }

  // Data-first on purpose: effect 4.1's data-last `withSpan(name, options)` reads the stack
  // option from the wrong argument and captures a stack per call despite `captureStackTrace: false`.
  const traced = <A, R>(operation: OperationInfo, effect: Effect.Effect<A, FlashdutyError, R>) =>
    Effect.withSpan(
      Effect.tapError(effect, (error) =>
        Effect.annotateCurrentSpan({
          "flashduty.error": error._tag,
          ...(error.status === undefined ? {} : { "http.response.status_code": error.status }),
          ...(error.requestId === undefined ? {} : { "flashduty.request_id": error.requestId }),
          ...(error.code === undefined ? {} : { "flashduty.error_code": error.code })
        })
      ),
      `Flashduty.${operation.operationId}`,
      spanOptionsOf(operation)
    )

  const call = <I, A>(
    endpoint: Endpoint<I, A>,
    input: I,
    options?: CallOptions
  ): Effect.Effect<ApiResponse<A>, FlashdutyError> => {
    const operation = endpoint.operation
    const decode = decoderOf(endpoint.response as Schema.Codec<unknown, unknown>) as (
      data: unknown
    ) => Effect.Effect<A, SchemaIssue.Issue>
    const timeout = timeoutOf(options)
    const maxBytes = options?.maxResponseBytes ?? config.maxResponseBytes
    const onTimeout = timedOut(operation, timeout)
    const mapError = mapClientError(operation)

    const program = Effect.flatMap(
      encodeInput(operation, endpoint.request as Schema.Codec<unknown, unknown> | undefined, input),
      (encoded) => {
        const payload: RequestPayload = { _tag: "Json", encoded }
        const exchange = (request: ReturnType<typeof buildRequest>) =>
          client.execute(request).pipe(
            Effect.flatMap((response) =>
              Effect.map(readBodyCapped(response, maxBytes, operation.operationId), (text) => ({
                response,
                text
              }))
            ),
            Effect.mapError(mapError),
            Effect.timeoutOrElse({ duration: timeout, orElse: onTimeout })
          )
        const attempt = auth.pipe(
          Effect.tap(() => limiter.acquire(operation)),
          Effect.flatMap((credentials) =>
            exchange(buildRequest(operation, payload, partsFor(operation, options, credentials)))
          ),
          Effect.flatMap(({ response, text }) =>
            logResponse(operation, response.status, text).pipe(
              Effect.andThen(interpretAnswer(operation, response, text, decode)),
              Effect.tap((result) =>
                Effect.annotateCurrentSpan({
                  "http.response.status_code": result.meta.status,
                  ...(result.meta.requestId === undefined
                    ? {}
                    : { "flashduty.request_id": result.meta.requestId })
                })
              )
            )
          )
        )
        return Effect.andThen(logRequest(operation, payload), withRetry(operation, options, attempt))
      }
    )
    return traced(operation, program)
  }

  const send = <I>(
    endpoint: Endpoint<I, unknown>,
    input: I | HttpBody.HttpBody,
    options?: CallOptions
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, FlashdutyError, Scope.Scope> => {
    const operation = endpoint.operation
    const timeout = timeoutOf(options)
    const maxBytes = options?.maxResponseBytes ?? config.maxResponseBytes
    const onTimeout = timedOut(operation, timeout)
    const mapError = mapClientError(operation)
    const payloadEffect: Effect.Effect<RequestPayload, FlashdutyError> = HttpBody.isHttpBody(input)
      ? Effect.succeed({ _tag: "Body", body: input })
      : Effect.map(
          encodeInput(operation, endpoint.request as Schema.Codec<unknown, unknown> | undefined, input),
          (encoded) => ({ _tag: "Json", encoded })
        )

    const program = Effect.flatMap(payloadEffect, (payload) => {
      const attempt = auth.pipe(
        Effect.tap(() => limiter.acquire(operation)),
        Effect.flatMap((credentials) =>
          // The timeout covers the exchange up to the response head; the body is the caller's to stream.
          scopedClient
            .execute(buildRequest(operation, payload, partsFor(operation, options, credentials)))
            .pipe(Effect.mapError(mapError), Effect.timeoutOrElse({ duration: timeout, orElse: onTimeout }))
        ),
        Effect.tap((response) =>
          Effect.annotateCurrentSpan({ "http.response.status_code": response.status })
        ),
        Effect.flatMap((response) => {
          if (response.status >= 200 && response.status < 300) return Effect.succeed(response)
          return readBodyCapped(response, maxBytes, operation.operationId).pipe(
            Effect.mapError(mapError),
            Effect.timeoutOrElse({ duration: timeout, orElse: onTimeout }),
            Effect.flatMap((text) => interpretAnswer(operation, response, text, Effect.succeed)),
            // A non-2xx answer always fails above; this only satisfies the types.
            Effect.as(response)
          )
        })
      )
      return Effect.andThen(logRequest(operation, payload), withRetry(operation, options, attempt))
    })
    return traced(operation, program)
  }

  return { call, send }
}
