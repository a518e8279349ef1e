/**
 * `sessions.export`, `exportRaw` and `exportToFile` end to end: the real client (fetch)
 * against a loopback server playing the export endpoint.
 */
import * as NodeFs from "node:fs/promises"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Stream } from "effect"
import * as NodeFileSystem from "../../src/node/NodeFileSystem.js"
import type { ExportTruncated } from "../../src/sessionTranscript/ExportTruncated.js"
import { withOwners } from "../../src/sessionTranscript/LineOwner.js"
import { withFlashduty } from "./support/flashdutyAt.js"
import { type Handler, loopback, writeAll } from "./support/loopbackServer.js"

const MiB = 1024 * 1024
const line = (value: unknown) => `${JSON.stringify(value)}\n`
const meta = (session_id: string, parent_session_id?: string) =>
  line({
    type: "session_meta",
    session_id,
    ...(parent_session_id === undefined ? {} : { parent_session_id })
  })

const ndjson =
  (status: number, chunks: Iterable<string>, end = true): Handler =>
  (_req, res) => {
    res.writeHead(status, { "content-type": "application/x-ndjson", "flashcat-request-id": "req_export" })
    return writeAll(res, chunks, end)
  }

const kinds = ["user_message", "llm_call", "tool_call", "agent_text", "brand_new_kind"] as const

function* bigTranscript(count: number, wide: ReadonlySet<number>): Generator<string> {
  yield meta("sess_big")
  const wideOutput = "w".repeat(5 * MiB)
  for (let i = 0; i < count; i++) {
    yield line({
      type: kinds[i % kinds.length],
      session_id: "sess_big",
      seq: i,
      output: wide.has(i) ? wideOutput : `${i}`
    })
  }
  yield line({ type: "final_answer", session_id: "sess_big", text: "done" })
}

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  assert.isTrue(Exit.isFailure(exit), "expected the stream to fail")
  const reason = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail") : undefined
  if (reason === undefined || reason._tag !== "Fail")
    throw new Error(`expected a typed failure, got ${String(exit)}`)
  return reason.error
}

/** Runs `stream`, keeping what it emitted before it ended or failed. */
const drain = <A, E>(stream: Stream.Stream<A, E>) =>
  Effect.gen(function* () {
    const seen: Array<A> = []
    const exit = yield* Effect.exit(Stream.runForEach(stream, (a) => Effect.sync(() => seen.push(a))))
    return { seen, exit }
  })

