/**
 * `sessions.export` (`POST /safari/session/export`): an AI SRE session transcript as
 * NDJSON, read in constant memory. The generated `Sessions` service spreads
 * `make(client, endpoint)` into itself.
 *
 * - `export`: a `Stream` of decoded {@link ExportLine}s (pipe it through `withOwners` to
 *   know whose event each line is when `include_subagents` is set).
 * - `exportRaw`: the body's bytes, unchanged, for writing the transcript byte for byte.
 * - `exportToFile`: `exportRaw` written to a path through `FileSystem`, with progress.
 *
 * All three fail (never end quietly) when the transcript is incomplete: `ExportTruncated`
 * for the server's trailing error line, `NdjsonLineError` for a body cut mid-line or an
 * over-long line, `DecodeError` for a body without its `session_meta`. A non-2xx answer
 * fails with the usual tagged errors before any element. Interrupting the stream (a
 * `take`, a timeout) closes the HTTP response.
 */
import * as Effect from "effect/Effect"
import type * as FileSystem from "effect/FileSystem"
import type * as PlatformError from "effect/PlatformError"
import type * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type { Answer } from "../Answer.js"
import { DecodeError, type FlashdutyError } from "../Errors.js"
import type { FlashdutyClient } from "../FlashdutyClient.js"
import type { CallOptions } from "../FlashdutyOptions.js"
import type { SessionExportRequest } from "../generated/Sessions.js"
import { decoderOf } from "../pipeline/schemaCodec.js"
import type { Endpoint } from "../runtime/Endpoint.js"
import type { ExportLine } from "../sessionTranscript/ExportLine.js"
import { checkRawTranscript } from "../sessionTranscript/RawTranscript.js"
import {
  decodeTranscript,
  type TranscriptError,
  type TranscriptOptions
} from "../sessionTranscript/SessionTranscript.js"
import { type WriteProgress, type WrittenFile, writeStreamToFile } from "../streaming/WriteToFile.js"

export interface ExportOptions extends CallOptions {
  /**
   * Longest accepted line, in decoded bytes. Default 16 MiB. The raw variants check only the
   * lines that could be the server's error line (any line not starting with `{"type":`).
   */
  readonly maxLineBytes?: number
}

export interface ExportToFileOptions<R = never> extends ExportOptions {
  /** Called after each chunk written. */
  readonly onProgress?: (progress: WriteProgress) => Effect.Effect<void, never, R>
}

export interface SessionExportMethods {
  /**
   * Export session transcript, one decoded line at a time.
   *
   * `POST /safari/session/export` (`session-read-export`, read, `application/x-ndjson`).
   * Rate limit: 1,000 requests/day; 200 requests/minute; 20 requests/second per account.
   *
   * @example
   * ```ts
   * import { Effect, Stream } from "effect"
   * import { Flashduty } from "effect-flashduty"
   *
   * const toolCalls = Effect.gen(function* () {
   *   const fd = yield* Flashduty
   *   return yield* fd.sessions.export({ session_id: "sess_1" }).pipe(
   *     Stream.filter((line) => line.type === "tool_call"),
   *     Stream.runCount
   *   )
   * })
   * ```
   */
  readonly export: (
    request: SessionExportRequest,
    options?: ExportOptions
  ) => Stream.Stream<ExportLine, FlashdutyError | TranscriptError>
  /**
   * The transcript's bytes exactly as sent, checked for truncation (see the module doc).
   *
   * @example
   * ```ts
   * import { Effect, Stream } from "effect"
   * import { Flashduty } from "effect-flashduty"
   *
   * const size = Effect.gen(function* () {
   *   const fd = yield* Flashduty
   *   return yield* Stream.runFold(fd.sessions.exportRaw({ session_id: "sess_1" }), () => 0, (n, c) => n + c.length)
   * })
   * ```
   */
  readonly exportRaw: (
    request: SessionExportRequest,
    options?: ExportOptions
  ) => Stream.Stream<Uint8Array, FlashdutyError | TranscriptError>
  /**
   * Writes the transcript to `path` (through `FileSystem`: provide `NodeFileSystem.layer`
   * or `@effect/platform-node`'s). The file appears only once the transcript is complete;
   * on failure no file is left behind.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Flashduty } from "effect-flashduty"
   * import { NodeFileSystem } from "effect-flashduty/node"
   *
   * const save = Effect.gen(function* () {
   *   const fd = yield* Flashduty
   *   return yield* fd.sessions.exportToFile({ session_id: "sess_1" }, "./sess_1.ndjson", {
   *     onProgress: ({ bytesWritten }) => Effect.logDebug(`${bytesWritten} bytes`)
   *   })
   * }).pipe(Effect.provide(NodeFileSystem.layer))
   * ```
   */
  readonly exportToFile: <R = never>(
    request: SessionExportRequest,
    path: string,
    options?: ExportToFileOptions<R>
  ) => Effect.Effect<
    WrittenFile,
    FlashdutyError | TranscriptError | PlatformError.PlatformError,
    FileSystem.FileSystem | R
  >
}

/**
 * The export methods of the `Sessions` service.
 *
 * @example
 * ```ts
 * const methods = SessionExport.make(client, endpoints.export)
 * ```
 */
export const make = <A>(
  client: FlashdutyClient["Service"],
  endpoint: Endpoint<SessionExportRequest, A>
): SessionExportMethods => {
  const operationId = endpoint.operation.operationId
  const decodeEnvelope = decoderOf(endpoint.response as Schema.Codec<unknown, unknown>)

  /** The 2xx NDJSON body; a JSON answer (an error envelope sent with 200) fails as `call` would. */
  const body = <B>(
    request: SessionExportRequest,
    options: CallOptions | undefined,
    read: (
      answer: Answer,
      bytes: Stream.Stream<Uint8Array, FlashdutyError>
    ) => Stream.Stream<B, FlashdutyError | TranscriptError>
  ): Stream.Stream<B, FlashdutyError | TranscriptError> =>
    Stream.unwrap(
      client.exchange(endpoint, request, options, (answer) => {
        if (!answer.isJson) return Effect.map(answer.body(), (bytes) => read(answer, bytes))
        return Effect.flatMap(answer.envelope(decodeEnvelope), () =>
          Effect.fail(
            new DecodeError({
              message: `${operationId}: expected an NDJSON transcript, got a JSON envelope`,
              operationId,
              status: answer.status,
              path: "",
              ...(answer.requestId === undefined ? {} : { requestId: answer.requestId })
            })
          )
        )
      })
    )

  const transcriptOptions = (answer: Answer, maxLineBytes: number | undefined): TranscriptOptions => ({
    operationId,
    // The error line's texts are scrubbed before they are composed into ExportTruncated.
    scrub: answer.scrub,
    ...(answer.requestId === undefined ? {} : { requestId: answer.requestId }),
    ...(maxLineBytes === undefined ? {} : { maxLineBytes })
  })

  const exportRaw: SessionExportMethods["exportRaw"] = (request, options) =>
    body(request, options, (answer, bytes) =>
      bytes.pipe(checkRawTranscript(transcriptOptions(answer, options?.maxLineBytes)))
    )

  return {
    export: (request, options) =>
      body(request, options, (answer, bytes) =>
        bytes.pipe(decodeTranscript(transcriptOptions(answer, options?.maxLineBytes)))
      ),
    exportRaw,
    exportToFile: (request, path, options) =>
      exportRaw(request, options).pipe(
        writeStreamToFile(path, options?.onProgress === undefined ? {} : { onProgress: options.onProgress })
      )
  }
}
