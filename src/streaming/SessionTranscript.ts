/**
 * Reading an AI SRE session transcript body (`application/x-ndjson`) so that it never
 * ends "successfully" when it is incomplete: the server's trailing error line, a body
 * cut in the middle of a line, and a body without its `session_meta` all fail the
 * stream with a typed error. Two readings of the same bytes:
 *
 * - {@link decodeTranscript}: one {@link ExportLine} per line.
 * - {@link checkRawTranscript}: the bytes unchanged (to write the file byte for byte),
 *   with the same end-of-body checks, without parsing every line.
 */
import type * as Stream from "effect/Stream"
import { DecodeError } from "../Errors.js"
import {
  asTruncationLine,
  type ExportLine,
  isJsonObject,
  type TruncationLine,
  toExportLine
} from "./ExportLine.js"
import { ExportTruncated } from "./ExportTruncated.js"
import { scanStream } from "./internal/scanStream.js"
import { searchable } from "./internal/searchableBytes.js"
import { decodeNdjson, NdjsonLineError, type NdjsonOptions } from "./NdjsonLines.js"

/** Everything a transcript stream can fail with, besides the errors of the byte stream itself. */
export type TranscriptError = ExportTruncated | NdjsonLineError | DecodeError

export interface TranscriptOptions {
  /** Longest accepted line (decoded variant only). Default 16 MiB. */
  readonly maxLineBytes?: number
  readonly operationId?: string
  /** The response's request id, used when the error line carries none. */
  readonly requestId?: string
}

const callFields = (options: TranscriptOptions) => ({
  ...(options.operationId === undefined ? {} : { operationId: options.operationId }),
  ...(options.requestId === undefined ? {} : { requestId: options.requestId })
})

const truncated = (options: TranscriptOptions, line: TruncationLine, linesReceived: number) =>
  new ExportTruncated({
    message:
      `The transcript is incomplete: the server failed after ${linesReceived} lines` +
      (line.code === undefined ? "" : ` (${line.code})`) +
      (line.message === undefined ? "" : `: ${line.message}`),
    linesReceived,
    ...callFields(options),
    ...(line.requestId === undefined ? {} : { requestId: line.requestId }),
    ...(line.code === undefined ? {} : { code: line.code }),
    ...(line.message === undefined ? {} : { errorMessage: line.message })
  })

const badLine = (options: TranscriptOptions, lineNumber: number, message: string) =>
  new DecodeError({ message, path: `line ${lineNumber}`, ...callFields(options) })

const notSessionMeta = (options: TranscriptOptions) =>
  badLine(options, 1, "The transcript does not start with a session_meta line")

const cutMidLine = (options: TranscriptOptions, linesReceived: number) =>
  new NdjsonLineError({
    reason: "CutMidLine",
    message: `the body ended in the middle of a line (after ${linesReceived} complete lines)`,
    linesReceived,
    ...callFields(options)
  })

const emptyTranscript = (options: TranscriptOptions) =>
  badLine(options, 1, "The transcript is empty: no session_meta line arrived")

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
 */
export const decodeTranscript =
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
        if (!isJsonObject(json))
          return badLine(options, lineNumber, `Line ${lineNumber} is not a JSON object`)
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

const LF = 0x0a

/**
 * Lines up to this size are kept (as views of the chunks, not copies) while they arrive,
 * to be inspected when they end: the first line (must be `session_meta`) and candidates
 * for the server's error line, which is small. Longer lines are only counted, so memory
 * stays constant.
 */
const INSPECTED_LINE_BYTES = 64 * 1024

interface RawState {
  /** Complete non-empty lines so far. */
  lines: number
  /** Bytes of the line in progress. */
  lineBytes: number
  /** Its bytes while it is short enough to inspect, else `undefined`. */
  kept: Array<Uint8Array> | undefined
}

const decoder = new TextDecoder()

const keptText = (kept: ReadonlyArray<Uint8Array>): string => {
  if (kept.length === 1) return decoder.decode(kept[0])
  let size = 0
  for (const part of kept) size += part.length
  const joined = new Uint8Array(size)
  let offset = 0
  for (const part of kept) {
    joined.set(part, offset)
    offset += part.length
  }
  return decoder.decode(joined)
}

const TYPE_PREFIX = new TextEncoder().encode('{"type":')

