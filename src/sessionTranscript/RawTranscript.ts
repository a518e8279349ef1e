/**
 * Passing an AI SRE session transcript body through unchanged (to write the file byte for
 * byte) with the same end-of-body checks as the decoded reading (`transcriptFailures.ts`),
 * without parsing the event lines (those beginning with `{"type":`): every other line could
 * be the server's trailing error line, so it is held back, parsed and must be a JSON object.
 */
import { dual } from "effect/Function"
import * as Stream from "effect/Stream"
import { scanStream } from "../streaming/internal/scanStream.js"
import { searchable } from "../streaming/internal/searchableBytes.js"
import { DEFAULT_MAX_LINE_BYTES, NdjsonLineError } from "../streaming/NdjsonLines.js"
import { asTruncationLine, isJsonObject } from "./ExportLine.js"
import {
  callFields,
  cutMidLine,
  emptyTranscript,
  invalidJson,
  notAnObject,
  notSessionMeta,
  type TranscriptError,
  type TranscriptOptions,
  truncated
} from "./transcriptFailures.js"

const LF = 0x0a

/**
 * Where the raw reading is in the body: at the start of a line, inside an event line
 * (its bytes flow through), or inside a held line (its bytes are held back until it ends).
 */
const AT_LINE_START = 0
/** Inside a line known to be an event (it starts with `{"type":`): passed through, counted at its end. */
const IN_EVENT = 1
/** Inside a line whose bytes so far are a beginning of `{"type":`: held until 8 bytes tell. */
const IN_TYPE_PREFIX = 2
/** Inside a candidate (the first line, or one not starting with `{"type":`): held until it ends. */
const IN_CANDIDATE = 3

type RawMode = typeof AT_LINE_START | typeof IN_EVENT | typeof IN_TYPE_PREFIX | typeof IN_CANDIDATE

interface RawState {
  /** Complete non-blank lines so far. */
  lines: number
  mode: RawMode
  /** The held line's bytes from earlier chunks (views, not copies), not emitted yet. */
  held: Array<Uint8Array>
  heldBytes: number
}

const TYPE_PREFIX = new TextEncoder().encode('{"type":')

/** Whether `chunk[start, end)` begins with `{"type":`, read in place. */
const startsWithTypeAt = (chunk: Uint8Array, start: number, end: number): boolean => {
  if (end - start < TYPE_PREFIX.length) return false
  for (let i = 0; i < TYPE_PREFIX.length; i++) if (chunk[start + i] !== TYPE_PREFIX[i]) return false
  return true
}

/**
 * How much of `{"type":` the line matches once `chunk[start, end)` is added to the
 * `matched` bytes already seen (which all matched): `-1` on a mismatch, else the bytes
 * matched (at most 8).
 */
const matchTypePrefix = (chunk: Uint8Array, start: number, end: number, matched: number): number => {
  for (let i = start; i < end && matched < TYPE_PREFIX.length; i++, matched++) {
    if (chunk[i] !== TYPE_PREFIX[matched]) return -1
  }
  return matched
}

const textOf = (pieces: ReadonlyArray<Uint8Array>): string => {
  // Not fatal: the raw variant does not validate UTF-8 (an invalid sequence becomes U+FFFD).
  const decoder = new TextDecoder()
  let text = ""
  for (const piece of pieces) text += decoder.decode(piece, { stream: true })
  return text + decoder.decode()
}

