import { assert, describe, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { Fault } from "../../src/testing/Fault.js"
import { FlashdutyTest } from "../../src/testing/FlashdutyTest.js"
import type { StandInOptions } from "../../src/testing/StandInEngine.js"
import { transcriptStream } from "../../src/testing/Transcript.js"
import { call } from "./callStandIn.js"
import { tinySpec } from "./tinySpec.js"

const standIn = (options: StandInOptions = {}) => FlashdutyTest.layerFromSpec(tinySpec, options)

const exportLines = (body: Record<string, unknown>) =>
  Effect.map(call("/safari/session/export", body), (res) => ({
    res,
    lines: res.text
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as Record<string, unknown>)
  }))

describe("stand-in session export", () => {
  it.effect("streams NDJSON: session_meta first, the configured number of events, final_answer last", () =>
    Effect.gen(function* () {
      const { res, lines } = yield* exportLines({ session_id: "sess_1" })
      assert.strictEqual(res.status, 200)
      assert.strictEqual(res.headers["content-type"], "application/x-ndjson")
      assert.strictEqual(lines.length, 1 + 50)
      assert.strictEqual(lines[0]!.type, "session_meta")
      assert.strictEqual(lines[0]!.session_id, "sess_1")
      assert.strictEqual(lines[1]!.type, "user_message")
      assert.strictEqual(lines.at(-1)!.type, "final_answer")
      const types = new Set(lines.map((l) => l.type))
      for (const t of ["llm_call", "tool_call", "agent_text", "subagent_dispatch"])
        assert.isTrue(types.has(t), t)
      assert.isTrue(lines.every((l) => l.session_id === "sess_1"))
    }).pipe(Effect.provide(standIn({ transcript: { lines: 50, subagentEvery: 10 } })))
  )

  it.effect("with include_subagents, each dispatch is followed by the child's own transcript", () =>
    Effect.gen(function* () {
      const { lines } = yield* exportLines({ session_id: "sess_1", include_subagents: true })
      const dispatch = lines.findIndex((l) => l.type === "subagent_dispatch")
      const child = lines[dispatch]!.subagent_session_id
      assert.strictEqual(lines[dispatch + 1]!.type, "session_meta")
      assert.strictEqual(lines[dispatch + 1]!.session_id, child)
      assert.strictEqual(lines[dispatch + 1]!.parent_session_id, "sess_1")
      assert.strictEqual(lines[dispatch + 4]!.type, "final_answer")
      assert.strictEqual(lines[dispatch + 4]!.session_id, child)
      assert.strictEqual(lines[dispatch + 5]!.session_id, "sess_1")
    }).pipe(Effect.provide(standIn({ transcript: { lines: 30, subagentEvery: 10, subagentLines: 3 } })))
  )

  it.effect("a mid-stream export error ends the 200 body with the server's error line", () =>
    Effect.gen(function* () {
      const test = yield* FlashdutyTest
      yield* test.addFault({
        operationId: "session-read-export",
        fault: Fault.exportErrorLine({ afterLines: 7 })
      })
      const { res, lines } = yield* exportLines({ session_id: "sess_1" })
      assert.strictEqual(res.status, 200)
      assert.strictEqual(lines.length, 8)
      const last = lines.at(-1)!
      assert.isUndefined(last.type)
      assert.deepStrictEqual((last.error as { code: string }).code, "InternalError")
      assert.strictEqual(last.request_id, res.headers["flashcat-request-id"])
    }).pipe(Effect.provide(standIn()))
  )

  it.effect("agent error events carry type error and do not end the stream", () =>
    Effect.gen(function* () {
      const { lines } = yield* exportLines({ session_id: "s" })
      const errors = lines.filter((l) => l.type === "error")
      assert.strictEqual(errors.length, 2)
      assert.strictEqual(typeof errors[0]!.error_code, "string")
      assert.strictEqual(lines.at(-1)!.type, "final_answer")
    }).pipe(Effect.provide(standIn({ transcript: { lines: 25, errorEvery: 10, subagentEvery: 0 } })))
  )

  it.effect("a size-bounded transcript reaches the requested bytes lazily, in bounded chunks", () =>
    Effect.gen(function* () {
      const target = 8 * 1024 * 1024
      const stats = yield* transcriptStream(
        { bytes: target, lineBytes: 1000, chunkBytes: 65_536 },
        { sessionId: "big", requestId: "r", includeSubagents: true, startedAtMillis: 0 }
      ).pipe(
        Stream.runFold(
          () => ({ bytes: 0, chunks: 0, largest: 0 }),
          (acc, chunk) => ({
            bytes: acc.bytes + chunk.byteLength,
            chunks: acc.chunks + 1,
            largest: Math.max(acc.largest, chunk.byteLength)
          })
        )
      )
      assert.isAtLeast(stats.bytes, target)
      assert.isBelow(stats.bytes, target + 4096)
      assert.isBelow(stats.largest, 65_536 + 2048)
      assert.isAbove(stats.chunks, 100)
    })
  )
})
