import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Schema, Stream } from "effect"
import { clip } from "../../src/pipeline/clip.js"
import { scrubText } from "../../src/pipeline/redact.js"
import { ExportLine } from "../../src/sessionTranscript/ExportLine.js"
import { checkRawTranscript } from "../../src/sessionTranscript/RawTranscript.js"
import { decodeTranscript, type TranscriptOptions } from "../../src/sessionTranscript/SessionTranscript.js"

const encoder = new TextEncoder()

/** The body cut into chunks of `size` bytes, so lines straddle chunk boundaries. */
const chunked = (text: string, size: number): Stream.Stream<Uint8Array> => {
  const bytes = encoder.encode(text)
  const chunks: Array<Uint8Array> = []
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size))
  return Stream.fromIterable(chunks)
}

const ndjson = (...values: ReadonlyArray<unknown>) => values.map((v) => `${JSON.stringify(v)}\n`).join("")

const meta = { type: "session_meta", session_id: "sess_root" }
const body = ndjson(
  meta,
  { type: "user_message", session_id: "sess_root", text: "why is checkout slow?" },
  { type: "llm_call", session_id: "sess_root", model: "m" },
  { type: "brand_new_kind", session_id: "sess_root", x: 1 },
  { type: "final_answer", session_id: "sess_root", text: "a lock" }
)

const collectDecoded = (text: string, size: number, maxLineBytes?: number) =>
  chunked(text, size).pipe(
    decodeTranscript(maxLineBytes === undefined ? {} : { maxLineBytes }),
    Stream.runCollect,
    Effect.exit
  )

/** Elements emitted before the stream failed, and the failure. */
const collectUntilFailure = <A, E>(stream: Stream.Stream<A, E>) =>
  Effect.gen(function* () {
    const seen: Array<A> = []
    const exit = yield* stream.pipe(
      Stream.runForEach((a) => Effect.sync(() => seen.push(a))),
      Effect.exit
    )
    return { seen, exit }
  })

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = exit.cause.reasons.find((r) => r._tag === "Fail")
  if (error === undefined || error._tag !== "Fail") throw new Error(`expected a typed failure: ${exit.cause}`)
  return error.error
}

