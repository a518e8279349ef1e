/**
 * One attempt's successful (2xx) answer, as the request pipeline hands it to the reader of
 * an operation (`FlashdutyClient.exchange`). Each way of reading keeps the pipeline's rules:
 * the caps count decoded bytes, secrets are scrubbed from everything copied out, and a body
 * held in memory is read within the attempt's timeout.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { FlashdutyClient, type Answer } from "effect-flashduty"
 *
 * // Read a JSON answer as the envelope, anything else as text.
 * const read = (answer: Answer) => (answer.isJson ? answer.envelope((data) => Effect.succeed(data)) : answer.text)
 * ```
 */
import type * as Effect from "effect/Effect"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import type * as SchemaIssue from "effect/SchemaIssue"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"
import type { ApiResponse, ResponseMeta } from "./ApiResponse.js"
import type { FlashdutyError } from "./Errors.js"

export interface Answer {
  readonly operationId: string
  readonly status: number
  /** `Content-Type` as sent, when there was one. */
  readonly contentType: string | undefined
  /** Whether the `Content-Type` announces JSON (`application/json`, `…+json`). */
  readonly isJson: boolean
  /** The `Flashcat-Request-Id` header, scrubbed of secrets. */
  readonly requestId: string | undefined
  /** Scrubs the client's secrets from a text copied out of this answer (an error line, say). */
  readonly scrub: (text: string) => string
  /** A response header by lower-case name, scrubbed of secrets. */
  readonly header: (name: string) => string | undefined
  /**
   * The whole body as text, at most `maxResponseBytes` decoded bytes (else `TransportError`
   * `BodyTooLarge`), read within the attempt's timeout. Can be read once.
   */
  readonly text: Effect.Effect<string, FlashdutyError>
  /** The body read as the Flashduty JSON envelope, `data` decoded by `decode`. */
  readonly envelope: <A>(
    decode: (data: unknown) => Effect.Effect<A, SchemaIssue.Issue>
  ) => Effect.Effect<ApiResponse<A>, FlashdutyError>
  /**
   * The body as bytes, read as the stream is consumed (after the attempt, within the
   * caller's `Scope`): no size cap, but a pause longer than the timeout between two reads
   * fails it with `TransportError` `Timeout`. Can be consumed once.
   */
  readonly bytes: Stream.Stream<Uint8Array, FlashdutyError>
  /**
   * `bytes`, after a look at its first chunk (within the attempt's timeout): an HTML or XML page
   * where a file or NDJSON was expected (a proxy's error page, a login page) fails with
   * `GatewayError`, as does a `text/html` content type, and so does an empty body when
   * `emptyIsError`. The stream must be consumed within the `Scope`.
   */
  readonly body: (options?: {
    readonly emptyIsError?: boolean
  }) => Effect.Effect<Stream.Stream<Uint8Array, FlashdutyError>, FlashdutyError, Scope.Scope>
  /** Whether a text looks like an HTML or XML page (for answers read whole as text). */
  readonly isMarkup: (text: string) => boolean
  /** The `GatewayError` of an answer that is a page, or empty, where data was expected. */
  readonly notData: (text: string) => FlashdutyError
  /** Metadata of an answer that is not an envelope (a file, NDJSON): status, scrubbed headers, rate limits. */
  readonly meta: Effect.Effect<ResponseMeta>
  /**
   * The underlying response, for what the above does not cover. Reading its body directly
   * bypasses the caps and the timeout: prefer `text`, `envelope` or `bytes`.
   */
  readonly response: HttpClientResponse.HttpClientResponse
}
