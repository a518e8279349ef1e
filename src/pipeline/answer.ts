/**
 * Builds the {@link Answer} of one attempt: the ways an operation may read a response, each
 * bounded (decoded-byte cap, timeout) and scrubbed of secrets the same way, so that no kind
 * of operation reads a body by rules of its own.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Pull from "effect/Pull"
import type * as SchemaIssue from "effect/SchemaIssue"
import * as Stream from "effect/Stream"
import type { Answer } from "../Answer.js"
import type { ApiResponse } from "../ApiResponse.js"
import { type FlashdutyError, GatewayError, TransportError } from "../Errors.js"
import { interpret } from "./envelope.js"
import { readBodyCapped } from "./readBody.js"
import { preview, scrubText, scrubValue } from "./redact.js"
import { buildMeta } from "./responseMeta.js"
import { fromHttpClientError } from "./transportError.js"

/** What the pipeline knows when an answer arrives. */
export interface AnswerContext {
  readonly operationId: string
  /** Secrets to scrub from anything copied out of the answer. */
  readonly secrets: ReadonlyArray<string>
  /** Cap of a body read whole, in decoded bytes. */
  readonly maxBytes: number
  /** Longest pause between two reads of a streamed body. */
  readonly idleTimeout: Duration.Duration
  /** Called with a body read whole (debug logging). */
  readonly onText: (status: number, text: string) => Effect.Effect<void>
}

/** The error of a body that stopped arriving. */
const stalled = (context: AnswerContext, status: number) =>
  new TransportError({
    message: `the response body of ${context.operationId} stalled: nothing arrived for ${Duration.format(context.idleTimeout)}`,
    operationId: context.operationId,
    status,
    reason: "Timeout"
  })

/**
 * Fails a stream with `onIdle` when one pull takes longer than `timeout`; a stream that keeps
 * producing is never cut, however long it runs in all.
 */
const failWhenIdle = <A, E>(
  stream: Stream.Stream<A, E>,
  timeout: Duration.Duration,
  onIdle: () => E
): Stream.Stream<A, E> =>
  Stream.transformPull(stream, (pull) =>
    Effect.succeed(Effect.timeoutOrElse(pull, { duration: timeout, orElse: () => Effect.fail(onIdle()) }))
  )

/** Whether a `Content-Type` announces JSON (`application/json`, `application/problem+json`, ...). */
const isJsonContentType = (contentType: string | undefined): boolean => {
  if (contentType === undefined) return false
  const essence = (contentType.split(";")[0] ?? "").trim().toLowerCase()
  return essence === "application/json" || (essence.startsWith("application/") && essence.endsWith("+json"))
}

const markup = /^\s*(<!doctype\s|<html[\s>]|<head[\s>]|<body[\s>]|<\?xml\s|<!--)/i
const markupTypes = /^\s*(text\/html|application\/xhtml\+xml)\s*(;|$)/i

/** Whether a text (the start of a body) is an HTML or XML page: a proxy's, a login page. */
const isMarkup = (text: string): boolean => markup.test(text.startsWith("\ufeff") ? text.slice(1) : text)

const utf8 = new TextDecoder()

/** The answer of one attempt, for `response`. */
export const makeAnswer = (
  response: HttpClientResponse.HttpClientResponse,
  context: AnswerContext
): Answer => {
  const { operationId, secrets } = context
  const header = (name: string): string | undefined => {
    const value = response.headers[name]
    return value === undefined ? undefined : scrubValue(value, secrets)
  }
  const mapReadError = (error: TransportError | HttpClientError.HttpClientError): FlashdutyError =>
    error._tag === "TransportError" ? error : fromHttpClientError(error, operationId, secrets)

  const text = Effect.flatMap(
    Effect.mapError(readBodyCapped(response, context.maxBytes, operationId), mapReadError),
    (body) => Effect.as(context.onText(response.status, body), body)
  )

  const envelope = <A>(
    decode: (data: unknown) => Effect.Effect<A, SchemaIssue.Issue>
  ): Effect.Effect<ApiResponse<A>, FlashdutyError> =>
    Effect.flatMap(text, (body) =>
      Effect.flatMap(Clock.currentTimeMillis, (nowMillis) =>
        interpret(
          { operationId, status: response.status, headers: response.headers, text: body, nowMillis, secrets },
          decode
        )
      )
    ).pipe(
      // The envelope's own request id, when it differs from the header's (or there was none).
      Effect.tap(({ meta }) =>
        meta.requestId === undefined
          ? Effect.void
          : Effect.annotateCurrentSpan("flashduty.request_id", meta.requestId)
      )
    )

  const bytes = failWhenIdle(
    Stream.mapError(response.stream, (error) => fromHttpClientError(error, operationId, secrets)),
    context.idleTimeout,
    () => stalled(context, response.status)
  )

  const contentType = response.headers["content-type"]
  const htmlType = contentType !== undefined && markupTypes.test(contentType)

  /** A page (or nothing) where a file or NDJSON was expected: what a proxy or login page answers. */
  const notData = (text: string): FlashdutyError =>
    new GatewayError({
      message: `HTTP ${response.status} with ${text.trim() === "" ? "an empty body" : "an HTML page"} from ${operationId} where data was expected (a proxy or gateway answered?)`,
      operationId,
      status: response.status,
      ...(header("flashcat-request-id") === undefined
        ? {}
        : { requestId: header("flashcat-request-id") as string }),
      preview: preview(text, secrets)
    })

  const body: Answer["body"] = (options) =>
    Effect.flatMap(Stream.toPull(bytes), (pull) =>
      Pull.matchEffect(pull, {
        onSuccess: (chunks) => {
          const head = utf8.decode(chunks[0].subarray(0, 1024))
          if (htmlType || isMarkup(head)) return Effect.fail(notData(head))
          return Effect.succeed(
            Stream.concat(Stream.fromIterable(chunks), Stream.fromPull(Effect.succeed(pull)))
          )
        },
        onFailure: Effect.failCause,
        onDone: () =>
          htmlType || options?.emptyIsError === true ? Effect.fail(notData("")) : Effect.succeed(Stream.empty)
      })
    )

  return {
    operationId,
    status: response.status,
    contentType,
    isJson: isJsonContentType(contentType),
    requestId: header("flashcat-request-id"),
    scrub: (text) => scrubText(text, secrets),
    header,
    text,
    envelope,
    bytes,
    body,
    isMarkup: (text) => htmlType || isMarkup(text),
    notData,
    meta: Effect.map(Clock.currentTimeMillis, (nowMillis) =>
      buildMeta(
        response.status,
        response.headers,
        header("flashcat-request-id"),
        undefined,
        nowMillis,
        secrets
      )
    ),
    response
  }
}
