/**
 * Newline-delimited JSON over a byte stream, in constant memory.
 *
 * Why not Effect's `Ndjson.decode`: it has the line cap this needs, but it scans every
 * byte in JavaScript and copies each chunk a wide line spans before joining them, which costs
 * throughput and, with wide lines, the export's peak-memory budget (`bench/RESULTS.md`). This
 * splitter finds newlines
 * with the native `indexOf` and decodes a wide line as it arrives. It also treats a body that stops
 * in the middle of a line as an error (the connection was cut), and reports every
 * failure as one typed error that says how many lines arrived intact.
 */

import { dual } from "effect/Function"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { scanStream } from "./internal/scanStream.js"
import { searchable } from "./internal/searchableBytes.js"

/** Lines up to 16 MiB are accepted by default (LLM calls and tool output are wide). */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024

/**
 * A line of an NDJSON body could not be turned into a JSON value.
 *
 * - `CutMidLine`: the body ended without a final newline, i.e. in the middle of a line.
 * - `LineTooLong`: a line passed `maxLineBytes`; reading stopped there.
 * - `InvalidJson` / `InvalidUtf8`: a complete line was not JSON / not UTF-8.
 */
export class NdjsonLineError extends Schema.TaggedError<NdjsonLineError>()("NdjsonLineError", {
  message: Schema.String,
  reason: Schema.Literals(["CutMidLine", "LineTooLong", "InvalidJson", "InvalidUtf8"]),
  /** Complete, valid lines received (and emitted) before the failure. */
  linesReceived: Schema.Number,
  operationId: Schema.optionalKey(Schema.String),
  requestId: Schema.optionalKey(Schema.String)
}) {}

export interface NdjsonOptions {
  /** Longest accepted line in bytes, without its terminator. Default {@link DEFAULT_MAX_LINE_BYTES}. */
  readonly maxLineBytes?: number
  /** Fail with `CutMidLine` when the body does not end with a newline. Default `true`. */
  readonly requireFinalNewline?: boolean
  /** Copied into errors, for diagnosis. */
  readonly operationId?: string
  readonly requestId?: string
}

const LF = 0x0a
const CR = 0x0d

/**
 * Per-run state of the splitter.
 *
 * A line spanning chunks is decoded piece by piece as its chunks arrive, by one streaming
 * decoder reused for every such line, so no chunk outlives its pull: keeping views of the
 * chunks until the line ends, or copying them into one buffer, held more memory at the
 * export's peak ("Export memory" in `bench/RESULTS.md`).
 */
interface SplitState {
  /** The text of the line in progress, when it began in an earlier chunk. */
  pendingText: string
  /** Bytes of the line in progress (for the cap). */
  pendingBytes: number
  /** Decodes the pieces of lines spanning chunks (streaming, so a character split across chunks stays whole). */
  readonly spanDecoder: TextDecoder
  linesReceived: number
  lastByte: number | undefined
}

const fatalDecoder = new TextDecoder("utf-8", { fatal: true })