describe("sessions.export", () => {
  it.live(
    "streams 100,000 mixed lines with three 5 MiB lines, and sends the request as JSON with the app key",
    () =>
      Effect.gen(function* () {
        const server = yield* loopback(ndjson(200, bigTranscript(100_000, new Set([3, 60_000, 99_999]))))
        const summary = yield* withFlashduty(server.url, (fd) =>
          fd.sessions.export({ session_id: "sess_big" }).pipe(
            Stream.runFold(
              () => ({ lines: 0, unknown: 0, wide: [] as Array<unknown>, types: new Set<string>() }),
              (acc, l) => {
                acc.lines++
                acc.types.add(l.type)
                if (l.type === "unknown") acc.unknown++
                const fields = l.type === "unknown" ? l.raw : l
                if (typeof fields.output === "string" && fields.output.length === 5 * MiB)
                  acc.wide.push(fields.seq)
                return acc
              }
            )
          )
        )
        assert.strictEqual(summary.lines, 100_002)
        assert.strictEqual(summary.unknown, 20_000)
        assert.deepStrictEqual(summary.wide, [3, 60_000, 99_999])
        assert.deepStrictEqual([...summary.types].sort(), [
          "agent_text",
          "final_answer",
          "llm_call",
          "session_meta",
          "tool_call",
          "unknown",
          "user_message"
        ])
        const request = server.requests[0]!
        assert.strictEqual(new URL(request.url, server.url).pathname, "/safari/session/export")
        assert.strictEqual(
          new URL(request.url, server.url).searchParams.get("app_key"),
          "streaming-test-app-key"
        )
        assert.deepStrictEqual(JSON.parse(request.body.toString()), { session_id: "sess_big" })
      }).pipe(Effect.scoped),
    60_000
  )

  it.live("ends in ExportTruncated when the body ends with the server's error line", () =>
    Effect.gen(function* () {
      const server = yield* loopback(
        ndjson(200, [
          meta("s1"),
          line({ type: "user_message", session_id: "s1" }),
          line({ type: "llm_call", session_id: "s1" }),
          line({
            request_id: "req_mid",
            error: { code: "InternalError", message: "export timed out after 60s" }
          })
        ])
      )
      const { seen, exit } = yield* withFlashduty(server.url, (fd) =>
        drain(fd.sessions.export({ session_id: "s1" }))
      )
      assert.deepStrictEqual(
        seen.map((l) => l.type),
        ["session_meta", "user_message", "llm_call"]
      )
      const error = failureOf(exit)
      assert.strictEqual(error._tag, "ExportTruncated")
      if (error._tag !== "ExportTruncated") return
      assert.strictEqual(error.code, "InternalError")
      assert.strictEqual(error.errorMessage, "export timed out after 60s")
      assert.strictEqual(error.linesReceived, 3)
      assert.strictEqual(error.requestId, "req_mid")
      assert.strictEqual(error.operationId, "session-read-export")
    }).pipe(Effect.scoped)
  )

  it.live("fails when the body ends in the middle of a line (clean end, and connection cut)", () =>
    Effect.gen(function* () {
      const cleanEnd = yield* loopback(ndjson(200, [meta("s1"), '{"type":"llm_call","session_id":"s1","pro']))
      const first = yield* withFlashduty(cleanEnd.url, (fd) =>
        drain(fd.sessions.export({ session_id: "s1" }))
      )
      assert.strictEqual(first.seen.length, 1)
      const cut = failureOf(first.exit)
      assert.strictEqual(cut._tag, "NdjsonLineError")
      if (cut._tag === "NdjsonLineError") assert.strictEqual(cut.reason, "CutMidLine")

      const dropped = yield* loopback((_req, res) => {
        res.writeHead(200, { "content-type": "application/x-ndjson" })
        res.write(meta("s1"))
        res.write('{"type":"llm_call","session_id":"s1","pro')
        setTimeout(() => res.destroy(), 20)
      })
      const second = yield* withFlashduty(dropped.url, (fd) =>
        drain(fd.sessions.exportRaw({ session_id: "s1" }))
      )
      const error = failureOf(second.exit)
      assert.include(["TransportError", "NdjsonLineError"], error._tag)
    }).pipe(Effect.scoped)
  )

  it.live("a non-2xx answer fails with the usual tagged error and emits nothing", () =>
    Effect.gen(function* () {
      const server = yield* loopback((req, res) => {
        const notFound = req.url?.includes("missing") ?? false
        res.writeHead(notFound ? 404 : 200, { "content-type": "application/json" })
        res.end(
          JSON.stringify(
            notFound
              ? { request_id: "req_404", error: { code: "ResourceNotFound", message: "session not found" } }
              : { request_id: "req_200", error: { code: "AccessDenied", message: "not your session" } }
          )
        )
      })
      const notFound = yield* withFlashduty(`${server.url}/missing`, (fd) =>
        drain(fd.sessions.export({ session_id: "nope" }))
      )
      assert.lengthOf(notFound.seen, 0)
      const error = failureOf(notFound.exit)
      assert.strictEqual(error._tag, "NotFound")
      assert.strictEqual(error.requestId, "req_404")
      assert.notInclude(JSON.stringify(error), "streaming-test-app-key")

      // An error envelope sent with 200 is an error too, not a transcript.
      const denied = yield* withFlashduty(server.url, (fd) =>
        drain(fd.sessions.exportRaw({ session_id: "x" }))
      )
      assert.lengthOf(denied.seen, 0)
      assert.strictEqual(failureOf(denied.exit)._tag, "AccessDenied")
    }).pipe(Effect.scoped)
  )

  it.live("taking the first lines closes the HTTP response (the server sees the connection close)", () =>
    Effect.gen(function* () {
      const server = yield* loopback(
        ndjson(
          200,
          (function* () {
            yield meta("s1")
            for (let i = 0; ; i++)
              yield line({ type: "agent_text", session_id: "s1", i, text: "x".repeat(200) })
          })()
        )
      )
      const firstFive = yield* withFlashduty(server.url, (fd) =>
        fd.sessions.export({ session_id: "s1" }).pipe(Stream.take(5), Stream.runCollect)
      )
      assert.lengthOf(firstFive, 5)
      const closed = yield* Effect.promise(() => server.clientAborted).pipe(
        Effect.as(true),
        Effect.timeoutOrElse({ duration: "20 seconds", orElse: () => Effect.succeed(false) })
      )
      assert.isTrue(closed, "the endless response was never closed by the client")
    }).pipe(Effect.scoped)
  )

  it.live("include_subagents: each subagent's lines are attributed to it, nested under its dispatcher", () =>
    Effect.gen(function* () {
      const server = yield* loopback(
        ndjson(200, [
          meta("root"),
          line({ type: "user_message", session_id: "root" }),
          line({ type: "subagent_dispatch", session_id: "root", child_session_id: "child_a" }),
          meta("child_a", "root"),
          line({ type: "llm_call", session_id: "child_a" }),
          line({ type: "subagent_dispatch", session_id: "child_a", child_session_id: "grandchild" }),
          meta("grandchild", "child_a"),
          line({ type: "tool_call", session_id: "grandchild" }),
          line({ type: "final_answer", session_id: "grandchild" }),
          line({ type: "final_answer", session_id: "child_a" }),
          line({ type: "agent_text", session_id: "root" }),
          line({ type: "subagent_dispatch", session_id: "root", child_session_id: "child_b" }),
          meta("child_b", "root"),
          line({ type: "error", session_id: "child_b", error_code: "ToolFailed" }),
          line({ type: "final_answer", session_id: "root" })
        ])
      )
      const owned = yield* withFlashduty(server.url, (fd) =>
        fd.sessions
          .export({ session_id: "root", include_subagents: true })
          .pipe(withOwners, Stream.runCollect)
      )
      assert.deepStrictEqual(JSON.parse(server.requests[0]!.body.toString()), {
        session_id: "root",
        include_subagents: true
      })
      assert.deepStrictEqual(
        owned.map((o) => [o.line.type, o.sessionId, o.parentSessionId, o.depth]),
        [
          ["session_meta", "root", undefined, 0],
          ["user_message", "root", undefined, 0],
          ["subagent_dispatch", "root", undefined, 0],
          ["session_meta", "child_a", "root", 1],
          ["llm_call", "child_a", "root", 1],
          ["subagent_dispatch", "child_a", "root", 1],
          ["session_meta", "grandchild", "child_a", 2],
          ["tool_call", "grandchild", "child_a", 2],
          ["final_answer", "grandchild", "child_a", 2],
          ["final_answer", "child_a", "root", 1],
          ["agent_text", "root", undefined, 0],
          ["subagent_dispatch", "root", undefined, 0],
          ["session_meta", "child_b", "root", 1],
          ["error", "child_b", "root", 1],
          ["final_answer", "root", undefined, 0]
        ]
      )
    }).pipe(Effect.scoped)
  )
})