describe("decodeTranscript", () => {
  it.effect("decodes every line whatever the chunking, unknown kinds kept raw", () =>
    Effect.gen(function* () {
      for (const size of [1, 7, 64, 100_000]) {
        const exit = yield* collectDecoded(body, size)
        assert.isTrue(Exit.isSuccess(exit))
        const lines = Exit.isSuccess(exit) ? exit.value : []
        assert.deepStrictEqual(
          lines.map((l) => l.type),
          ["session_meta", "user_message", "llm_call", "unknown", "final_answer"]
        )
        const unknown = lines[3]
        assert.deepStrictEqual(unknown, {
          type: "unknown",
          raw: { type: "brand_new_kind", session_id: "sess_root", x: 1 }
        })
        assert.strictEqual(lines[2]?.type === "llm_call" ? lines[2].model : undefined, "m")
        for (const line of lines) assert.isTrue(Schema.is(ExportLine)(line))
      }
    })
  )

  it.effect("fails with ExportTruncated at the server's error line, after emitting the lines before it", () =>
    Effect.gen(function* () {
      const text =
        body + ndjson({ request_id: "req_9", error: { code: "InternalError", message: "export aborted" } })
      const { seen, exit } = yield* collectUntilFailure(chunked(text, 13).pipe(decodeTranscript()))
      assert.strictEqual(seen.length, 5)
      const error = failureOf(exit)
      assert.strictEqual(error._tag, "ExportTruncated")
      if (error._tag !== "ExportTruncated") return
      assert.strictEqual(error.code, "InternalError")
      assert.strictEqual(error.errorMessage, "export aborted")
      assert.strictEqual(error.linesReceived, 5)
      assert.strictEqual(error.requestId, "req_9")
    })
  )

  it.effect("a session error event is an ordinary line, not a truncation", () =>
    Effect.gen(function* () {
      const exit = yield* collectDecoded(
        ndjson(meta, { type: "error", error_code: "ToolFailed", error: { message: "x" } }),
        5
      )
      assert.isTrue(Exit.isSuccess(exit))
      if (Exit.isSuccess(exit)) assert.strictEqual(exit.value[1]?.type, "error")
    })
  )

  it.effect(
    "fails with CutMidLine when the body stops inside a line, without emitting the partial line",
    () =>
      Effect.gen(function* () {
        // The partial line happens to be valid JSON: it must still not be emitted.
        const text = `${body}{"type":"agent_text","text":"half"}`
        const { seen, exit } = yield* collectUntilFailure(chunked(text, 9).pipe(decodeTranscript()))
        assert.strictEqual(seen.length, 5)
        const error = failureOf(exit)
        assert.strictEqual(error._tag, "NdjsonLineError")
        if (error._tag === "NdjsonLineError") {
          assert.strictEqual(error.reason, "CutMidLine")
          assert.strictEqual(error.linesReceived, 5)
        }
      })
  )

  it.effect("fails with LineTooLong as soon as a line passes the cap", () =>
    Effect.gen(function* () {
      const text = ndjson(meta, { type: "tool_call", output: "x".repeat(5_000) })
      const error = failureOf(yield* collectDecoded(text, 256, 1_000))
      assert.strictEqual(error._tag, "NdjsonLineError")
      if (error._tag === "NdjsonLineError") {
        assert.strictEqual(error.reason, "LineTooLong")
        assert.strictEqual(error.linesReceived, 1)
      }
    })
  )

  it.effect("requires session_meta first, and at least one line", () =>
    Effect.gen(function* () {
      const wrongFirst = failureOf(yield* collectDecoded(ndjson({ type: "llm_call" }), 4))
      assert.strictEqual(wrongFirst._tag, "DecodeError")
      const empty = failureOf(yield* collectDecoded("", 4))
      assert.strictEqual(empty._tag, "DecodeError")
      const notObject = failureOf(yield* collectDecoded(`${ndjson(meta)}[1,2]\n`, 4))
      assert.strictEqual(notObject._tag, "DecodeError")
      if (notObject._tag === "DecodeError") assert.strictEqual(notObject.path, "line 2")
    })
  )
})

describe("checkRawTranscript", () => {
  const concat = (chunks: ReadonlyArray<Uint8Array>) => new TextDecoder().decode(Buffer.concat(chunks))

  it.effect("passes the bytes through unchanged", () =>
    Effect.gen(function* () {
      const chunks = yield* Stream.runCollect(chunked(body, 11).pipe(checkRawTranscript()))
      assert.strictEqual(concat(chunks), body)
    })
  )

  it.effect("stops before the server's error line and fails with ExportTruncated", () =>
    Effect.gen(function* () {
      const text = body + ndjson({ error: { code: "ServiceUnavailable", message: "gone" } })
      const { seen, exit } = yield* collectUntilFailure(chunked(text, 100_000).pipe(checkRawTranscript()))
      assert.strictEqual(concat(seen), body)
      const error = failureOf(exit)
      assert.strictEqual(error._tag, "ExportTruncated")
      if (error._tag === "ExportTruncated") {
        assert.strictEqual(error.code, "ServiceUnavailable")
        assert.strictEqual(error.linesReceived, 5)
      }
    })
  )

  it.effect("fails with CutMidLine, and on a wrong first line", () =>
    Effect.gen(function* () {
      const cut = failureOf(
        yield* chunked(`${body}{"type":"llm`, 6).pipe(checkRawTranscript(), Stream.runDrain, Effect.exit)
      )
      assert.strictEqual(cut._tag, "NdjsonLineError")
      const wrongFirst = failureOf(
        yield* chunked(ndjson({ type: "llm_call" }), 6).pipe(
          checkRawTranscript(),
          Stream.runDrain,
          Effect.exit
        )
      )
      assert.strictEqual(wrongFirst._tag, "DecodeError")
    })
  )

  it.effect("does not keep long lines in memory, and still counts them", () =>
    Effect.gen(function* () {
      const wide = ndjson(meta, { type: "llm_call", prompt: "p".repeat(300_000) }) + ndjson({ error: "boom" })
      const error = failureOf(
        yield* chunked(wide, 4096).pipe(checkRawTranscript(), Stream.runDrain, Effect.exit)
      )
      assert.strictEqual(error._tag, "ExportTruncated")
      if (error._tag === "ExportTruncated") {
        assert.strictEqual(error.linesReceived, 2)
        assert.strictEqual(error.errorMessage, "boom")
      }
    })
  )
})

