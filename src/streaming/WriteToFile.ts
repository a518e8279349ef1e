/**
 * Writing a byte stream to a file through Effect's `FileSystem`, with progress, so that
 * a failed or interrupted download never leaves a file that looks complete.
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FileSystem from "effect/FileSystem"
import { dual } from "effect/Function"
import type * as PlatformError from "effect/PlatformError"
import * as Stream from "effect/Stream"

export interface WriteProgress {
  /** Bytes handed to the file so far. */
  readonly bytesWritten: number
}

export interface WriteToFileOptions<R = never> {
  /** Called after each chunk; keep it cheap (or throttle it). */
  readonly onProgress?: (progress: WriteProgress) => Effect.Effect<void, never, R>
}

export interface WrittenFile {
  readonly path: string
  readonly bytesWritten: number
}

/** `writeStreamToFile`, curried (the data-last half of the dual below). */
const writeStreamToFileWith =
  <R2 = never>(path: string, options: WriteToFileOptions<R2> = {}) =>
  <E, R>(
    bytes: Stream.Stream<Uint8Array, E, R>
  ): Effect.Effect<WrittenFile, E | PlatformError.PlatformError, R | R2 | FileSystem.FileSystem> =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      // Unique per write: a shared name would let a concurrent write to the same path keep
      // writing through its open handle into the file this one renamed into place.
      const partial = `${path}.${globalThis.crypto.randomUUID()}.partial`
      let bytesWritten = 0
      const onProgress = options.onProgress
      // No read-ahead buffer here: how writes are batched and overlapped with reading is
      // the sink's business (`NodeFileSystem`'s writes ~256 KiB batches behind the stream);
      // a `Stream.buffer` costs a fiber hand-off per chunk.
      const counted =
        onProgress === undefined
          ? Stream.mapArray(bytes, (chunks) => {
              for (const chunk of chunks) bytesWritten += chunk.length
              return chunks
            })
          : Stream.tap(bytes, (chunk) => {
              bytesWritten += chunk.length
              return onProgress({ bytesWritten })
            })
      yield* Stream.run(counted, fs.sink(partial)).pipe(
        Effect.andThen(fs.rename(partial, path)),
        Effect.onExit((exit) =>
          Exit.isSuccess(exit) ? Effect.void : Effect.ignore(fs.remove(partial, { force: true }))
        )
      )
      return { path, bytesWritten }
    })

/**
 * Streams `bytes` into `path`. The data goes to a temporary file of its own next to `path`
 * first (`<path>.<random UUID>.partial`, in the same directory so that the rename is
 * atomic) and is renamed to `path` only when the stream completed; on failure or
 * interruption (of the stream, the write or the rename) the temporary file is removed and
 * the error is returned (an existing file at `path` is untouched).
 *
 * Several writes to one path may run at once: each writes its own temporary file, so the
 * file at `path` is always one whole stream (the last one renamed), never a mix, and a
 * write that fails never touches the file another one put in place.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { writeStreamToFile } from "effect-flashduty"
 * import { NodeFileSystem } from "effect-flashduty/node"
 *
 * const bytes = Stream.make(new TextEncoder().encode("hello\n"))
 * const program = bytes.pipe(
 *   writeStreamToFile("./hello.txt", {
 *     onProgress: ({ bytesWritten }) => Effect.log(`${bytesWritten} bytes`)
 *   }),
 *   Effect.provide(NodeFileSystem.layer)
 * )
 * ```
 *
 * Data-first (`writeStreamToFile(bytes, …)`) or in a `pipe` (`bytes.pipe(writeStreamToFile(…))`).
 */
export const writeStreamToFile: {
  <R2 = never>(
    path: string,
    options?: WriteToFileOptions<R2>
  ): <E, R>(
    bytes: Stream.Stream<Uint8Array, E, R>
  ) => Effect.Effect<WrittenFile, E | PlatformError.PlatformError, R | R2 | FileSystem.FileSystem>
  <E, R, R2 = never>(
    bytes: Stream.Stream<Uint8Array, E, R>,
    path: string,
    options?: WriteToFileOptions<R2>
  ): Effect.Effect<WrittenFile, E | PlatformError.PlatformError, R | R2 | FileSystem.FileSystem>
} = dual(
  (args) => Stream.isStream(args[0]),
  <E, R, R2 = never>(
    bytes: Stream.Stream<Uint8Array, E, R>,
    path: string,
    options?: WriteToFileOptions<R2>
  ) => writeStreamToFileWith(path, options)(bytes)
)