describe("sessions.exportRaw and exportToFile", () => {
  const body = [
    meta("s1"),
    line({ type: "llm_call", session_id: "s1", prompt: "é".repeat(100_000) }),
    line({ type: "final_answer", session_id: "s1" })
  ]

  it.live("writes the transcript byte for byte, reporting progress", () =>
    Effect.gen(function* () {
      const dir = yield* Effect.promise(() => NodeFs.mkdtemp(NodePath.join(NodeOs.tmpdir(), "fd-export-")))
      yield* Effect.addFinalizer(() => Effect.promise(() => NodeFs.rm(dir, { recursive: true, force: true })))
      const server = yield* loopback(ndjson(200, body))
      const path = NodePath.join(dir, "s1.ndjson")
      let lastProgress = 0
      const written = yield* withFlashduty(server.url, (fd) =>
        fd.sessions.exportToFile({ session_id: "s1" }, path, {
          onProgress: ({ bytesWritten }) => Effect.sync(() => (lastProgress = bytesWritten))
        })
      ).pipe(Effect.provide(NodeFileSystem.layer))
      const expected = Buffer.from(body.join(""))
      assert.isTrue((yield* Effect.promise(() => NodeFs.readFile(path))).equals(expected))
      assert.strictEqual(written.bytesWritten, expected.length)
      assert.strictEqual(lastProgress, expected.length)
    }).pipe(Effect.scoped)
  )

  it.live(
    "a 12 MiB line (and its ~190 fetch chunks, written in batches) reaches the file byte for byte",
    () =>
      Effect.gen(function* () {
        const dir = yield* Effect.promise(() => NodeFs.mkdtemp(NodePath.join(NodeOs.tmpdir(), "fd-export-")))
        yield* Effect.addFinalizer(() =>
          Effect.promise(() => NodeFs.rm(dir, { recursive: true, force: true }))
        )
        const wide = [
          meta("s1"),
          line({ type: "llm_call", session_id: "s1", prompt: "ab".repeat(6 * MiB) }),
          line({ type: "final_answer", session_id: "s1" })
        ]
        const server = yield* loopback(ndjson(200, wide))
        const path = NodePath.join(dir, "s1.ndjson")
        const written = yield* withFlashduty(server.url, (fd) =>
          fd.sessions.exportToFile({ session_id: "s1" }, path)
        ).pipe(Effect.provide(NodeFileSystem.layer))
        const expected = Buffer.from(wide.join(""))
        assert.isAbove(expected.length, 12 * MiB)
        assert.isTrue((yield* Effect.promise(() => NodeFs.readFile(path))).equals(expected))
        assert.strictEqual(written.bytesWritten, expected.length)
      }).pipe(Effect.scoped)
  )

  it.live("a truncated transcript fails the file write and leaves no file", () =>
    Effect.gen(function* () {
      const dir = yield* Effect.promise(() => NodeFs.mkdtemp(NodePath.join(NodeOs.tmpdir(), "fd-export-")))
      yield* Effect.addFinalizer(() => Effect.promise(() => NodeFs.rm(dir, { recursive: true, force: true })))
      const server = yield* loopback(
        ndjson(200, [...body.slice(0, 2), line({ error: { code: "InternalError", message: "boom" } })])
      )
      const exit = yield* withFlashduty(server.url, (fd) =>
        fd.sessions.exportToFile({ session_id: "s1" }, NodePath.join(dir, "s1.ndjson"))
      ).pipe(Effect.provide(NodeFileSystem.layer), Effect.exit)
      const error = failureOf(exit)
      assert.strictEqual(error._tag, "ExportTruncated")
      if (error._tag === "ExportTruncated") assert.strictEqual(error.linesReceived, 2)
      assert.deepStrictEqual(yield* Effect.promise(() => NodeFs.readdir(dir)), [])
    }).pipe(Effect.scoped)
  )
})

