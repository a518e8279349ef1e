/**
 * How an AI SRE session transcript (`application/x-ndjson`) fails instead of ending
 * "successfully" when it is incomplete, shared by its two readings (`SessionTranscript.ts`,
 * decoded; `RawTranscript.ts`, raw): the server's trailing error line (`ExportTruncated`, its
 * texts scrubbed when {@link TranscriptOptions.scrub} is given, bounded, its message composed
 * from them), a body cut mid-line, a line that is not a JSON object, a body without its
 * `session_meta`.
 */
import { DecodeError } from "../Errors.js"
import { clip } from "../pipeline/clip.js"
import { NdjsonLineError } from "../streaming/NdjsonLines.js"
import type { TruncationLine } from "./ExportLine.js"
import { ExportTruncated } from "./ExportTruncated.js"

/** Everything a transcript stream can fail with, besides the errors of the byte stream itself. */
export type TranscriptError = ExportTruncated | NdjsonLineError | DecodeError

export interface TranscriptOptions {
  /**
   * Longest accepted line, in bytes. Default 16 MiB. The raw variant caps only the lines
   * it holds back to inspect (see {@link checkRawTranscript}), not the event lines.
   */
  readonly maxLineBytes?: number
  readonly operationId?: string
  /** The response's request id, used when the error line carries none. */
  readonly requestId?: string
  /**
   * Removes secrets from a text copied out of the server's error line (its `code`,
   * `message` and `request_id`), before they are clipped and composed into
   * `ExportTruncated`'s fields and message. Without it they are copied as sent (clipped).
   */
  readonly scrub?: (text: string) => string
}

/** Longest `code`, `errorMessage` and `requestId` copied from the error line (characters, see `clip`). */
const MAX_CODE = 100
const MAX_ERROR_MESSAGE = 1000
const MAX_REQUEST_ID = 200

export const callFields = (options: TranscriptOptions) => ({
  ...(options.operationId === undefined ? {} : { operationId: options.operationId }),
  ...(options.requestId === undefined ? {} : { requestId: options.requestId })
})

/**
 * The error for the server's error line: its texts scrubbed first (so that a secret is
 * found whole, before a cut or the composition could hide it), then clipped, then composed.
 */
export const truncated = (options: TranscriptOptions, line: TruncationLine, linesReceived: number) => {
  const scrub = options.scrub ?? ((text: string) => text)
  const bounded = (text: string | undefined, max: number) =>
    text === undefined ? undefined : clip(scrub(text), max)
  const code = bounded(line.code, MAX_CODE)
  const errorMessage = bounded(line.message, MAX_ERROR_MESSAGE)
  const requestId = bounded(line.requestId, MAX_REQUEST_ID)
  return new ExportTruncated({
    message:
      `The transcript is incomplete: the server failed after ${linesReceived} lines` +
      (code === undefined ? "" : ` (${code})`) +
      (errorMessage === undefined ? "" : `: ${errorMessage}`),
    linesReceived,
    ...callFields(options),
    ...(requestId === undefined ? {} : { requestId }),
    ...(code === undefined ? {} : { code }),
    ...(errorMessage === undefined ? {} : { errorMessage })
  })
}

export const badLine = (options: TranscriptOptions, lineNumber: number, message: string) =>
  new DecodeError({ message, path: `line ${lineNumber}`, ...callFields(options) })

export const notAnObject = (options: TranscriptOptions, lineNumber: number) =>
  badLine(options, lineNumber, `Line ${lineNumber} is not a JSON object`)

/** As `decodeNdjson` reports it, so that both variants fail alike on the same line. */
export const invalidJson = (options: TranscriptOptions, linesReceived: number) =>
  new NdjsonLineError({
    reason: "InvalidJson",
    message: `a line is not valid JSON (after ${linesReceived} complete lines)`,
    linesReceived,
    ...callFields(options)
  })

export const notSessionMeta = (options: TranscriptOptions) =>
  badLine(options, 1, "The transcript does not start with a session_meta line")

export const cutMidLine = (options: TranscriptOptions, linesReceived: number) =>
  new NdjsonLineError({
    reason: "CutMidLine",
    message: `the body ended in the middle of a line (after ${linesReceived} complete lines)`,
    linesReceived,
    ...callFields(options)
  })

export const emptyTranscript = (options: TranscriptOptions) =>
  badLine(options, 1, "The transcript is empty: no session_meta line arrived")
