/**
 * The request pipeline behind every operation (`FlashdutyClient.call`, `.send`, `.exchange`,
 * and through them the special operations: exports, uploads, NDJSON). One call:
 *
 * 1. check the per-call options (`InvalidParameter`, nothing sent);
 * 2. encode the input with the operation's schema and serialise it once (`InvalidParameter`
 *    naming the field, nothing sent);
 * 3. for each attempt: wait for the rate limiter; then, within the per-attempt timeout, get
 *    the credentials (a token effect runs here, right before sending), send, and read the
 *    answer (a non-2xx answer becomes its tagged error; a 2xx one is handed to the
 *    operation's reader, whose whole-body reads count against the timeout and the cap);
 * 4. retry what is safe to retry (`retryGate.ts`), never a body that cannot be replayed;
 * 5. all in one span (`callSpan.ts`), with debug logs that never show a secret (`debugLog.ts`).
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HttpBody from "effect/http/HttpBody"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Result from "effect/Result"
import type * as Schema from "effect/Schema"
import type * as SchemaIssue from "effect/SchemaIssue"
import * as Scope from "effect/Scope"
import type { Answer } from "../Answer.js"
import type { Endpoint } from "../Endpoint.js"
import {
  type FlashdutyError,
  GatewayError,
  type InvalidParameter,
  TransportError,
  Unauthorized
} from "../Errors.js"
import type { FlashdutyClientService } from "../FlashdutyClient.js"
import { type CallOptions, ConfigurationError } from "../FlashdutyOptions.js"
import type { OperationInfo } from "../Operation.js"
import type { ClientRateLimiter } from "../RateLimit.js"
import type { RetryPolicy } from "../Retry.js"
import { makeAnswer } from "./answer.js"
import {
  bodyPayload,
  buildRequest,
  type RequestParts,
  type RequestPayload,
  serialize
} from "./buildRequest.js"
import { type CheckedCallOptions, checkCallOptions } from "./callOptions.js"
import { annotateAnswer, traced } from "./callSpan.js"
import { clip } from "./clip.js"
import type { ResolvedConfig } from "./config.js"
import { type Auth, makeAuth, SecretList } from "./credentials.js"
import { logAnswer, logRequest } from "./debugLog.js"
import { guardInput, invalidInput } from "./inputGuard.js"
import { isRedirectStatus, refuseRedirects } from "./refuseRedirects.js"
import { withRetry } from "./retryGate.js"
import { decoderOf, encoderOf } from "./schemaCodec.js"
import { firstProblem } from "./schemaIssue.js"
import { fromHttpClientError } from "./transportError.js"

/** The executor is the client's service: `call`, `send` and `exchange`, as documented there. */
export type Executor = FlashdutyClientService

/** What one call runs with: its options checked and merged over the client's. */
interface Settings {
  readonly timeout: Duration.Duration
  readonly maxBytes: number
  readonly retry: RetryPolicy | false
  readonly headers: Readonly<Record<string, string>> | undefined
}

const disableHttpClientSpan = () => true

/**
 * Runs `effect` in a scope of its own, inside the caller's: closed (aborting the request)
 * as soon as the attempt fails, left to the caller's scope when it succeeds (a streamed body
 * is read later, in that scope).
 */
const inAttemptScope = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E, Exclude<R, Scope.Scope> | Scope.Scope> =>
  Effect.flatMap(Effect.scope, (parent) =>
    Effect.flatMap(Scope.fork(parent, "sequential"), (scope) =>
      effect.pipe(
        Scope.provide(scope),
        Effect.onExit((exit) => (Exit.isFailure(exit) ? Scope.close(scope, exit) : Effect.void))
      )
    )
  )

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

export const makeExecutor = (
  config: ResolvedConfig,
  httpClient: HttpClient.HttpClient,
  limiter: ClientRateLimiter,
  layerFetch: typeof globalThis.fetch | undefined
): Effect.Effect<Executor, ConfigurationError> =>
  Effect.map(applyTransform(config, refuseRedirects(httpClient, layerFetch)), (transformed) =>
    executorOver(config, transformed, limiter)
  )

