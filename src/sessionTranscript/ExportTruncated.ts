/**
 * The transcript export failed on the server after it had already answered 200.
 */
import * as Schema from "effect/Schema"

/**
 * The export body ended with the server's JSON error line instead of an event: the
 * transcript is incomplete. Carries that line's `code` and message, and how many lines
 * arrived (and were emitted) before it.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { Flashduty } from "effect-flashduty"
 *
 * const count = Effect.gen(function* () {
 *   const fd = yield* Flashduty
 *   return yield* Stream.runCount(fd.sessions.export({ session_id: "sess_1" }))
 * }).pipe(
 *   Effect.catchTag("ExportTruncated", (e) =>
 *     Effect.fail(`export cut after ${e.linesReceived} lines: ${e.code} ${e.errorMessage}`))
 * )
 * ```
 */
export class ExportTruncated extends Schema.TaggedError<ExportTruncated>()("ExportTruncated", {
  /** Human-readable summary. */
  message: Schema.String,
  /** `error.code` of the error line (a Flashduty `ErrorCode`), when it had one. */
  code: Schema.optionalKey(Schema.String),
  /** `error.message` of the error line, verbatim, when it had one. */
  errorMessage: Schema.optionalKey(Schema.String),
  /** Lines received before the error line (the first is the `session_meta`). */
  linesReceived: Schema.Number,
  operationId: Schema.optionalKey(Schema.String),
  /** The error line's `request_id`, else the response's. */
  requestId: Schema.optionalKey(Schema.String)
}) {}
