/**
 * A minimal Node.js `FileSystem` layer over `node:fs`, so that `sessions.exportToFile`
 * and `UploadFile.fromPath` work on Node without another dependency.
 *
 * Effect 4's core ships the `FileSystem` interface but no Node implementation (that is
 * `@effect/platform-node`'s `NodeFileSystem.layer`, which works here too and is complete).
 * This one implements only what the SDK uses: `stat`, `stream`, `sink`, `exists`,
 * `rename`, `remove`, `makeDirectory`; every other method fails with `NotFound`.
 * It imports `node:fs`: keep it out of browser bundles (it is not needed there).
 */
import * as NodeFs from "node:fs"
import * as NodeFsPromises from "node:fs/promises"
import * as ByteSize from "effect/ByteSize"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as PlatformError from "effect/PlatformError"
import * as Sink from "effect/Sink"
import * as Stream from "effect/Stream"
import { writeBehindSink } from "../streaming/internal/writeBehind.js"

/**
 * Bytes gathered per file write: four 64 KiB `fetch` chunks. Fewer, larger writes cut the
 * thread-pool round trips (one per chunk otherwise); the memory held is
 * about two batches.
 */
const WRITE_BATCH_BYTES = 256 * 1024

const tagOfCode = (code: string | undefined): PlatformError.SystemErrorTag => {
  switch (code) {
    case "ENOENT":
      return "NotFound"
    case "EACCES":
    case "EPERM":
      return "PermissionDenied"
    case "EEXIST":
      return "AlreadyExists"
    case "EISDIR":
    case "ENOTDIR":
    case "EBADF":
      return "BadResource"
    case "EBUSY":
      return "Busy"
    case "ETIMEDOUT":
      return "TimedOut"
    default:
      return "Unknown"
  }
}

const toPlatformError = (method: string, path: string) => (cause: unknown) => {
  const error = cause as NodeJS.ErrnoException
  return PlatformError.systemError({
    _tag: tagOfCode(error?.code),
    module: "FileSystem",
    method,
    pathOrDescriptor: path,
    ...(typeof error?.syscall === "string" ? { syscall: error.syscall } : {}),
    ...(typeof error?.message === "string" ? { description: error.message } : {}),
    cause
  })
}

const attempt = <A>(method: string, path: string, run: () => Promise<A>) =>
  Effect.tryPromise({ try: run, catch: toPlatformError(method, path) })

const typeOf = (stats: NodeFs.Stats): FileSystem.File.Type =>
  stats.isFile()
    ? "File"
    : stats.isDirectory()
      ? "Directory"
      : stats.isSymbolicLink()
        ? "SymbolicLink"
        : stats.isFIFO()
          ? "FIFO"
          : stats.isSocket()
            ? "Socket"
            : "Unknown"

const toInfo = (stats: NodeFs.Stats): FileSystem.File.Info => ({
  type: typeOf(stats),
  mtime: Option.some(stats.mtime),
  atime: Option.some(stats.atime),
  birthtime: Option.some(stats.birthtime),
  dev: BigInt(stats.dev),
  ino: Option.some(BigInt(stats.ino)),
  mode: stats.mode,
  nlink: Option.some(BigInt(stats.nlink)),
  uid: Option.some(stats.uid),
  gid: Option.some(stats.gid),
  rdev: Option.some(BigInt(stats.rdev)),
  size: ByteSize.bytes(stats.size),
  blksize: Option.some(ByteSize.bytes(stats.blksize)),
  blocks: Option.some(BigInt(stats.blocks))
})

/** Writes all of `chunk`, looping over short writes. */
const writeAll = async (handle: NodeFsPromises.FileHandle, chunk: Uint8Array) => {
  let offset = 0
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset)
    offset += bytesWritten
  }
}

/**
 * Writes `chunks` in order with one `writev` call (one syscall for a batch instead of one
 * per chunk), finishing a short write chunk by chunk.
 */
const writeAllChunks = async (handle: NodeFsPromises.FileHandle, chunks: ReadonlyArray<Uint8Array>) => {
  if (chunks.length === 1) return writeAll(handle, chunks[0] as Uint8Array)
  let { bytesWritten } = await handle.writev(chunks as Array<Uint8Array>)
  for (const chunk of chunks) {
    if (bytesWritten >= chunk.length) {
      bytesWritten -= chunk.length
      continue
    }
    await writeAll(handle, chunk.subarray(bytesWritten))
    bytesWritten = 0
  }
}

const fileSystem: FileSystem.FileSystem = FileSystem.makeNoop({
  stat: (path) =>
    Effect.map(
      attempt("stat", path, () => NodeFsPromises.stat(path)),
      toInfo
    ),
  exists: (path) =>
    Effect.map(
      attempt("exists", path, () => NodeFsPromises.access(path)).pipe(Effect.exit),
      (exit) => exit._tag === "Success"
    ),
  rename: (from, to) => attempt("rename", from, () => NodeFsPromises.rename(from, to)),
  remove: (path, options) =>
    attempt("remove", path, () =>
      NodeFsPromises.rm(path, { recursive: options?.recursive ?? false, force: options?.force ?? false })
    ),
  makeDirectory: (path, options) =>
    attempt("makeDirectory", path, () =>
      NodeFsPromises.mkdir(path, {
        recursive: options?.recursive ?? false,
        ...(options?.mode === undefined ? {} : { mode: options.mode })
      })
    ).pipe(Effect.asVoid),
  stream: (path, options) =>
    // A new read stream each time the Stream runs: a Node stream is consumed once, and a
    // second run (an upload's retry) must read the file again, not get an empty body.
    Stream.suspend(() =>
      Stream.fromAsyncIterable(
        // The iterator's `return` (on interruption) destroys the read stream and closes the file.
        NodeFs.createReadStream(path, { highWaterMark: options?.chunkSize ?? 64 * 1024 }),
        toPlatformError("stream", path)
      )
    ).pipe(Stream.map((chunk: Buffer) => new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))),
  sink: (path, options) =>
    Effect.acquireRelease(
      attempt("sink", path, () =>
        NodeFsPromises.open(
          path,
          options?.flag ?? "w",
          ...(options?.mode === undefined ? [] : [options.mode])
        )
      ),
      (handle) => Effect.promise(() => handle.close())
    ).pipe(
      // Each batch is written while the next one is read (see `writeBehindSink`); closing
      // the handle waits for a write still in flight (Node's `FileHandle.close`).
      Effect.map((handle) =>
        writeBehindSink(
          (chunks) => attempt("sink", path, () => writeAllChunks(handle, chunks)),
          WRITE_BATCH_BYTES
        )
      ),
      Sink.unwrap
    )
})

/**
 * The layer.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Flashduty, NodeFileSystem } from "effect-flashduty"
 *
 * const save = Effect.gen(function* () {
 *   const fd = yield* Flashduty
 *   yield* fd.sessions.exportToFile({ session_id: "sess_1" }, "./sess_1.ndjson")
 * }).pipe(Effect.provide(NodeFileSystem.layer))
 * ```
 */
export const layer: Layer.Layer<FileSystem.FileSystem> = Layer.succeed(FileSystem.FileSystem, fileSystem)
