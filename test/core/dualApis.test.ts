/**
 * The combinators users call on schedules and streams work both data-first and in a `pipe`,
 * like Effect's own (`Function.dual`), with the same result either way.
 */
import * as NodeFs from "node:fs/promises"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Schedule, Stream } from "effect"
import { type FlashdutyError, RateLimited } from "../../src/Errors.js"
import * as NodeFileSystem from "../../src/node/NodeFileSystem.js"
import * as Retry from "../../src/Retry.js"
import { checkRawTranscript } from "../../src/sessionTranscript/RawTranscript.js"
import { decodeTranscript } from "../../src/sessionTranscript/SessionTranscript.js"
import { decodeNdjson } from "../../src/streaming/NdjsonLines.js"
import { writeStreamToFile } from "../../src/streaming/WriteToFile.js"

const bytes = () =>
  Stream.make(new TextEncoder().encode('{"type":"session_meta","session_id":"s"}\n{"type":"agent_text"}\n'))

describe("dual APIs", () => {
  it.effect("Retry.respectRetryAfter: data-first and piped wait the same", () =>
    Effect.gen(function* () {
      const base = Schedule.spaced("10 millis").pipe(
        Schedule.upTo({ times: 1 }),
        Schedule.setInputType<FlashdutyError>()
      )
      const error = new RateLimited({ message: "slow", retryAfter: Duration.seconds(2) })
      const first = Retry.respectRetryAfter(base, { maxRetryAfter: "1 second" })
      const piped = base.pipe(Retry.respectRetryAfter({ maxRetryAfter: "1 second" }))
      // Both give up at once (2 s asked, 1 s allowed): the error after one attempt, no wait.
      for (const policy of [first, piped]) {
        let attempts = 0
        const exit = yield* Effect.exit(
          Effect.retry(
            Effect.suspend(() => {
              attempts++
              return Effect.fail(error)
            }),
            policy
          )
        )
        assert.isTrue(exit._tag === "Failure")
        assert.strictEqual(attempts, 1)
      }
    })
  )

  it.effect("decodeNdjson, decodeTranscript, checkRawTranscript: the same elements either way", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(
        yield* Stream.runCollect(decodeNdjson(bytes(), { maxLineBytes: 1024 })),
        yield* Stream.runCollect(bytes().pipe(decodeNdjson({ maxLineBytes: 1024 })))
      )
      assert.deepStrictEqual(
        yield* Stream.runCollect(decodeTranscript(bytes())),
        yield* Stream.runCollect(bytes().pipe(decodeTranscript()))
      )
      assert.deepStrictEqual(
        yield* Stream.runCollect(checkRawTranscript(bytes(), {})),
        yield* Stream.runCollect(bytes().pipe(checkRawTranscript({})))
      )
    })
  )

  it.live("writeStreamToFile: data-first and piped write the same file", () =>
    Effect.gen(function* () {
      const dir = yield* Effect.promise(() => NodeFs.mkdtemp(NodePath.join(NodeOs.tmpdir(), "fd-dual-")))
      yield* Effect.addFinalizer(() => Effect.promise(() => NodeFs.rm(dir, { recursive: true, force: true })))
      const a = yield* writeStreamToFile(bytes(), NodePath.join(dir, "a"))
      const b = yield* bytes().pipe(writeStreamToFile(NodePath.join(dir, "b")))
      assert.strictEqual(a.bytesWritten, b.bytesWritten)
      const [ta, tb] = yield* Effect.promise(() =>
        Promise.all([NodeFs.readFile(a.path, "utf8"), NodeFs.readFile(b.path, "utf8")])
      )
      assert.strictEqual(ta, tb)
    }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer))
  )
})
