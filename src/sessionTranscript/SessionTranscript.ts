/**
 * Reading an AI SRE session transcript body (`application/x-ndjson`) as one
 * {@link ExportLine} per line, in constant memory, failing (never ending quietly) when the
 * transcript is incomplete (`transcriptFailures.ts`). `RawTranscript.ts` reads the same bytes
 * unchanged, with the same end-of-body checks.
 */
import { dual } from "effect/Function"
import * as Stream from "effect/Stream"
import { scanStream } from "../streaming/internal/scanStream.js"
import { decodeNdjson, type NdjsonOptions } from "../streaming/NdjsonLines.js"
import { asTruncationLine, type ExportLine, isJsonObject, toExportLine } from "./ExportLine.js"
import {
  callFields,
  emptyTranscript,
  notAnObject,
  notSessionMeta,
  type TranscriptError,
  type TranscriptOptions,
  truncated
} from "./transcriptFailures.js"

export type { TranscriptError, TranscriptOptions } from "./transcriptFailures.js"

/** `decodeTranscript`, curried (the data-last half of the dual below). */
const decodeTranscriptWith =
  (options: TranscriptOptions = {}) =>
  <E, R>(bytes: Stream.Stream<Uint8Array, E, R>): Stream.Stream<ExportLine, E | TranscriptError, R> => {
    const ndjsonOptions: NdjsonOptions = {
      ...callFields(options),
      ...(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes })
    }
    return scanStream(
      decodeNdjson(ndjsonOptions)(bytes),
      () => ({ lines: 0 }),
      (state, json, out: Array<ExportLine>): TranscriptError | undefined => {
        const lineNumber = state.lines + 1
        if (!isJsonObject(json)) return notAnObject(options, lineNumber)
        const truncation = asTruncationLine(json)
        if (truncation !== undefined) return truncated(options, truncation, state.lines)
        if (lineNumber === 1 && json.type !== "session_meta") return notSessionMeta(options)
        state.lines = lineNumber
        out.push(toExportLine(json))
        return undefined
      },
      (state) => (state.lines === 0 ? emptyTranscript(options) : undefined)
    )
  }

/**
 * Decodes a transcript body into {@link ExportLine}s, in constant memory.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { decodeTranscript } from "effect-flashduty"
 *
 * const body = new TextEncoder().encode('{"type":"session_meta","session_id":"s"}\n')
 * const lines = Stream.make(body).pipe(decodeTranscript({ operationId: "session-read-export" }))
 * ```
 *
 * Data-first (`decodeTranscript(bytes, …)`) or in a `pipe` (`bytes.pipe(decodeTranscript(…))`).
 */
export const decodeTranscript: {
  (
    options?: TranscriptOptions
  ): <E, R>(bytes: Stream.Stream<Uint8Array, E, R>) => Stream.Stream<ExportLine, E | TranscriptError, R>
  <E, R>(
    bytes: Stream.Stream<Uint8Array, E, R>,
    options?: TranscriptOptions
  ): Stream.Stream<ExportLine, E | TranscriptError, R>
} = dual(
  (args) => Stream.isStream(args[0]),
  <E, R>(bytes: Stream.Stream<Uint8Array, E, R>, options?: TranscriptOptions) =>
    decodeTranscriptWith(options)(bytes)
)
