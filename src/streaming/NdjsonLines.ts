/**
 * Newline-delimited JSON over a byte stream, in constant memory.
 *
 * Splitting and parsing are Effect's own `Ndjson.decode` (byte level, lines spanning
 * chunks, a `maxLineBytes` cap that fails as soon as it is passed instead of buffering
 * the rest of the line). This module adds what a streamed HTTP body needs on top: a body
 * that stops in the middle of a line is an error (the connection was cut), and failures
 * become one typed error that says how many lines arrived intact.
 */
import { Schema, Stream } from "effect"
import { Ndjson } from "effect/encoding"

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

/** Internal marker: the upstream ended right after a byte that is not a line terminator. */
class EndedMidLine {
  readonly _tag = "EndedMidLine"
}

/**
 * Parses an NDJSON byte stream into one JSON value per non-empty line.
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
 */
export const decodeNdjson =
  (options: NdjsonOptions = {}) =>
  <E, R>(bytes: Stream.Stream<Uint8Array, E, R>): Stream.Stream<unknown, E | NdjsonLineError, R> =>
    Stream.suspend(() => {
      const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES
      const requireFinalNewline = options.requireFinalNewline ?? true
      // Per run: the last byte seen, and how many lines went downstream.
      let lastByte: number | undefined
      let linesReceived = 0

      const guarded: Stream.Stream<Uint8Array, E | EndedMidLine, R> = requireFinalNewline
        ? bytes.pipe(
            Stream.map((chunk) => {
              if (chunk.length > 0) lastByte = chunk[chunk.length - 1]
              return chunk
            }),
            // Fails before Ndjson.decode sees the end, so the partial line is never emitted.
            Stream.concat(
              Stream.suspend(() =>
                lastByte === undefined || lastByte === LF || lastByte === CR
                  ? Stream.empty
                  : Stream.fail(new EndedMidLine())
              )
            )
          )
        : bytes

      const toLineError = (reason: NdjsonLineError["reason"], detail: string) =>
        new NdjsonLineError({
          reason,
          message: `${detail} (after ${linesReceived} complete lines)`,
          linesReceived,
          ...(options.operationId === undefined ? {} : { operationId: options.operationId }),
          ...(options.requestId === undefined ? {} : { requestId: options.requestId })
        })

      return guarded.pipe(
        Stream.pipeThroughChannel(Ndjson.decode({ ignoreEmptyLines: true, maxLineBytes })),
        Stream.mapArray((lines) => {
          linesReceived += lines.length
          return lines
        }),
        Stream.mapError((error): E | NdjsonLineError => {
          if (error instanceof EndedMidLine) {
            return toLineError("CutMidLine", "the body ended in the middle of a line")
          }
          if (Ndjson.isNdjsonError(error)) {
            switch (error.reason) {
              case "LineTooLarge":
                return toLineError("LineTooLong", `a line is longer than ${maxLineBytes} bytes`)
              case "InvalidUtf8":
                return toLineError("InvalidUtf8", "a line is not valid UTF-8")
              default:
                return toLineError("InvalidJson", "a line is not valid JSON")
            }
          }
          return error as E
        })
      )
    })