/** `decodeNdjson`, curried (the data-last half of the dual below). */
const decodeNdjsonWith =
  (options: NdjsonOptions = {}) =>
  <E, R>(bytes: Stream.Stream<Uint8Array, E, R>): Stream.Stream<unknown, E | NdjsonLineError, R> => {
    const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES
    const requireFinalNewline = options.requireFinalNewline ?? true

    const lineError = (state: SplitState, reason: NdjsonLineError["reason"], detail: string) =>
      new NdjsonLineError({
        reason,
        message: `${detail} (after ${state.linesReceived} complete lines)`,
        linesReceived: state.linesReceived,
        ...(options.operationId === undefined ? {} : { operationId: options.operationId }),
        ...(options.requestId === undefined ? {} : { requestId: options.requestId })
      })

    const tooLong = (state: SplitState) =>
      lineError(state, "LineTooLong", `a line is longer than ${maxLineBytes} bytes`)

    /** Decodes `piece` of the line in progress (throws on invalid UTF-8). */
    const continueLine = (state: SplitState, piece: Uint8Array): NdjsonLineError | undefined => {
      try {
        state.pendingText += state.spanDecoder.decode(piece, { stream: true })
      } catch {
        return lineError(state, "InvalidUtf8", "a line is not valid UTF-8")
      }
      state.pendingBytes += piece.length
      return undefined
    }

    /** Parses one complete line's text into `out`; blank lines are skipped. */
    const parseLine = (state: SplitState, text: string, out: Array<unknown>): NdjsonLineError | undefined => {
      // JSON.parse ignores a trailing CR (CRLF line ends).
      if (text.length === 0 || text === "\r") return undefined
      try {
        out.push(JSON.parse(text))
      } catch {
        // A line of only whitespace is blank too (checked here, off the hot path).
        if (text.trim() === "") return undefined
        return lineError(state, "InvalidJson", "a line is not valid JSON")
      }
      state.linesReceived++
      return undefined
    }

    /** Parses one complete line (without its LF), made of the pending text then `last`, into `out`. */
    const endLine = (
      state: SplitState,
      last: Uint8Array,
      out: Array<unknown>
    ): NdjsonLineError | undefined => {
      let text: string
      try {
        text =
          state.pendingBytes === 0
            ? fatalDecoder.decode(last)
            : state.pendingText + state.spanDecoder.decode(last)
      } catch {
        return lineError(state, "InvalidUtf8", "a line is not valid UTF-8")
      } finally {
        state.pendingText = ""
        state.pendingBytes = 0
      }
      return parseLine(state, text, out)
    }

    /** Splits `chunk` line by line, checking the cap on each line (the general path). */
    const splitEachLine = (
      state: SplitState,
      chunk: Uint8Array,
      out: Array<unknown>
    ): NdjsonLineError | undefined => {
      const bytes = searchable(chunk)
      let start = 0
      for (;;) {
        const newline = bytes.indexOf(LF, start)
        const end = newline === -1 ? chunk.length : newline
        if (state.pendingBytes + end - start > maxLineBytes) return tooLong(state)
        if (newline === -1) return start < end ? continueLine(state, chunk.subarray(start, end)) : undefined
        const error = endLine(state, chunk.subarray(start, end), out)
        if (error !== undefined) return error
        start = newline + 1
      }
    }

    /**
     * The lines between the chunk's first and last newline, decoded with one `TextDecoder`
     * call and split as text: a decode call per line dominated the cost of short lines.
     * (A newline byte is always a whole character in UTF-8, so the cut is safe.) Only used
     * when the whole chunk fits under the cap, so no line here can be too long.
     */
    const splitWholeLines = (
      state: SplitState,
      lines: Uint8Array,
      out: Array<unknown>
    ): NdjsonLineError | undefined => {
      let text: string
      try {
        text = fatalDecoder.decode(lines)
      } catch {
        // Invalid UTF-8 somewhere: line by line, to emit the good lines before the bad one.
        return splitEachLine(state, lines, out)
      }
      let start = 0
      for (;;) {
        const newline = text.indexOf("\n", start)
        if (newline === -1) return undefined
        const error = parseLine(state, text.slice(start, newline), out)
        if (error !== undefined) return error
        start = newline + 1
      }
    }

    return scanStream(
      bytes,
      (): SplitState => ({
        pendingText: "",
        pendingBytes: 0,
        spanDecoder: new TextDecoder("utf-8", { fatal: true }),
        linesReceived: 0,
        lastByte: undefined
      }),
      (state, chunk, out: Array<unknown>) => {
        if (chunk.length === 0) return undefined
        state.lastByte = chunk[chunk.length - 1]
        if (state.pendingBytes + chunk.length > maxLineBytes) return splitEachLine(state, chunk, out)
        const bytes = searchable(chunk)
        const first = bytes.indexOf(LF)
        if (first === -1) return continueLine(state, chunk)
        const error = endLine(state, chunk.subarray(0, first), out)
        if (error !== undefined) return error
        const last = bytes.lastIndexOf(LF)
        if (last > first) {
          const middleError = splitWholeLines(state, chunk.subarray(first + 1, last + 1), out)
          if (middleError !== undefined) return middleError
        }
        return last + 1 < chunk.length ? continueLine(state, chunk.subarray(last + 1)) : undefined
      },
      (state, out: Array<unknown>) => {
        if (state.pendingBytes === 0) return undefined
        // The body did not end with a newline: the last line may have been cut.
        if (requireFinalNewline && state.lastByte !== CR) {
          return lineError(state, "CutMidLine", "the body ended in the middle of a line")
        }
        return endLine(state, new Uint8Array(0), out)
      }
    )
  }

/**
 * Parses an NDJSON byte stream into one JSON value per non-empty line.
 *
 * Lines are found with the native `indexOf`; the lines wholly inside a chunk are decoded
 * with one call per chunk, and a line spanning chunks is decoded piece by piece as they
 * arrive, so no chunk is kept past its pull: a 5 MiB line costs its text and its value.
 * A line over `maxLineBytes` fails as soon as the cap is passed.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { decodeNdjson } from "effect-flashduty"
 *
 * const values = Stream.make(new TextEncoder().encode('{"a":1}\n{"a":2}\n')).pipe(
 *   decodeNdjson({ maxLineBytes: 1024 })
 * ) // Stream<unknown, NdjsonLineError>: { a: 1 }, { a: 2 }
 * ```
 *
 * Data-first (`decodeNdjson(bytes, …)`) or in a `pipe` (`bytes.pipe(decodeNdjson(…))`).
 */
export const decodeNdjson: {
  (
    options?: NdjsonOptions
  ): <E, R>(bytes: Stream.Stream<Uint8Array, E, R>) => Stream.Stream<unknown, E | NdjsonLineError, R>
  <E, R>(
    bytes: Stream.Stream<Uint8Array, E, R>,
    options?: NdjsonOptions
  ): Stream.Stream<unknown, E | NdjsonLineError, R>
} = dual(
  (args) => Stream.isStream(args[0]),
  <E, R>(bytes: Stream.Stream<Uint8Array, E, R>, options?: NdjsonOptions) => decodeNdjsonWith(options)(bytes)
)
