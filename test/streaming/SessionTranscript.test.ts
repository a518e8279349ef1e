import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Schema, Stream } from "effect"
import { ExportLine } from "../../src/streaming/ExportLine.js"
import { checkRawTranscript, decodeTranscript } from "../../src/streaming/SessionTranscript.js"

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