describe("checkRawTranscript: the error line, whatever its length and chunking", () => {
  const bytesOf = (chunks: ReadonlyArray<Uint8Array>) => Buffer.concat(chunks)
  const KiB = 1024
  const MiB = 1024 * KiB
  const errorLine = (message: string, requestId?: string) =>
    ndjson({
      ...(requestId === undefined ? {} : { request_id: requestId }),
      error: { code: "InternalError", message }
    })

  /** Runs the raw check over `text` cut into `size`-byte chunks: the bytes it emitted, and how it ended. */
  const runRaw = (text: string, size: number, maxLineBytes?: number) =>
    collectUntilFailure(
      chunked(text, size).pipe(checkRawTranscript(maxLineBytes === undefined ? {} : { maxLineBytes }))
    ).pipe(Effect.map(({ seen, exit }) => ({ emitted: bytesOf(seen), exit })))

  /** Fails with ExportTruncated carrying `message` (clipped to 1,000 characters, as the error keeps it). */
  const expectTruncated = (exit: Exit.Exit<unknown, unknown>, message: string, linesReceived: number) => {
    const error = failureOf(exit) as { _tag: string; errorMessage?: string; linesReceived?: number }
    assert.strictEqual(error._tag, "ExportTruncated")
    assert.strictEqual(error.errorMessage, clip(message, 1_000))
    assert.strictEqual(error.linesReceived, linesReceived)
  }

  it.effect(
    "a 200 KiB and a 2 MiB error message fail with ExportTruncated; none of the line is emitted",
    () =>
      Effect.gen(function* () {
        for (const size of [200 * KiB, 2 * MiB]) {
          const message = "m".repeat(size)
          const text = body + errorLine(message, "req_long")
          for (const chunk of [4096, 65_536, 1_000_003, text.length]) {
            const { emitted, exit } = yield* runRaw(text, chunk)
            assert.isTrue(emitted.equals(Buffer.from(body)), `size ${size}, chunks of ${chunk}`)
            expectTruncated(exit, message, 5)
            const error = failureOf(exit)
            if (error._tag === "ExportTruncated") assert.strictEqual(error.requestId, "req_long")
          }
        }
      })
  )

  it.effect("an error line split across many chunks: the bytes emitted stop exactly before it", () =>
    Effect.gen(function* () {
      const text = body + errorLine("export aborted")
      for (const size of [1, 2, 3, 5, 7, 8, 9, 13, 64, 100, text.length]) {
        const { emitted, exit } = yield* runRaw(text, size)
        assert.strictEqual(emitted.toString(), body, `chunks of ${size}`)
        expectTruncated(exit, "export aborted", 5)
      }
    })
  )

  it.effect("an error line with leading whitespace, or ending in CRLF, after blank lines", () =>
    Effect.gen(function* () {
      const crlf = `${body}\r\n${JSON.stringify({ error: { code: "X", message: "crlf" } })}\r\n`
      const spaced = `${body}\n  \t${JSON.stringify({ error: { code: "X", message: "spaced" } })}\n`
      for (const size of [1, 4, 9, 4096]) {
        const a = yield* runRaw(crlf, size)
        assert.strictEqual(a.emitted.toString(), `${body}\r\n`)
        expectTruncated(a.exit, "crlf", 5)
        const b = yield* runRaw(spaced, size)
        assert.strictEqual(b.emitted.toString(), `${body}\n`)
        expectTruncated(b.exit, "spaced", 5)
      }
    })
  )

  it.effect("an error line exactly at the cap is recognised; one byte over fails with LineTooLong", () =>
    Effect.gen(function* () {
      const line = errorLine("c".repeat(100_000))
      const lineBytes = line.length - 1 // without its LF
      for (const size of [1_000, 4096, 100_000, line.length + body.length]) {
        const atCap = yield* runRaw(body + line, size, lineBytes)
        assert.strictEqual(atCap.emitted.toString(), body)
        expectTruncated(atCap.exit, "c".repeat(100_000), 5)

        const over = yield* runRaw(body + line, size, lineBytes - 1)
        assert.strictEqual(over.emitted.toString(), body)
        const error = failureOf(over.exit)
        assert.strictEqual(error._tag, "NdjsonLineError")
        if (error._tag === "NdjsonLineError") {
          assert.strictEqual(error.reason, "LineTooLong")
          assert.strictEqual(error.linesReceived, 5)
        }
      }
    })
  )

  it.effect('a long event line not starting with {"type": passes through byte for byte', () =>
    Effect.gen(function* () {
      const text =
        body +
        ndjson({ session_id: "sess_root", type: "llm_call", prompt: "é".repeat(300_000) }) +
        ` ${JSON.stringify({ type: "tool_call", output: "o".repeat(70_000) })}\r\n` +
        "\n \n" +
        ndjson({ type: "final_answer", text: "done" })
      for (const size of [1_000, 4096, 65_536, text.length]) {
        const { emitted, exit } = yield* runRaw(text, size)
        assert.isTrue(Exit.isSuccess(exit), `chunks of ${size}: ${String(exit)}`)
        assert.isTrue(emitted.equals(Buffer.from(text)), `chunks of ${size}`)
      }
      // The same line over the cap is a typed failure, never a quiet success.
      const { emitted, exit } = yield* runRaw(text, 4096, 100_000)
      assert.strictEqual(emitted.toString(), body)
      const error = failureOf(exit)
      assert.strictEqual(error._tag, "NdjsonLineError")
      if (error._tag === "NdjsonLineError") assert.strictEqual(error.reason, "LineTooLong")
    })
  )

  it.effect("the first line must be session_meta whatever its length", () =>
    Effect.gen(function* () {
      const wide = "w".repeat(200 * KiB)
      const wrong = ndjson({ type: "llm_call", prompt: wide }, { type: "final_answer" })
      for (const size of [4096, wrong.length]) {
        const { emitted, exit } = yield* runRaw(wrong, size)
        assert.strictEqual(emitted.length, 0)
        assert.strictEqual(failureOf(exit)._tag, "DecodeError")
      }
      const right = ndjson({ type: "session_meta", session: { notes: wide } }, { type: "final_answer" })
      const { emitted, exit } = yield* runRaw(right, 4096)
      assert.isTrue(Exit.isSuccess(exit))
      assert.strictEqual(emitted.toString(), right)
      // A first line that is the error line: truncated before anything arrived.
      const first = yield* runRaw(errorLine("x".repeat(200 * KiB)), 4096)
      assert.strictEqual(first.emitted.length, 0)
      expectTruncated(first.exit, "x".repeat(200 * KiB), 0)
    })
  )

  it.effect("the bytes emitted are the body's up to the error line, under every chunking", () =>
    Effect.gen(function* () {
      const events =
        ndjson(meta) +
        '{"type":"a"}\n\n{"ty":1}\n' + // a line that only begins like an event
        ndjson({ session_id: "s", type: "b" }) +
        '{"type":"c","x":"\\"error\\""}\r\n' +
        ndjson({ type: "error", error: { message: "a session error event" } }) +
        "  \r\n"
      const text = events + errorLine("end")
      for (let size = 1; size <= 40; size++) {
        const { emitted, exit } = yield* runRaw(text, size)
        assert.strictEqual(emitted.toString(), events, `chunks of ${size}`)
        expectTruncated(exit, "end", 6)
        const whole = yield* runRaw(events, size)
        assert.isTrue(Exit.isSuccess(whole.exit), `chunks of ${size}: ${String(whole.exit)}`)
        assert.strictEqual(whole.emitted.toString(), events)
      }
    })
  )

  it.effect("memory stays bounded: a line that never ends fails at the cap, an event line flows", () =>
    Effect.gen(function* () {
      const endless = (head: string) =>
        Stream.concat(
          Stream.make(encoder.encode(ndjson(meta) + head)),
          Stream.forever(Stream.succeed(new Uint8Array(64 * KiB).fill(0x61)))
        )
      // A candidate is held only up to the cap.
      const held = failureOf(
        yield* endless('{"error":"').pipe(
          checkRawTranscript({ maxLineBytes: MiB }),
          Stream.runDrain,
          Effect.exit
        )
      )
      assert.strictEqual(held._tag, "NdjsonLineError")
      if (held._tag === "NdjsonLineError") assert.strictEqual(held.reason, "LineTooLong")
      // An event line is not held: its bytes are emitted as they arrive.
      const flowing = yield* endless('{"type":"llm_call","prompt":"').pipe(
        checkRawTranscript({ maxLineBytes: MiB }),
        Stream.take(100),
        Stream.runCollect
      )
      assert.lengthOf(flowing, 100)
    })
  )

  it.effect("a blank tail without a final newline ends the stream; a cut line does not", () =>
    Effect.gen(function* () {
      for (const size of [1, 5, 4096]) {
        const blankTail = yield* runRaw(`${body}\r`, size)
        assert.isTrue(Exit.isSuccess(blankTail.exit))
        assert.strictEqual(blankTail.emitted.toString(), `${body}\r`)
        const cut = yield* runRaw(`${body}{"error":{"message":"no newline"}}`, size)
        assert.strictEqual(cut.emitted.toString(), body)
        assert.strictEqual(failureOf(cut.exit)._tag, "NdjsonLineError")
      }
    })
  )
})

