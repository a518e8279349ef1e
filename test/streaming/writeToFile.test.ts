/**
 * `writeStreamToFile` through `NodeFileSystem`: the file appears whole or not at all, also
 * when several writes to one path run at once.
 */
import * as NodeFs from "node:fs/promises"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Stream } from "effect"
import * as NodeFileSystem from "../../src/node/NodeFileSystem.js"
import { writeStreamToFile } from "../../src/streaming/WriteToFile.js"

const KiB = 1024

/** A fresh directory, removed when the scope closes. */
const tempDir = Effect.acquireRelease(
  Effect.promise(() => NodeFs.mkdtemp(NodePath.join(NodeOs.tmpdir(), "fd-write-"))),
  (dir) => Effect.promise(() => NodeFs.rm(dir, { recursive: true, force: true }))
)

const readdir = (dir: string) => Effect.promise(() => NodeFs.readdir(dir))
const readFile = (path: string) => Effect.promise(() => NodeFs.readFile(path))

const filled = (size: number, byte: string) => new Uint8Array(size).fill(byte.charCodeAt(0))

describe("writeStreamToFile", () => {
  it.live("writes the stream's bytes, and leaves no temporary file", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const path = NodePath.join(dir, "out.ndjson")
      const chunks = [filled(300 * KiB, "a"), filled(10, "b"), filled(600 * KiB, "c")]
      const written = yield* Stream.fromIterable(chunks).pipe(writeStreamToFile(path))
      assert.deepStrictEqual(written, { path, bytesWritten: 900 * KiB + 10 })
      assert.isTrue((yield* readFile(path)).equals(Buffer.concat(chunks)))
      assert.deepStrictEqual(yield* readdir(dir), ["out.ndjson"])
    }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer))
  )

  it.live("a failed stream leaves an existing file untouched and no temporary file", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const path = NodePath.join(dir, "out.ndjson")
      yield* Effect.promise(() => NodeFs.writeFile(path, "before\n"))
      const exit = yield* Stream.make(filled(600 * KiB, "x")).pipe(
        Stream.concat(Stream.fail("cut" as const)),
        writeStreamToFile(path),
        Effect.exit
      )
      assert.deepStrictEqual(exit, Exit.fail("cut" as const))
      assert.strictEqual((yield* readFile(path)).toString(), "before\n")
      assert.deepStrictEqual(yield* readdir(dir), ["out.ndjson"])
    }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer))
  )

  it.live("a failed rename removes the temporary file", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      // A non-empty directory at the path: the rename onto it fails.
      const path = NodePath.join(dir, "taken")
      yield* Effect.promise(() => NodeFs.mkdir(NodePath.join(path, "inside"), { recursive: true }))
      const exit = yield* Stream.make(filled(10, "x")).pipe(writeStreamToFile(path), Effect.exit)
      assert.isTrue(Exit.isFailure(exit))
      assert.deepStrictEqual(yield* readdir(dir), ["taken"])
    }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer))
  )

  it.live("two concurrent writes to one path: the one that fails late does not touch the other's file", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const path = NodePath.join(dir, "same.ndjson")
      const lateStarted = yield* Deferred.make<void>()
      const firstDone = yield* Deferred.make<void>()

      // The late write opens its file and reads a first chunk, waits until the other write
      // has renamed its file into place, then writes several batches and fails.
      const late = Stream.make(filled(10, "L")).pipe(
        Stream.tap(() => Deferred.succeed(lateStarted, undefined)),
        Stream.concat(Stream.fromEffect(Deferred.await(firstDone)).pipe(Stream.flatMap(() => Stream.empty))),
        // One chunk per pull: each batch is written (joined) before the next starts.
        Stream.concat(
          Stream.fromIterable([1, 2, 3].map(() => filled(512 * KiB, "L"))).pipe(Stream.rechunk(1))
        ),
        Stream.concat(Stream.fail("late failure" as const))
      )
      const lateFiber = yield* late.pipe(writeStreamToFile(path), Effect.forkChild)

      yield* Deferred.await(lateStarted)
      const firstBytes = [filled(300 * KiB, "F"), filled(7, "f")]
      const first = yield* Stream.fromIterable(firstBytes).pipe(writeStreamToFile(path))
      assert.strictEqual(first.bytesWritten, 300 * KiB + 7)
      yield* Deferred.succeed(firstDone, undefined)

      const lateExit = yield* Fiber.await(lateFiber)
      assert.deepStrictEqual(lateExit, Exit.fail("late failure" as const))
      const content = yield* readFile(path)
      assert.strictEqual(content.length, 300 * KiB + 7)
      assert.isTrue(content.equals(Buffer.concat(firstBytes)))
      assert.deepStrictEqual(yield* readdir(dir), ["same.ndjson"])
    }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer))
  )

  it.live("two concurrent successful writes to one path: the file is one of the two, whole", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const path = NodePath.join(dir, "same.ndjson")
      const a = [filled(700 * KiB, "a")]
      const b = [filled(400 * KiB, "b"), filled(3, "B")]
      yield* Effect.all(
        [
          Stream.fromIterable(a).pipe(writeStreamToFile(path)),
          Stream.fromIterable(b).pipe(writeStreamToFile(path))
        ],
        { concurrency: 2 }
      )
      const content = yield* readFile(path)
      assert.isTrue(
        content.equals(Buffer.concat(a)) || content.equals(Buffer.concat(b)),
        `${content.length} bytes`
      )
      assert.deepStrictEqual(yield* readdir(dir), ["same.ndjson"])
    }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer))
  )
})
