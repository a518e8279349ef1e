/**
 * `effect-flashduty/node`: what only Node (and runtimes with its `node:fs`, such as Bun and
 * Deno) can run. The main entry imports no `node:` module, so that an app bundles for
 * browsers and edge runtimes; the file helpers (`sessions.exportToFile`,
 * `UploadFile.fromPath`, `writeStreamToFile`) take Effect's `FileSystem` service from the
 * context, and this subpath provides one over `node:fs`.
 *
 * `@effect/platform-node`'s `NodeFileSystem.layer` works in its place (complete, one more
 * dependency); this one implements only what the SDK uses, so the package keeps `effect` as
 * its only dependency.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Flashduty } from "effect-flashduty"
 * import { NodeFileSystem } from "effect-flashduty/node"
 *
 * const save = Effect.gen(function* () {
 *   const fd = yield* Flashduty
 *   return yield* fd.sessions.exportToFile({ session_id: "s_1" }, "transcript.ndjson")
 * }).pipe(Effect.provide(NodeFileSystem.layer))
 * ```
 */
export * as NodeFileSystem from "./NodeFileSystem.js"
