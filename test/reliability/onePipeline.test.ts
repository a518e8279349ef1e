/**
 * Every kind of operation (JSON, file export, multipart upload, NDJSON) goes through one
 * request pipeline, so none can drift from it: the per-attempt timeout covers reading a
 * body that is held in memory (a dripping body cannot hang a call), a streamed body fails
 * when it stalls for longer than the timeout, and the client-wide `maxResponseBytes`
 * applies to every body held in memory.
 */
import type * as Http from "node:http"
import { assert, describe, it } from "@effect/vitest"
import { type Duration, Effect, Exit, Stream } from "effect"
import type { FlashdutyError } from "../../src/Errors.js"
import { Flashduty } from "../../src/generated/Flashduty.js"
import * as UploadFile from "../../src/streaming/UploadFile.js"
import { sdkLayer } from "./support/client.js"
import { rawServer } from "./support/rawServer.js"

const failureOf = (exit: Exit.Exit<unknown, unknown>): { _tag: string; reason?: string; message: string } => {
  if (Exit.isSuccess(exit)) return assert.fail("expected the call to fail, it succeeded")
  const reason = exit.cause.reasons.find((r) => r._tag === "Fail")
  if (reason === undefined || reason._tag !== "Fail")
    return assert.fail(`expected a typed failure, got ${String(exit)}`)
  return reason.error as never
}

/** Sends the head and `start`, then one space every 50 ms, forever (until the client leaves). */
const drip =
  (contentType: string, start: string) => (_request: Http.IncomingMessage, response: Http.ServerResponse) => {
    response.writeHead(200, { "content-type": contentType })
    response.write(start)
    const timer = setInterval(() => {
      if (response.destroyed) clearInterval(timer)
      else response.write(" ")
    }, 50)
    response.on("close", () => clearInterval(timer))
  }

const call = <A>(
  url: string,
  f: (fd: Flashduty["Service"]) => Effect.Effect<A, unknown, any>,
  timeout: Duration.Input = "400 millis"
) =>
  Effect.flatMap(Flashduty, f).pipe(
    Effect.provide(sdkLayer(url, { timeout, retry: false })),
    Effect.scoped,
    Effect.exit
  )

const assertTimedOut = (exit: Exit.Exit<unknown, unknown>) => {
  const error = failureOf(exit)
  assert.strictEqual(error._tag, "TransportError")
  assert.strictEqual(error.reason, "Timeout")
}

describe("the per-attempt timeout covers the body of every answer held in memory", () => {
  it.live("an export answered as a dripping CSV", () =>
    Effect.gen(function* () {
      const server = yield* rawServer(drip("text/csv", "Method,Recipient\n"))
      assertTimedOut(yield* call(server.url, (fd) => fd.statusPages.subscriberExport({ page_id: 42 })))
    }).pipe(Effect.scoped)
  )

  it.live("an export answered as a dripping JSON envelope", () =>
    Effect.gen(function* () {
      const server = yield* rawServer(drip("application/json", '{"request_id":"r","data":"'))
      assertTimedOut(yield* call(server.url, (fd) => fd.statusPages.subscriberExport({ page_id: 42 })))
    }).pipe(Effect.scoped)
  )

  it.live("an upload whose answer drips", () =>
    Effect.gen(function* () {
      const server = yield* rawServer(drip("application/json", '{"request_id":"r","data":{"skill_id":"'))
      assertTimedOut(
        yield* call(server.url, (fd) =>
          fd.skills.upload({ file: UploadFile.fromBytes(new Uint8Array([1, 2, 3]), "a.zip") })
        )
      )
    }).pipe(Effect.scoped)
  )

  it.live("replay segments in URL mode, dripping", () =>
    Effect.gen(function* () {
      const server = yield* rawServer(drip("application/json", '{"request_id":"r","data":{"items":['))
      assertTimedOut(yield* call(server.url, (fd) => fd.sessionReplay.segmentUrls({ session_id: "s" })))
    }).pipe(Effect.scoped)
  )
})