/** `checkRawTranscript`, curried (the data-last half of the dual below). */
const checkRawTranscriptWith =
  (options: TranscriptOptions = {}) =>
  <E, R>(bytes: Stream.Stream<Uint8Array, E, R>): Stream.Stream<Uint8Array, E | TranscriptError, R> => {
    const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES

    const tooLong = (state: RawState) =>
      new NdjsonLineError({
        reason: "LineTooLong",
        message: `a line is longer than ${maxLineBytes} bytes (after ${state.lines} complete lines)`,
        linesReceived: state.lines,
        ...callFields(options)
      })

    /**
     * Inspects a held line once it ended (its text, without the LF), with the decoded
     * variant's checks in its order: JSON, an object, the error line, a wrong first line.
     */
    const inspect = (state: RawState, text: string): TranscriptError | undefined => {
      if (text.trim() === "") return undefined // a blank line: passed through, not counted
      const lineNumber = state.lines + 1
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch {
        return invalidJson(options, state.lines)
      }
      if (!isJsonObject(json)) return notAnObject(options, lineNumber)
      const truncation = asTruncationLine(json)
      if (truncation !== undefined) return truncated(options, truncation, state.lines)
      if (lineNumber === 1 && json.type !== "session_meta") return notSessionMeta(options)
      state.lines = lineNumber
      return undefined
    }

    const release = (state: RawState, out: Array<Uint8Array>) => {
      for (const piece of state.held) out.push(piece)
      state.held = []
      state.heldBytes = 0
    }

    return scanStream(
      bytes,
      (): RawState => ({ lines: 0, mode: AT_LINE_START, held: [], heldBytes: 0 }),
      (state, chunk, out: Array<Uint8Array>): TranscriptError | undefined => {
        const bytes = searchable(chunk)
        // chunk[approved, pos) may be emitted (pushed as one view); held bytes are never in it.
        let approved = 0
        let pos = 0
        while (pos < chunk.length) {
          let newline = bytes.indexOf(LF, pos)
          if (state.mode === AT_LINE_START && state.lines > 0) {
            // The common case, event lines (after the first) wholly inside this chunk:
            // counted in place and passed through (this loop runs once per line).
            let lines = state.lines
            while (newline !== -1 && startsWithTypeAt(chunk, pos, newline)) {
              lines++
              pos = newline + 1
              newline = bytes.indexOf(LF, pos)
            }
            state.lines = lines
            if (pos === chunk.length) break
          }
          const end = newline === -1 ? chunk.length : newline
          if (state.mode === IN_EVENT) {
            if (newline === -1) break
            state.lines++
            state.mode = AT_LINE_START
            pos = newline + 1
            continue
          }
          if (state.mode === AT_LINE_START) {
            // An event line (after the first) that goes on in the next chunk.
            if (state.lines > 0 && newline === -1 && startsWithTypeAt(chunk, pos, end)) {
              state.mode = IN_EVENT
              break
            }
            if (newline === pos) {
              pos++ // an empty line
              continue
            }
            // Hold the line back from here, after emitting what precedes it.
            if (pos > approved) out.push(chunk.subarray(approved, pos))
            approved = pos
            state.mode = state.lines > 0 ? IN_TYPE_PREFIX : IN_CANDIDATE
          }
          if (state.mode === IN_TYPE_PREFIX) {
            const matched = matchTypePrefix(chunk, pos, end, state.heldBytes)
            if (matched === TYPE_PREFIX.length) {
              // An event after all: what was held goes out first, the rest flows.
              release(state, out)
              state.mode = IN_EVENT
              approved = pos
              continue
            }
            if (matched === -1 || newline !== -1) state.mode = IN_CANDIDATE
          }
          // A held line (a candidate, or a beginning of `{"type":` too short to tell).
          if (state.heldBytes + (end - pos) > maxLineBytes) {
            state.held = []
            return tooLong(state)
          }
          if (newline === -1) {
            state.held.push(pos === 0 ? chunk : chunk.subarray(pos))
            state.heldBytes += chunk.length - pos
            approved = chunk.length
            break
          }
          state.held.push(chunk.subarray(pos, newline))
          const error = inspect(state, textOf(state.held))
          state.held.pop()
          if (error !== undefined) {
            state.held = []
            return error
          }
          // Not the error line: its earlier pieces go out, then this chunk from here on.
          release(state, out)
          state.mode = AT_LINE_START
          approved = pos
          pos = newline + 1
        }
        if (chunk.length > approved) out.push(approved === 0 ? chunk : chunk.subarray(approved))
        return undefined
      },
      (state, out) => {
        if (state.mode === IN_EVENT) return cutMidLine(options, state.lines)
        if (state.heldBytes > 0 && textOf(state.held).trim() !== "") return cutMidLine(options, state.lines)
        if (state.lines === 0) return emptyTranscript(options)
        // A blank tail without a final newline: the body's bytes, passed through.
        release(state, out)
        return undefined
      }
    )
  }

/**
 * Passes a transcript body through unchanged while checking how it ends: fails with
 * {@link ExportTruncated} at the server's error line (after emitting exactly the bytes
 * before it, and none of it), with `NdjsonLineError("CutMidLine")` when the body stops
 * inside a line, and with a `DecodeError` when the first line is not `session_meta` or
 * nothing arrived.
 *
 * Event lines (after the first) start with `{"type":`, so they cannot be the error line:
 * they are passed through as they arrive and only counted, never decoded nor capped.
 * **Raw mode does not validate event lines**, which begin with `{"type":` (a broken one is
 * written as sent); only {@link decodeTranscript} parses every line. Any other line (the
 * first one, the error line, an event written another way, a blank line) is a candidate:
 * its bytes are held back until it ends, then parsed, and emitted only if it is a JSON
 * object and not the error line. A candidate that is not JSON fails with
 * `NdjsonLineError("InvalidJson")`, one that is JSON but not an object with a `DecodeError`
 * ("Line N is not a JSON object"), both as in the decoded variant, so a broken trailing
 * error line (an unescaped quote, a trailing comma, a plain-text `ERROR: …`) never passes
 * for a complete transcript. Blank lines are passed through. A candidate longer than
 * `maxLineBytes` (default 16 MiB, as for the decoded variant) fails with
 * `NdjsonLineError("LineTooLong")`, so memory stays bounded and the check does not depend
 * on the error line's length.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { checkRawTranscript } from "effect-flashduty"
 *
 * const bytes = Stream.make(new TextEncoder().encode('{"type":"session_meta"}\n'))
 * const checked = bytes.pipe(checkRawTranscript()) // same bytes, or a typed failure
 * ```
 *
 * Data-first (`checkRawTranscript(bytes, …)`) or in a `pipe` (`bytes.pipe(checkRawTranscript(…))`).
 */
export const checkRawTranscript: {
  (
    options?: TranscriptOptions
  ): <E, R>(bytes: Stream.Stream<Uint8Array, E, R>) => Stream.Stream<Uint8Array, E | TranscriptError, R>
  <E, R>(
    bytes: Stream.Stream<Uint8Array, E, R>,
    options?: TranscriptOptions
  ): Stream.Stream<Uint8Array, E | TranscriptError, R>
} = dual(
  (args) => Stream.isStream(args[0]),
  <E, R>(bytes: Stream.Stream<Uint8Array, E, R>, options?: TranscriptOptions) =>
    checkRawTranscriptWith(options)(bytes)
)
