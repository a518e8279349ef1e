/**
 * Session export to a file, with progress. An AI SRE session transcript can be large; it
 * streams to disk in constant memory, and the file appears only once the transcript is
 * complete (a cut or failed export leaves nothing behind).
 *
 *   npx tsx examples/session-export.ts
 *   FLASHDUTY_APP_KEY=… SESSION_ID=… npx tsx examples/session-export.ts
 */
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Console, Effect, Stream } from "effect"
import { Flashduty } from "effect-flashduty"
import { NodeFileSystem } from "effect-flashduty/node"
import { defineExample, runMain } from "./runtime.js"

const sessionId = process.env.SESSION_ID ?? "sess_example"

export const program = Effect.gen(function* () {
  const fd = yield* Flashduty
  const path = join(mkdtempSync(join(tmpdir(), "flashduty-export-")), `${sessionId}.ndjson`)

  // Report progress at most once per 512 KiB written: onProgress runs after every chunk.
  let reported = 0
  const written = yield* fd.sessions.exportToFile({ session_id: sessionId, include_subagents: true }, path, {
    onProgress: ({ bytesWritten }) => {
      if (bytesWritten - reported < 512 * 1024) return Effect.void
      reported = bytesWritten
      return Console.log(`  ${(bytesWritten / 1024 / 1024).toFixed(1)} MiB written…`)
    }
  })
  yield* Console.log(`saved ${written.bytesWritten} bytes to ${written.path}`)

  // Streaming without a file: count what the agent did, one decoded line at a time.
  const toolCalls = yield* fd.sessions.export({ session_id: sessionId }).pipe(
    Stream.filter((line) => line.type === "tool_call"),
    Stream.runCount
  )
  yield* Console.log(`the session made ${toolCalls} tool calls`)
  return { ...written, toolCalls }
}).pipe(Effect.provide(NodeFileSystem.layer))

export const example = defineExample({
  title: "Session export to a file, with progress",
  program,
  // A transcript of about 2 MiB.
  standIn: { transcript: { bytes: 2 * 1024 * 1024 } }
})

runMain(example, import.meta.url)