describe("a long error line at the end of the transcript", () => {
  const events = [
    meta("s1"),
    line({ type: "user_message", session_id: "s1" }),
    line({ type: "llm_call", session_id: "s1", prompt: "p".repeat(300_000) })
  ]
  const errorLine = (message: string) =>
    line({ request_id: "req_long", error: { code: "InternalError", message } })

  for (const [label, size] of [
    ["200 KiB", 200 * 1024],
    ["2 MiB", 2 * MiB]
  ] as const) {
    const message = "e".repeat(size)
    const served = () => loopback(ndjson(200, [...events, errorLine(message)]))

    const expectTruncated = (error: { readonly _tag: string }) => {
      assert.strictEqual(error._tag, "ExportTruncated")
      if (error._tag !== "ExportTruncated") return
      const truncated = error as ExportTruncated
      // Recognised whole, kept bounded: an error carries at most 1,000 characters of the server's text.
      assert.strictEqual(
        truncated.errorMessage,
        `${message.slice(0, 1000)}… (${message.length} characters in all)`
      )
      assert.isBelow(truncated.message.length, 1300)
      assert.strictEqual(truncated.linesReceived, 3)
      assert.strictEqual(truncated.requestId, "req_long")
      assert.strictEqual(truncated.code, "InternalError")
    }

    it.live(`${label} message: exportRaw emits the lines before it, then fails with ExportTruncated`, () =>
      Effect.gen(function* () {
        const server = yield* served()
        const { seen, exit } = yield* withFlashduty(server.url, (fd) =>
          drain(fd.sessions.exportRaw({ session_id: "s1" }))
        )
        assert.isTrue(Buffer.concat(seen).equals(Buffer.from(events.join(""))))
        expectTruncated(failureOf(exit))
      }).pipe(Effect.scoped)
    )

    it.live(`${label} message: export fails with ExportTruncated after the lines before it`, () =>
      Effect.gen(function* () {
        const server = yield* served()
        const { seen, exit } = yield* withFlashduty(server.url, (fd) =>
          drain(fd.sessions.export({ session_id: "s1" }))
        )
        assert.deepStrictEqual(
          seen.map((l) => l.type),
          ["session_meta", "user_message", "llm_call"]
        )
        expectTruncated(failureOf(exit))
      }).pipe(Effect.scoped)
    )

    it.live(
      `${label} message: exportToFile fails with ExportTruncated and leaves no file, not even .partial`,
      () =>
        Effect.gen(function* () {
          const dir = yield* Effect.promise(() =>
            NodeFs.mkdtemp(NodePath.join(NodeOs.tmpdir(), "fd-export-"))
          )
          yield* Effect.addFinalizer(() =>
            Effect.promise(() => NodeFs.rm(dir, { recursive: true, force: true }))
          )
          const server = yield* served()
          const exit = yield* withFlashduty(server.url, (fd) =>
            fd.sessions.exportToFile({ session_id: "s1" }, NodePath.join(dir, "s1.ndjson"))
          ).pipe(Effect.provide(NodeFileSystem.layer), Effect.exit)
          expectTruncated(failureOf(exit))
          assert.deepStrictEqual(yield* Effect.promise(() => NodeFs.readdir(dir)), [])
        }).pipe(Effect.scoped)
    )
  }
})
