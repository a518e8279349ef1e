/**
 * Step 3 of a call, one attempt: the rate limiter's wait; then, within the per-attempt
 * timeout, the credentials (a token effect runs here, right before sending), the request,
 * and the answer: a non-2xx (or bodiless, or redirect) answer becomes its tagged error, a 2xx
 * one goes to the operation's reader, whose whole-body reads count against the timeout and
 * the size cap. The attempt has a scope of its own: closed as soon as it fails, handed to the
 * caller's when it succeeds (a streamed body is read later); an `exchange`'s request is tied to
 * it (closing it aborts the request), a `call`'s is not: its answer is read whole within the
 * attempt, and an interruption aborts the request or cancels the body (`clientTransform.ts`).
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Scope from "effect/Scope"
import type { Answer } from "../Answer.js"
import { type FlashdutyError, GatewayError, TransportError, Unauthorized } from "../Errors.js"
import type { ClientRateLimiter } from "../RateLimit.js"
import type { OperationInfo } from "../runtime/Operation.js"
import { makeAnswer } from "./answer.js"
import { buildRequest, type RequestPayload } from "./buildRequest.js"
import { recordLimiterWait } from "./callMetrics.js"
import { annotateAnswer } from "./callSpan.js"
import type { ScopedClient } from "./clientTransform.js"
import type { Auth, SecretList } from "./credentials.js"
import { logAnswer } from "./debugLog.js"
import { discardBody } from "./readBody.js"
import { isRedirectStatus } from "./refuseRedirects.js"
import { traceHeaders } from "./traceContext.js"
import { fromHttpClientError } from "./transportError.js"

/** What one call runs with: its options checked and merged over the client's. */
export interface Settings {
  readonly timeout: Duration.Duration
  readonly maxBytes: number
  readonly headers: Readonly<Record<string, string>>
}

/** What every attempt of a client shares. */
export interface AttemptContext {
  /** The scoped client, or the one for answers read whole (`clientTransform.ts`). */
  readonly client: Pick<ScopedClient, "execute">
  readonly limiter: ClientRateLimiter
  readonly secrets: SecretList
  readonly baseUrl: string
  /** Send the call span's trace headers (`traceContext.ts`). */
  readonly traceContext: boolean
}

/** The rate limiter's wait, recorded in the metrics (`flashduty_rate_limiter_wait`). */
const waitForLimiter = (limiter: ClientRateLimiter, operation: OperationInfo): Effect.Effect<void> =>
  Effect.flatMap(Clock.currentTimeMillis, (started) =>
    Effect.andThen(
      limiter.acquire(operation),
      Effect.flatMap(Clock.currentTimeMillis, (ended) => recordLimiterWait(operation, ended - started))
    )
  )

/** Runs `effect` in a scope of its own, closed at once if it fails, else left to the caller's. */
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

/** Hands a 2xx answer to `read`; any other answer fails with its tagged error. */
const answerWith = <A, R>(
  operation: OperationInfo,
  response: HttpClientResponse.HttpClientResponse,
  settings: Settings,
  secrets: ReadonlyArray<string>,
  read: (answer: Answer) => Effect.Effect<A, FlashdutyError, R>
): Effect.Effect<A, FlashdutyError, R> => {
  const answer = makeAnswer(response, {
    operationId: operation.operationId,
    secrets,
    maxBytes: settings.maxBytes,
    idleTimeout: settings.timeout,
    onText: (status, text) => logAnswer(operation, status, text, secrets)
  })
  const status = response.status
  return Effect.andThen(annotateAnswer(status, answer.requestId), () => {
    // 204 and 205 carry no body: the API always answers with one, so a proxy did.
    if (status >= 200 && status < 300 && status !== 204 && status !== 205) return read(answer)
    if (isRedirectStatus(status)) {
      discardBody(response)
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
 * One attempt of `operation`. A timeout before the credentials arrived is the token
 * effect's (`Unauthorized`: nothing was sent); after, the exchange's (`TransportError`).
 */
export const attempt = <A, R>(
  context: AttemptContext,
  operation: OperationInfo,
  payload: RequestPayload,
  settings: Settings,
  credentials: Effect.Effect<Auth, Unauthorized>,
  read: (answer: Answer) => Effect.Effect<A, FlashdutyError, R>
): Effect.Effect<A, FlashdutyError, Exclude<R, Scope.Scope> | Scope.Scope> =>
  Effect.andThen(
    waitForLimiter(context.limiter, operation),
    Effect.suspend(() => {
      let sending = false
      const exchange = Effect.flatMap(credentials, (auth) => {
        sending = true
        // This attempt's own credential is scrubbed from its answer, even if it rotated out of the list.
        const secrets = context.secrets.withSecret(auth.secret)
        return context.traceContext
          ? Effect.flatMap(traceHeaders, (trace) => send(auth, secrets, trace))
          : send(auth, secrets, undefined)
      })
      const send = (
        auth: Auth,
        secrets: ReadonlyArray<string>,
        trace: Readonly<Record<string, string>> | undefined
      ) => {
        const request = buildRequest(operation, payload, {
          url: context.baseUrl + payload.path,
          // A caller's own trace header (through `headers`) wins over the span's.
          headers:
            trace === undefined
              ? { ...settings.headers, ...auth.headers }
              : { ...trace, ...settings.headers, ...auth.headers },
          params: auth.params
        })
        return Effect.flatMap(
          Effect.mapError(context.client.execute(request), (error) =>
            HttpClientError.isHttpClientError(error)
              ? fromHttpClientError(error, operation.operationId, secrets)
              : (error as FlashdutyError)
          ),
          (response) => answerWith(operation, response, settings, secrets, read)
        )
      }
      const timeout = Duration.format(settings.timeout)
      return inAttemptScope(
        Effect.timeoutOrElse(exchange, {
          duration: settings.timeout,
          orElse: () =>
            Effect.fail(
              sending
                ? new TransportError({
                    message: `${operation.operationId} timed out after ${timeout}`,
                    operationId: operation.operationId,
                    reason: "Timeout"
                  })
                : new Unauthorized({
                    message: `${operation.operationId}: the accessToken effect did not finish within the timeout (${timeout}); nothing was sent`,
                    operationId: operation.operationId
                  })
            )
        })
      )
    })
  )