describe("decodeTranscript: the error line, whatever its length and chunking", () => {
  const errorText = (message: string) => JSON.stringify({ error: { code: "InternalError", message } })

  it.effect("long, split, spaced, CRLF and at-the-cap error lines fail with ExportTruncated", () =>
    Effect.gen(function* () {
      const long = "m".repeat(2 * 1024 * 1024)
      const cases: ReadonlyArray<readonly [string, string, number | undefined]> = [
        [`${body}${errorText(long)}\n`, long, undefined],
        [`${body}${errorText("short")}\n`, "short", undefined],
        [`${body}\r\n  ${errorText("spaced")}\r\n`, "spaced", undefined],
        [`${body}${errorText("c".repeat(1000))}\n`, "c".repeat(1000), errorText("c".repeat(1000)).length]
      ]
      for (const [text, message, cap] of cases) {
        for (const size of [1, 7, 4096, 65_536, text.length]) {
          if (size < 4096 && text.length > 100_000) continue
          const { seen, exit } = yield* collectUntilFailure(
            chunked(text, size).pipe(decodeTranscript(cap === undefined ? {} : { maxLineBytes: cap }))
          )
          assert.strictEqual(seen.length, 5)
          const error = failureOf(exit)
          assert.strictEqual(error._tag, "ExportTruncated", `chunks of ${size}`)
          if (error._tag === "ExportTruncated") assert.strictEqual(error.errorMessage, clip(message, 1_000))
        }
      }
      // Over the cap: a typed failure, never a quiet end.
      const over = failureOf(yield* collectDecoded(`${body}${errorText(long)}\n`, 4096, 1024 * 1024))
      assert.strictEqual(over._tag, "NdjsonLineError")
      if (over._tag === "NdjsonLineError") assert.strictEqual(over.reason, "LineTooLong")
    })
  )
})

