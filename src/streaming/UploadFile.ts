/**
 * A file to upload in a `multipart/form-data` request (`skills.upload`,
 * `incidents.createWithAttachments`): from bytes in memory, from a `Stream` (sent as it
 * is read), or from a path (through Effect's `FileSystem`, streamed from disk).
 */
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Option from "effect/Option"
import type * as PlatformError from "effect/PlatformError"
import * as Stream from "effect/Stream"

/** A file held in memory. */
export interface BytesFile {
  readonly _tag: "Bytes"
  readonly fileName: string
  readonly contentType: string
  readonly bytes: Uint8Array
}

/** A file read while it is sent. `size`, when known, lets the body declare its length. */
export interface StreamedFile {
  readonly _tag: "Stream"
  readonly fileName: string
  readonly contentType: string
  readonly size: number | undefined
  /** A failure while reading aborts the upload (it surfaces as a `TransportError`). */
  readonly stream: Stream.Stream<Uint8Array, unknown>
  /**
   * Whether running `stream` again yields the same bytes, so that a retry may send it again
   * (a file on disk: yes; an async iterator or a Node readable: no, it is consumed once).
   * A body that cannot be replayed is sent once: a retryable answer fails the call instead.
   */
  readonly replayable: boolean
}

export type UploadFile = BytesFile | StreamedFile

const defaultContentType = "application/octet-stream"

const contentTypeByExtension: ReadonlyArray<readonly [suffix: string, contentType: string]> = [
  [".zip", "application/zip"],
  [".skill", "application/zip"],
  [".tar.gz", "application/gzip"],
  [".tgz", "application/gzip"],
  [".png", "image/png"],
  [".jpg", "image/jpeg"],
  [".jpeg", "image/jpeg"],
  [".gif", "image/gif"],
  [".webp", "image/webp"]
]

/** A content type guessed from the file name's extension, for the formats this API takes. */
export const guessContentType = (fileName: string): string => {
  const lower = fileName.toLowerCase()
  return contentTypeByExtension.find(([suffix]) => lower.endsWith(suffix))?.[1] ?? defaultContentType
}

/**
 * A file from bytes in memory.
 *
 * @example
 * ```ts
 * import { UploadFile } from "effect-flashduty"
 *
 * const file = UploadFile.fromBytes(new Uint8Array([0x50, 0x4b, 3, 4]), "triage.zip")
 * ```
 */
export const fromBytes = (bytes: Uint8Array, fileName: string, contentType?: string): BytesFile => ({
  _tag: "Bytes",
  fileName,
  contentType: contentType ?? guessContentType(fileName),
  bytes
})

/**
 * A file from a byte stream, sent as it is produced (never collected in memory).
 *
 * The stream is taken to be one-shot (like an async iterator or a Node readable, which the
 * first attempt consumes), so the upload is never retried; pass `replayable: true` only when
 * running the stream again yields the very same bytes.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { UploadFile } from "effect-flashduty"
 *
 * const file = UploadFile.fromStream(Stream.make(new Uint8Array([1, 2, 3])), { fileName: "a.zip", size: 3 })
 * ```
 */
export const fromStream = (
  stream: Stream.Stream<Uint8Array, unknown>,
  options: {
    readonly fileName: string
    readonly contentType?: string
    readonly size?: number
    readonly replayable?: boolean
  }
): StreamedFile => ({
  _tag: "Stream",
  fileName: options.fileName,
  contentType: options.contentType ?? guessContentType(options.fileName),
  size: options.size,
  stream: options.replayable === true ? stream : runOnce(stream),
  replayable: options.replayable ?? false
})

/**
 * `stream`, refusing to run a second time: a one-shot source runs dry after its first run, and
 * sending it again (a retry underneath the SDK, a `transformClient`'s own) would upload the
 * multipart framing around an empty file. A second run fails instead, so nothing is sent as
 * if complete.
 */
const runOnce = <A, E>(stream: Stream.Stream<A, E>): Stream.Stream<A, E | Error> => {
  let ran = false
  return Stream.suspend((): Stream.Stream<A, E | Error> => {
    if (ran) {
      return Stream.fail(
        new Error("this upload's stream is one-shot and was already sent once: it cannot be replayed")
      )
    }
    ran = true
    return stream
  })
}

/**
 * The file's bytes, as long as it is unchanged since `stat`: a retry re-sends the same bytes or
 * nothing (a file that changed in between would upload other bytes than the first attempt, under
 * the length the first `stat` declared).
 */
const unchangedFile = (
  fs: FileSystem.FileSystem,
  path: string,
  info: FileSystem.File.Info
): Stream.Stream<Uint8Array, PlatformError.PlatformError | Error> =>
  Stream.unwrap(
    Effect.map(fs.stat(path), (now) => {
      const sameTime =
        Option.isNone(info.mtime) ||
        Option.isNone(now.mtime) ||
        info.mtime.value.getTime() === now.mtime.value.getTime()
      if (now.size !== info.size || !sameTime) {
        return Stream.fail(
          new Error(`${path} changed since the upload began: it cannot be sent again exactly`)
        )
      }
      let sent = 0
      const expected = Number(info.size)
      return fs.stream(path).pipe(
        Stream.map((chunk) => {
          sent += chunk.length
          return chunk
        }),
        Stream.concat(
          Stream.suspend(() =>
            sent === expected
              ? Stream.empty
              : Stream.fail(
                  new Error(`${path} changed while it was read: ${sent} bytes instead of ${expected}`)
                )
          )
        )
      )
    })
  )

const baseName = (path: string): string =>
  path
    .split(/[\\/]/)
    .filter((s) => s !== "")
    .pop() ?? path

/**
 * A file on disk, read through `FileSystem` in chunks while the request is sent; its
 * size comes from `stat`, so the body length is known. A retry reads the file again, and
 * fails instead when the file changed since (its size or modification time).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Flashduty, UploadFile } from "effect-flashduty"
 * import { NodeFileSystem } from "effect-flashduty/node"
 *
 * const upload = Effect.gen(function* () {
 *   const fd = yield* Flashduty
 *   const file = yield* UploadFile.fromPath("./k8s-triage.zip")
 *   return yield* fd.skills.upload({ file, team_id: 0, replace: true })
 * }).pipe(Effect.provide(NodeFileSystem.layer))
 * ```
 */
export const fromPath = (
  path: string,
  options: { readonly fileName?: string; readonly contentType?: string } = {}
): Effect.Effect<StreamedFile, PlatformError.PlatformError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const info = yield* fs.stat(path)
    const fileName = options.fileName ?? baseName(path)
    return {
      _tag: "Stream",
      fileName,
      contentType: options.contentType ?? guessContentType(fileName),
      size: Number(info.size),
      // Opened anew each time it runs, so that a retry reads the file again from its start.
      stream: unchangedFile(fs, path, info),
      replayable: true
    } satisfies StreamedFile
  })