describe("a streamed body fails when it stalls for longer than the timeout", () => {
  it.live("a transcript that stops sending mid-body", () =>
    Effect.gen(function* () {
      const server = yield* rawServer((_request, response) => {
        response.writeHead(200, { "content-type": "application/x-ndjson" })
        response.write('{"type":"session_meta","session_id":"s"}\n{"type":"llm_call"')
      })
      const exit = yield* call(server.url, (fd) =>
        Stream.runDrain(fd.sessions.exportRaw({ session_id: "s" }))
      )
      assertTimedOut(exit)
      const decoded = yield* call(server.url, (fd) =>
        Stream.runDrain(fd.sessions.export({ session_id: "s" }))
      )
      assertTimedOut(decoded)
    }).pipe(Effect.scoped)
  )

  it.live("a transcript that keeps sending is not cut by the timeout", () =>
    Effect.gen(function* () {
      const server = yield* rawServer((_request, response) => {
        response.writeHead(200, { "content-type": "application/x-ndjson" })
        response.write('{"type":"session_meta","session_id":"s"}\n')
        let n = 0
        const timer = setInterval(() => {
          if (++n === 12) {
            clearInterval(timer)
            response.end()
          } else response.write('{"type":"agent_text","text":"…"}\n')
        }, 50)
      })
      // 12 × 50 ms = 600 ms in all, more than the 400 ms timeout, but never idle that long.
      const exit = yield* call(server.url, (fd) => Stream.runCount(fd.sessions.export({ session_id: "s" })))
      assert.isTrue(Exit.isSuccess(exit), String(exit))
      assert.strictEqual(Exit.isSuccess(exit) ? exit.value : 0, 12)
    }).pipe(Effect.scoped)
  )
})

describe("the client-wide maxResponseBytes applies to every body held in memory", () => {
  const big =
    (contentType: string, body: string) =>
    (_request: Http.IncomingMessage, response: Http.ServerResponse) => {
      response.writeHead(200, { "content-type": contentType })
      response.end(body)
    }
  const capped = <A>(url: string, f: (fd: Flashduty["Service"]) => Effect.Effect<A, FlashdutyError, any>) =>
    Effect.flatMap(Flashduty, f).pipe(
      Effect.provide(sdkLayer(url, { maxResponseBytes: 1024, retry: false })),
      Effect.scoped,
      Effect.exit
    )
  const envelope = JSON.stringify({ request_id: "r", data: { skill_id: "x".repeat(4096) } })

  it.live("an upload's answer", () =>
    Effect.gen(function* () {
      const server = yield* rawServer(big("application/json", envelope))
      const error = failureOf(
        yield* capped(server.url, (fd) =>
          fd.skills.upload({ file: UploadFile.fromBytes(new Uint8Array([1]), "a.zip") })
        )
      )
      assert.strictEqual(error.reason, "BodyTooLarge")
    }).pipe(Effect.scoped)
  )

  it.live("an export read as text", () =>
    Effect.gen(function* () {
      const server = yield* rawServer(big("text/csv", "a,b\n".repeat(1024)))
      const error = failureOf(
        yield* capped(server.url, (fd) => fd.statusPages.subscriberExport({ page_id: 1 }))
      )
      assert.strictEqual(error.reason, "BodyTooLarge")
    }).pipe(Effect.scoped)
  )
})

describe("an empty answer", () => {
  it.live("an empty 204 is a GatewayError, as documented", () =>
    Effect.gen(function* () {
      const server = yield* rawServer((_request, response) => {
        response.writeHead(204)
        response.end()
      })
      const error = failureOf(yield* call(server.url, (fd) => fd.incidents.ack({ incident_ids: ["i"] })))
      assert.strictEqual(error._tag, "GatewayError")
      assert.include(error.message, "204")
    }).pipe(Effect.scoped)
  )
})

describe("texts copied out of an answer are bounded", () => {
  it.live("a 5 MiB error message and a 1 MiB request id become short ones", () =>
    Effect.gen(function* () {
      const server = yield* rawServer((_request, response) => {
        response.writeHead(400, { "content-type": "application/json" })
        response.end(
          JSON.stringify({
            request_id: "r".repeat(1024 * 1024),
            error: { code: `C${"c".repeat(10_000)}`, message: "m".repeat(5 * 1024 * 1024) }
          })
        )
      })
      const error = failureOf(
        yield* call(server.url, (fd) => fd.incidents.list({ start_time: 0, end_time: 1 }), "10 seconds")
      ) as unknown as { message: string; code: string; requestId: string }
      assert.isBelow(error.message.length, 1300)
      assert.include(error.message, `${5 * 1024 * 1024} characters in all`)
      assert.isBelow(error.code.length, 200)
      assert.isBelow(error.requestId.length, 250)
    }).pipe(Effect.scoped)
  )
})
