import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Stream } from "effect"
import { decodeNdjson, type NdjsonOptions } from "../../src/streaming/NdjsonLines.js"

const bytesOf = (text: string) => new TextEncoder().encode(text)

/** `bytes` cut every `size` bytes: lines and multi-byte characters straddle chunks. */
const chunks = (bytes: Uint8Array, size: number) => {
  const out: Array<Uint8Array> = []
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size))
  return Stream.fromIterable(out)
}

const decode = (bytes: Uint8Array, size: number, options?: NdjsonOptions) =>
  chunks(bytes, size).pipe(decodeNdjson(options), Stream.runCollect, Effect.exit)

const reasonOf = (exit: Exit.Exit<unknown, unknown>) => {
  const fail = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail") : undefined
  const error =
    fail?._tag === "Fail" ? (fail.error as { reason?: string; linesReceived?: number }) : undefined
  return [error?.reason, error?.linesReceived]
}

describe("decodeNdjson", () => {
  it.effect("splits LF and CRLF lines across any chunking, skips blank lines, keeps UTF-8 whole", () =>
    Effect.gen(function* () {
      const text = '{"a":"é"}\r\n\n{"b":"日本語🙂"}\n   \n{"c":[1,2]}\n'
      for (const size of [1, 2, 3, 5, 64]) {
        const exit = yield* decode(bytesOf(text), size)
        assert.deepStrictEqual(exit, Exit.succeed([{ a: "é" }, { b: "日本語🙂" }, { c: [1, 2] }]))
      }
    })
  )

  it.effect("a line of 5 MiB spanning many chunks decodes; one byte over the cap fails", () =>
    Effect.gen(function* () {
      const wide = "x".repeat(5 * 1024 * 1024)
      const text = `{"w":"${wide}"}\n`
      const ok = yield* decode(bytesOf(text), 65_536)
      assert.isTrue(Exit.isSuccess(ok))
      if (Exit.isSuccess(ok)) assert.strictEqual((ok.value[0] as { w: string }).w.length, wide.length)
      const lineBytes = text.length - 1
      assert.deepStrictEqual(reasonOf(yield* decode(bytesOf(text), 65_536, { maxLineBytes: lineBytes })), [
        undefined,
        undefined
      ])
      assert.deepStrictEqual(
        reasonOf(yield* decode(bytesOf(text), 65_536, { maxLineBytes: lineBytes - 1 })),
        ["LineTooLong", 0]
      )
    })
  )

  it.effect("an unterminated last line is CutMidLine, unless a final newline is not required", () =>
    Effect.gen(function* () {
      const text = '{"a":1}\n{"b":2}'
      assert.deepStrictEqual(reasonOf(yield* decode(bytesOf(text), 4)), ["CutMidLine", 1])
      const lenient = yield* decode(bytesOf(text), 4, { requireFinalNewline: false })
      assert.deepStrictEqual(lenient, Exit.succeed([{ a: 1 }, { b: 2 }]))
    })
  )

  it.effect("invalid JSON and invalid UTF-8 fail with their reason and the count before them", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(reasonOf(yield* decode(bytesOf('{"a":1}\n{"a":\n'), 3)), ["InvalidJson", 1])
      const badUtf8 = new Uint8Array([...bytesOf('{"a":1}\n{"a":"'), 0xff, ...bytesOf('"}\n')])
      assert.deepStrictEqual(reasonOf(yield* decode(badUtf8, 3)), ["InvalidUtf8", 1])
      // The same inside one chunk (lines decoded together): the good lines before still count.
      const inOneChunk = (text: string, bad: Uint8Array = new Uint8Array()) =>
        new Uint8Array([...bytesOf('{"a":1}\n\n{"a":2}\n'), ...bad, ...bytesOf(text)])
      assert.deepStrictEqual(reasonOf(yield* decode(inOneChunk('{"a":\n{"a":3}\n'), 1024)), [
        "InvalidJson",
        2
      ])
      const badInOne = inOneChunk('"}\n{"a":3}\n', new Uint8Array([...bytesOf('{"a":"'), 0xff]))
      assert.deepStrictEqual(reasonOf(yield* decode(badInOne, 1024)), ["InvalidUtf8", 2])
    })
  )

  it.effect("a line spanning chunks that ends inside a multi-byte character is InvalidUtf8", () =>
    Effect.gen(function* () {
      // "日" is E6 97 A5: the line ends after its first two bytes, then a good line follows.
      const cut = new Uint8Array([...bytesOf('{"a":1}\n{"b":"'), 0xe6, 0x97, ...bytesOf('\n{"c":2}\n')])
      for (const size of [1, 2, 3, 7]) {
        assert.deepStrictEqual(reasonOf(yield* decode(cut, size)), ["InvalidUtf8", 1])
      }
      // The same character whole, in lines spanning chunks one after another, decodes.
      const whole = bytesOf('{"b":"日"}\n{"b":"日日"}\n{"c":2}\n')
      for (const size of [1, 2, 3, 7]) {
        assert.deepStrictEqual(
          yield* decode(whole, size),
          Exit.succeed([{ b: "日" }, { b: "日日" }, { c: 2 }])
        )
      }
    })
  )
})
