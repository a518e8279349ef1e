/**
 * `writeBehindSink` (the file sink's batching) with a fake `write`, and `writeStreamToFile`
 * through `NodeFileSystem` when the stream is interrupted while writes are in flight.
 */
import * as NodeFs from "node:fs/promises"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Stream } from "effect"
import * as NodeFileSystem from "../../src/node/NodeFileSystem.js"
import { writeBehindSink } from "../../src/streaming/internal/writeBehind.js"
import { writeStreamToFile } from "../../src/streaming/WriteToFile.js"

const bytes = (...values: Array<number>) => new Uint8Array(values)

/** A fake file: the batches written, and how many writes ran at once at most. */
const recorder = () => {
  const batches: Array<Array<number>> = []
  let active = 0
  let maxActive = 0
  const write = (chunks: ReadonlyArray<Uint8Array>) =>
    Effect.gen(function* () {
      active++
      maxActive = Math.max(maxActive, active)
      // Yield a few times so that an overlapping write would be seen as concurrent.
      for (let i = 0; i < 5; i++) yield* Effect.yieldNow
      batches.push(chunks.flatMap((chunk) => [...chunk]))
      active--
    })
  return { batches, write, maxActive: () => maxActive }
}

describe("writeBehindSink", () => {
  it.effect("writes batches of at least batchBytes in order, the rest at the end, one write at a time", () =>
    Effect.gen(function* () {
      const file = recorder()
      yield* Stream.run(
        Stream.make(bytes(1, 2), bytes(), bytes(3), bytes(4, 5, 6), bytes(7), bytes(8)).pipe(
          Stream.rechunk(1)
        ),
        writeBehindSink(file.write, 3)
      )
      assert.deepStrictEqual(file.batches, [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8]
      ])
      assert.strictEqual(file.maxActive(), 1)
    })
  )

  it.effect("writes nothing for an empty stream", () =>
    Effect.gen(function* () {
      const file = recorder()
      yield* Stream.run(Stream.make(bytes()), writeBehindSink(file.write, 3))
      assert.deepStrictEqual(file.batches, [])
    })
  )

  it.live("reads the next batch while the previous one is being written", () =>
    Effect.gen(function* () {
      const secondBatchRead = yield* Deferred.make<void>()
      const written: Array<number> = []
      const write = (chunks: ReadonlyArray<Uint8Array>) =>
        Effect.gen(function* () {
          // The first write completes only once the sink has pulled the next batch: without
          // the overlap this would never happen (guarded so the test fails, not hangs).
          if (written.length === 0) yield* Deferred.await(secondBatchRead).pipe(Effect.timeout("5 seconds"))
          for (const chunk of chunks) written.push(...chunk)
        })
      yield* Stream.run(
        Stream.make(bytes(1, 2), bytes(3, 4), bytes(5)).pipe(
          Stream.rechunk(1),
          Stream.tap((chunk) => (chunk[0] === 3 ? Deferred.succeed(secondBatchRead, undefined) : Effect.void))
        ),
        writeBehindSink(write, 2)
      )
      assert.deepStrictEqual(written, [1, 2, 3, 4, 5])
    })
  )

  it.effect("fails with the error of a write, whether found at the next batch or at the end", () =>
    Effect.gen(function* () {
      const failingAt = (failing: number) => {
        let calls = 0
        return (_chunks: ReadonlyArray<Uint8Array>) =>
          ++calls === failing ? Effect.fail(`write ${failing} failed` as const) : Effect.void
      }
      const chunks = Stream.make(bytes(1), bytes(2), bytes(3)).pipe(Stream.rechunk(1))
      assert.deepStrictEqual(
        yield* Stream.run(chunks, writeBehindSink(failingAt(1), 1)).pipe(Effect.exit),
        Exit.fail("write 1 failed" as const)
      )
      assert.deepStrictEqual(
        yield* Stream.run(chunks, writeBehindSink(failingAt(3), 1)).pipe(Effect.exit),
        Exit.fail("write 3 failed" as const)
      )
    })
  )

  it.effect("a failing stream fails the sink with the stream's error", () =>
    Effect.gen(function* () {
      const file = recorder()
      const exit = yield* Stream.run(
        Stream.make(bytes(1, 2, 3)).pipe(Stream.concat(Stream.fail("boom" as const))),
        writeBehindSink(file.write, 2)
      ).pipe(Effect.exit)
      assert.deepStrictEqual(exit, Exit.fail("boom" as const))
    })
  )
})

describe("writeStreamToFile through NodeFileSystem", () => {
  it.live("interrupted with writes in flight, it leaves no file", () =>
    Effect.gen(function* () {
      const dir = yield* Effect.promise(() => NodeFs.mkdtemp(NodePath.join(NodeOs.tmpdir(), "fd-wb-")))
      yield* Effect.addFinalizer(() => Effect.promise(() => NodeFs.rm(dir, { recursive: true, force: true })))
      const written = yield* Deferred.make<void>()
      // 2 MiB arrive (several batches written), then the body stalls.
      const chunk = new Uint8Array(64 * 1024).fill(0x61)
      const body = Stream.range(1, 32).pipe(
        Stream.map(() => chunk),
        Stream.concat(Stream.never)
      )
      const fiber = yield* body.pipe(
        writeStreamToFile(NodePath.join(dir, "t.ndjson"), {
          onProgress: ({ bytesWritten }) =>
            bytesWritten === 32 * chunk.length ? Deferred.succeed(written, undefined) : Effect.void
        }),
        Effect.forkChild
      )
      yield* Deferred.await(written)
      yield* Fiber.interrupt(fiber)
      assert.deepStrictEqual(yield* Effect.promise(() => NodeFs.readdir(dir)), [])
    }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer))
  )
})