const executorOver = (
  config: ResolvedConfig,
  transformed: HttpClient.HttpClient,
  limiter: ClientRateLimiter
): Executor => {
  // The SDK span carries the operation, method, path, status and request id; Effect's own
  // HTTP client span under it (URL attributes, query redaction, header filters) was a second
  // span per attempt with nothing more to say. Scoped to the SDK's own requests: an
  // `accessToken` effect's HTTP calls keep theirs. The request's lifetime is the attempt's scope.
  const client = HttpClient.withScope(
    HttpClient.transform(transformed, (effect) =>
      Effect.provideService(effect, HttpClient.TracerDisabledWhen, disableHttpClientSpan)
    )
  )

  const secrets = new SecretList()
  const authOf = makeAuth(config.credentials, secrets)

  const baseHeaders: Record<string, string> = {
    accept: "application/json",
    "user-agent": config.userAgent,
    ...config.headers
  }

  const settingsOf = (checked: CheckedCallOptions): Settings => ({
    timeout: checked.timeout ?? config.timeout,
    maxBytes: checked.maxResponseBytes ?? config.maxResponseBytes,
    retry: checked.retry ?? config.retry,
    headers: checked.headers
  })

  const partsFor = (operation: OperationInfo, settings: Settings, auth: Auth): RequestParts => ({
    url: config.baseUrl + operation.path,
    headers:
      settings.headers === undefined
        ? { ...baseHeaders, ...auth.headers }
        : { ...baseHeaders, ...settings.headers, ...auth.headers },
    params: auth.params
  })

  /**
   * The call's payload: a ready body, a body the operation prepares, or the input encoded and
   * serialised. All of it under `guardInput`: even asking what the input is runs the caller's
   * code (a `Proxy`'s traps), and whatever that throws is the caller's `InvalidParameter`.
   */
  const payloadOf = (
    operation: OperationInfo,
    schema: Schema.Codec<unknown, unknown> | undefined,
    input: unknown
  ): Effect.Effect<RequestPayload, InvalidParameter> =>
    guardInput(
      operation.operationId,
      secrets.values,
      Effect.suspend((): Effect.Effect<RequestPayload, InvalidParameter> => {
        if (HttpBody.isHttpBody(input)) return Effect.succeed(bodyPayload(input))
        // A body the operation prepares from the caller's input (multipart).
        if (Effect.isEffect(input))
          return Effect.map(input as Effect.Effect<HttpBody.HttpBody, InvalidParameter>, bodyPayload)
        const invalid = (path: string, message: string) =>
          invalidInput(operation.operationId, path, message, secrets.values)
        const encoded =
          schema === undefined
            ? Effect.succeed(input)
            : Effect.mapError(encoderOf(schema)(input), (issue) => {
                const problem = firstProblem(issue)
                return invalid(problem.path, problem.message)
              })
        return Effect.flatMap(encoded, (value) => {
          const serialized = serialize(operation, value)
          return Result.isSuccess(serialized)
            ? Effect.succeed(serialized.success)
            : Effect.fail(invalid(serialized.failure.path, serialized.failure.message))
        })
      })
    )

  const mapClientError =
    (operation: OperationInfo, attemptSecrets: ReadonlyArray<string>) =>
    (error: unknown): FlashdutyError =>
      HttpClientError.isHttpClientError(error)
        ? fromHttpClientError(error, operation.operationId, attemptSecrets)
        : (error as FlashdutyError)

  /** Hands a 2xx answer to `read`; any other answer fails with its tagged error. */
  const answerWith = <A, R>(
    operation: OperationInfo,
    response: HttpClientResponse.HttpClientResponse,
    settings: Settings,
    attemptSecrets: ReadonlyArray<string>,
    read: (answer: Answer) => Effect.Effect<A, FlashdutyError, R>
  ): Effect.Effect<A, FlashdutyError, R> => {
    const answer = makeAnswer(response, {
      operationId: operation.operationId,
      secrets: attemptSecrets,
      maxBytes: settings.maxBytes,
      idleTimeout: settings.timeout,
      onText: (status, text) => logAnswer(operation, status, text, attemptSecrets)
    })
    const status = response.status
    return Effect.andThen(annotateAnswer(status, answer.requestId), () => {
      // 204 and 205 carry no body: the API always answers with one, so a proxy did.
      if (status >= 200 && status < 300 && status !== 204 && status !== 205) return read(answer)
      if (isRedirectStatus(status)) {
        // A client that bypassed `refuseRedirects` (a transformClient's own): never followed.
        return Effect.fail(
          new GatewayError({
            message: `${operation.operationId}: HTTP ${status} redirect refused: the Flashduty API never redirects`,
            operationId: operation.operationId,
            status,
            preview: ""
          })
        )
      }
      // The envelope of a non-2xx (or bodiless) answer always fails, with the error it carries.
      return Effect.flatMap(answer.envelope(Effect.succeed), () =>
        Effect.die(new Error(`unreachable: HTTP ${status} interpreted as a success`))
      )
    })
  }

  /**
   * One attempt: the limiter's wait, then credentials, send and read within the timeout.
   * A timeout before the credentials arrived is the token effect's: `Unauthorized`.
   */
  const attempt = <A, R>(
    operation: OperationInfo,
    payload: RequestPayload,
    settings: Settings,
    read: (answer: Answer) => Effect.Effect<A, FlashdutyError, R>
  ): Effect.Effect<A, FlashdutyError, Exclude<R, Scope.Scope> | Scope.Scope> =>
    Effect.andThen(
      limiter.acquire(operation),
      Effect.suspend(() => {
        let sending = false
        const exchange = Effect.flatMap(authOf(operation.operationId), (auth) => {
          sending = true
          const attemptSecrets = secrets.withSecret(auth.secret)
          return Effect.flatMap(
            Effect.mapError(
              client.execute(buildRequest(operation, payload, partsFor(operation, settings, auth))),
              mapClientError(operation, attemptSecrets)
            ),
            (response) => answerWith(operation, response, settings, attemptSecrets, read)
          )
        })
        return inAttemptScope(
          Effect.timeoutOrElse(exchange, {
            duration: settings.timeout,
            orElse: () =>
              Effect.fail(
                sending
                  ? new TransportError({
                      message: `${operation.operationId} timed out after ${Duration.format(settings.timeout)}`,
                      operationId: operation.operationId,
                      reason: "Timeout"
                    })
                  : new Unauthorized({
                      message: `${operation.operationId}: the accessToken effect did not finish within the timeout (${Duration.format(settings.timeout)}); nothing was sent`,
                      operationId: operation.operationId
                    })
              )
          })
        )
      })
    )

  const exchange: Executor["exchange"] = <I, A>(
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
        const settings = settingsOf(checked.success)
        return Effect.flatMap(
          payloadOf(operation, endpoint.request as Schema.Codec<unknown, unknown> | undefined, input),
          (payload) =>
            Effect.andThen(
              logRequest(operation, payload, secrets.values),
              withRetry(
                operation,
                settings.retry,
                payload.replayable,
                attempt(operation, payload, settings, read)
              )
            )
        )
      })
    )
  }

  const call: Executor["call"] = <I, A>(endpoint: Endpoint<I, A>, input: I, options?: CallOptions) => {
    const decode = decoderOf(endpoint.response as Schema.Codec<unknown, unknown>) as (
      data: unknown
    ) => Effect.Effect<A, SchemaIssue.Issue>
    return Effect.scoped(exchange(endpoint, input, options, (answer) => answer.envelope(decode)))
  }

  const send: Executor["send"] = (endpoint, input, options) =>
    exchange(endpoint, input, options, (answer) => Effect.succeed(answer.response))

  return { call, send, exchange }
}