/** The fields both variants must agree on, for a failure. */
const comparable = (error: unknown) => {
  const e = error as Record<string, unknown>
  return {
    _tag: e._tag,
    message: e.message,
    reason: e.reason,
    path: e.path,
    linesReceived: e.linesReceived,
    operationId: e.operationId,
    requestId: e.requestId,
    code: e.code,
    errorMessage: e.errorMessage
  }
}

describe("checkRawTranscript: a held line must be a JSON object, as for decodeTranscript", () => {
  const head = ndjson(meta, { type: "agent_text", session_id: "sess_root", text: "looking" })
  const options = { operationId: "session-read-export", requestId: "req_resp" }

  /** Both variants over `text` in `size`-byte chunks: the raw bytes emitted and both failures. */
  const both = (text: string, size: number) =>
    Effect.gen(function* () {
      const raw = yield* collectUntilFailure(chunked(text, size).pipe(checkRawTranscript(options)))
      const decoded = yield* collectUntilFailure(chunked(text, size).pipe(decodeTranscript(options)))
      return { emitted: Buffer.concat(raw.seen).toString(), raw: raw.exit, decoded: decoded.exit }
    })

  const brokenTrailers = [
    '{"error":{"code":"InternalError","message":"upstream said "no""}}', // an unescaped quote
    '{"error":{"code":"InternalError","message":"export aborted"},}', // a trailing comma
    "ERROR: export aborted: context deadline exceeded", // plain text
    '{"error":', // an object never closed
    '  {"request_id":"r" "error":"x"}\r' // a missing comma, spaced, CRLF
  ]

  it.effect("a broken trailing line fails with InvalidJson, the same error as the decoded variant's", () =>
    Effect.gen(function* () {
      for (const trailer of brokenTrailers) {
        const text = `${head}${trailer}\n`
        for (const size of [1, 3, 8, 9, 17, 64, text.length]) {
          const { emitted, raw, decoded } = yield* both(text, size)
          const label = `${JSON.stringify(trailer)} in chunks of ${size}`
          assert.strictEqual(emitted, head, label)
          const error = failureOf(raw)
          assert.strictEqual(error._tag, "NdjsonLineError", label)
          if (error._tag === "NdjsonLineError") {
            assert.strictEqual(error.reason, "InvalidJson", label)
            assert.strictEqual(error.linesReceived, 2, label)
            assert.strictEqual(error.operationId, "session-read-export")
            assert.strictEqual(error.requestId, "req_resp")
          }
          assert.deepStrictEqual(comparable(error), comparable(failureOf(decoded)), label)
        }
      }
    })
  )

  it.effect("a broken line in the middle fails too, and nothing after it is emitted", () =>
    Effect.gen(function* () {
      const tail = ndjson({ type: "final_answer", text: "done" })
      for (const trailer of brokenTrailers) {
        const text = `${head}${trailer}\n${tail}`
        for (const size of [1, 7, text.length]) {
          const { emitted, raw, decoded } = yield* both(text, size)
          assert.strictEqual(emitted, head)
          assert.deepStrictEqual(comparable(failureOf(raw)), comparable(failureOf(decoded)))
          assert.strictEqual(failureOf(raw)._tag, "NdjsonLineError")
        }
      }
    })
  )

  it.effect("a held line that is JSON but not an object fails with the decoded variant's DecodeError", () =>
    Effect.gen(function* () {
      for (const trailer of ["[1,2]", '"export aborted"', "42", "null", "true", ' ["error"]\r']) {
        const text = `${head}${trailer}\n`
        for (const size of [1, 5, 9, text.length]) {
          const { emitted, raw, decoded } = yield* both(text, size)
          assert.strictEqual(emitted, head)
          const error = failureOf(raw)
          assert.strictEqual(error._tag, "DecodeError", `${trailer} in chunks of ${size}`)
          if (error._tag === "DecodeError") {
            assert.strictEqual(error.path, "line 3")
            assert.strictEqual(error.message, "Line 3 is not a JSON object")
          }
          assert.deepStrictEqual(comparable(error), comparable(failureOf(decoded)))
        }
      }
    })
  )

  it.effect("a broken or non-object first line: the same failure as the decoded variant's", () =>
    Effect.gen(function* () {
      for (const first of ["ERROR: no such session", '{"type":"session_meta",}', "[]"]) {
        const text = `${first}\n${ndjson({ type: "final_answer" })}`
        for (const size of [1, 6, text.length]) {
          const { emitted, raw, decoded } = yield* both(text, size)
          assert.strictEqual(emitted, "")
          assert.deepStrictEqual(comparable(failureOf(raw)), comparable(failureOf(decoded)), first)
        }
      }
    })
  )

  it.effect('event lines (they begin with {"type":) are not parsed in raw mode', () =>
    Effect.gen(function* () {
      // Not JSON, but it begins like an event: passed through (only decodeTranscript parses it).
      const text = `${head}{"type":"agent_text", not json}\n`
      for (const size of [1, 9, text.length]) {
        const { emitted, raw } = yield* both(text, size)
        assert.isTrue(Exit.isSuccess(raw))
        assert.strictEqual(emitted, text)
      }
    })
  )
})