/** Whether `chunk[start, end)` begins with `{"type":`, read in place. */
const startsWithTypeAt = (chunk: Uint8Array, start: number, end: number): boolean => {
  if (end - start < TYPE_PREFIX.length) return false
  for (let i = 0; i < TYPE_PREFIX.length; i++) if (chunk[start + i] !== TYPE_PREFIX[i]) return false
  return true
}

/** Whether the line begins with `{"type":` (the first bytes may span pieces). */
const startsWithType = (kept: ReadonlyArray<Uint8Array>): boolean => {
  let matched = 0
  for (const piece of kept) {
    for (let i = 0; i < piece.length; i++) {
      if (piece[i] !== TYPE_PREFIX[matched]) return false
      if (++matched === TYPE_PREFIX.length) return true
    }
  }
  return false
}

const parseOrUndefined = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * Passes a transcript body through unchanged while checking how it ends: fails with
 * {@link ExportTruncated} at the server's error line (after emitting the bytes before
 * it), with `NdjsonLineError("CutMidLine")` when the body stops inside a line, and with
 * a `DecodeError` when the first line is not `session_meta` or nothing arrived.
 * Lines are not parsed (only short lines that could be the error line are), and their
 * length is not capped since nothing is buffered.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { checkRawTranscript } from "effect-flashduty"
 *
 * const bytes = Stream.make(new TextEncoder().encode('{"type":"session_meta"}\n'))
 * const checked = bytes.pipe(checkRawTranscript()) // same bytes, or a typed failure
 * ```
 */
export const checkRawTranscript =
  (options: TranscriptOptions = {}) =>
  <E, R>(bytes: Stream.Stream<Uint8Array, E, R>): Stream.Stream<Uint8Array, E | TranscriptError, R> => {
    const keep = (state: RawState, chunk: Uint8Array, start: number, end: number) => {
      if (end === start) return
      state.lineBytes += end - start
      if (state.kept === undefined) return
      if (state.lineBytes > INSPECTED_LINE_BYTES) state.kept = undefined
      else state.kept.push(chunk.subarray(start, end))
    }

    const endLine = (state: RawState): TranscriptError | undefined => {
      const kept = state.kept
      const lineBytes = state.lineBytes
      state.lineBytes = 0
      state.kept = []
      if (lineBytes === 0) return undefined
      // Most lines are events starting with `{"type":`: those are counted without decoding.
      const text =
        kept === undefined || (state.lines > 0 && startsWithType(kept)) ? undefined : keptText(kept)
      if (text !== undefined && text.trim() === "") return undefined
      const lineNumber = state.lines + 1
      if (text !== undefined && (lineNumber === 1 || text.includes('"error"'))) {
        const json = parseOrUndefined(text)
        const truncation = isJsonObject(json) ? asTruncationLine(json) : undefined
        if (truncation !== undefined) return truncated(options, truncation, state.lines)
        if (lineNumber === 1 && !(isJsonObject(json) && json.type === "session_meta")) {
          return notSessionMeta(options)
        }
      }
      state.lines = lineNumber
      return undefined
    }

    return scanStream(
      bytes,
      (): RawState => ({ lines: 0, lineBytes: 0, kept: [] }),
      (state, chunk, out: Array<Uint8Array>): TranscriptError | undefined => {
        const bytes = searchable(chunk)
        let start = 0
        let lineStart = 0
        for (;;) {
          const newline = bytes.indexOf(LF, start)
          // The common case, an event line (after the first) wholly inside this chunk: counted
          // in place, without keeping views of it (this loop runs once per line).
          if (
            newline !== -1 &&
            state.lineBytes === 0 &&
            state.lines > 0 &&
            startsWithTypeAt(chunk, start, newline)
          ) {
            state.lines++
            start = newline + 1
            lineStart = start
            continue
          }
          keep(state, chunk, start, newline === -1 ? chunk.length : newline)
          if (newline === -1) break
          const error = endLine(state)
          if (error !== undefined) {
            // Emit what precedes the bad line in this chunk; the rest of the body is dropped.
            if (lineStart > 0) out.push(chunk.subarray(0, lineStart))
            return error
          }
          start = newline + 1
          lineStart = start
        }
        if (chunk.length > 0) out.push(chunk)
        return undefined
      },
      (state) => {
        const partial = state.kept === undefined ? state.lineBytes : keptText(state.kept).trim().length
        if (partial > 0) return cutMidLine(options, state.lines)
        return state.lines === 0 ? emptyTranscript(options) : undefined
      }
    )
  }
