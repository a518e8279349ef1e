/**
 * The file helpers, on the runtimes that have a file system (Node, Bun, Deno): a session
 * export written with `exportToFile`, and a CSV uploaded with `UploadFile.fromPath`, both
 * through `effect-flashduty/node`'s `NodeFileSystem` layer (`node:fs`, which Bun and Deno implement).
 */
import * as NodeFs from "node:fs"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { Effect } from "effect"
import { Flashduty, UploadFile } from "effect-flashduty"
import { NodeFileSystem } from "effect-flashduty/node"

const tempDir = Effect.acquireRelease(
  Effect.sync(() => NodeFs.mkdtempSync(NodePath.join(NodeOs.tmpdir(), "effect-flashduty-runtime-"))),
  (dir) => Effect.sync(() => NodeFs.rmSync(dir, { recursive: true, force: true }))
)

/** (e) `sessions.exportToFile`: the file holds every byte, and appears only when complete. */
const exportToFile = Effect.scoped(
  Effect.gen(function* () {
    const fd = yield* Flashduty
    const path = NodePath.join(yield* tempDir, "sess_runtime.ndjson")
    const written = yield* fd.sessions.exportToFile({ session_id: "sess_runtime" }, path)
    const onDisk = NodeFs.readFileSync(path, "utf8")
    if (Buffer.byteLength(onDisk) !== written.bytesWritten)
      return yield* Effect.fail(new Error(`${written.bytesWritten} bytes reported, ${onDisk.length} on disk`))
    if (!onDisk.startsWith('{"type":"session_meta"'))
      return yield* Effect.fail(new Error(`the file starts with ${onDisk.slice(0, 30)}`))
    return `${written.bytesWritten} bytes, ${onDisk.trimEnd().split("\n").length} lines on disk`
  })
).pipe(Effect.provide(NodeFileSystem.layer))

/** (f) `UploadFile.fromPath`: a CSV on disk, streamed as a multipart upload. */
const uploadFromPath = Effect.scoped(
  Effect.gen(function* () {
    const fd = yield* Flashduty
    const path = NodePath.join(yield* tempDir, "mapping.csv")
    NodeFs.writeFileSync(path, "host,team\nweb-1,sre\nweb-2,payments\n")
    const file = yield* UploadFile.fromPath(path)
    const { meta } = yield* fd.alertEnrichment.mappingDataUpload({ schema_id: "s1", file })
    return `${file.size} bytes from ${file.fileName} (${file.contentType}), request ${meta.requestId}`
  })
).pipe(Effect.provide(NodeFileSystem.layer))

export const fileChecks: ReadonlyArray<readonly [string, Effect.Effect<string, unknown, Flashduty>]> = [
  ["exportToFile", exportToFile],
  ["UploadFile.fromPath", uploadFromPath]
]