describe("ExportTruncated: the error line's texts scrubbed, then clipped, before the message is composed", () => {
  const secret = "q7x4"
  /** The client's scrubbing: a short secret is replaced only where it is a whole value. */
  const scrub = (text: string) => scrubText(text, [secret])
  const runBoth = (text: string, options: TranscriptOptions) =>
    Effect.gen(function* () {
      const raw = failureOf(
        yield* chunked(text, 7).pipe(checkRawTranscript(options), Stream.runDrain, Effect.exit)
      )
      const decoded = failureOf(
        yield* chunked(text, 7).pipe(decodeTranscript(options), Stream.runDrain, Effect.exit)
      )
      return [raw, decoded] as const
    })

  it.effect("the code, message and request_id of the error line go through scrub", () =>
    Effect.gen(function* () {
      for (const field of ["code", "message", "request_id"] as const) {
        const line = {
          request_id: field === "request_id" ? secret : "req_9",
          error: {
            code: field === "code" ? secret : "InternalError",
            message: field === "message" ? secret : "export aborted"
          }
        }
        const text = body + ndjson(line)
        for (const error of yield* runBoth(text, { scrub })) {
          assert.strictEqual(error._tag, "ExportTruncated")
          if (error._tag !== "ExportTruncated") continue
          assert.notInclude(error.message, secret, field)
          assert.notInclude(error.code ?? "", secret)
          assert.notInclude(error.errorMessage ?? "", secret)
          assert.notInclude(error.requestId ?? "", secret)
          assert.strictEqual(error.code, field === "code" ? "<redacted>" : "InternalError")
          assert.strictEqual(error.errorMessage, field === "message" ? "<redacted>" : "export aborted")
          assert.strictEqual(error.requestId, field === "request_id" ? "<redacted>" : "req_9")
          if (field === "code") assert.include(error.message, "(<redacted>)")
          if (field === "message") assert.isTrue(error.message.endsWith(": <redacted>"), error.message)
        }
        // Without scrub, the texts are kept.
        for (const error of yield* runBoth(text, {})) {
          if (error._tag !== "ExportTruncated") throw new Error(error._tag)
          if (field !== "request_id") assert.include(error.message, secret)
          else assert.strictEqual(error.requestId, secret)
        }
      }
    })
  )

  it.effect(
    "code, message and request id are clipped, and the message is composed from the clipped parts",
    () =>
      Effect.gen(function* () {
        const line = {
          request_id: "r".repeat(5_000),
          error: { code: "C".repeat(5_000), message: "m".repeat(50_000) }
        }
        for (const error of yield* runBoth(body + ndjson(line), { requestId: "req_resp" })) {
          assert.strictEqual(error._tag, "ExportTruncated")
          if (error._tag !== "ExportTruncated") continue
          assert.strictEqual(error.code, clip("C".repeat(5_000), 100))
          assert.strictEqual(error.errorMessage, clip("m".repeat(50_000), 1_000))
          assert.strictEqual(error.requestId, clip("r".repeat(5_000), 200))
          assert.strictEqual(
            error.message,
            `The transcript is incomplete: the server failed after 5 lines (${error.code}): ${error.errorMessage}`
          )
          assert.isBelow(error.message.length, 1_300)
        }
      })
  )

  it.effect("scrub runs before clipping: a secret at the cut is still replaced", () =>
    Effect.gen(function* () {
      const long = `${"m".repeat(998)}${secret}`
      const scrubAnywhere = (text: string) => text.split(secret).join("<redacted>")
      for (const error of yield* runBoth(body + ndjson({ error: { message: long } }), {
        scrub: scrubAnywhere
      })) {
        if (error._tag !== "ExportTruncated") throw new Error(error._tag)
        assert.notInclude(error.message, "q7")
        assert.strictEqual(error.errorMessage, clip(`${"m".repeat(998)}<redacted>`, 1_000))
      }
    })
  )
})
