/**
 * Every text copied out of an answer is scrubbed of the client's secrets before it reaches
 * an error, a span, a log line or `meta`: `error.code`, `request_id`, the
 * `Flashcat-Request-Id` header, the response headers kept in `meta.headers`, a transcript's
 * trailing error line, the error envelope of an upload. A short secret is scrubbed too
 * where it stands as a whole value or a query value.
 */
import type * as Http from "node:http"
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Stream } from "effect"
import { Flashduty } from "../../src/generated/Flashduty.js"
import * as UploadFile from "../../src/streaming/UploadFile.js"
import { sdkLayer } from "../reliability/support/client.js"
import { rawServer } from "../reliability/support/rawServer.js"

const LONG = "SENTINEL-echo-key-2e8a61"
const SHORT = "k3y9z"

/** Echoes the key it received (`app_key`) back in every place an answer can carry text. */
const echoing = (status: number) => (request: Http.IncomingMessage, response: Http.ServerResponse) => {
  const key = new URL(request.url ?? "/", "http://x").searchParams.get("app_key") ?? ""
  response.writeHead(status, {
    "content-type": "application/json",
    "flashcat-request-id": key,
    "x-echo": key,
    "x-echo-url": `https://api.example/x?app_key=${key}&y=1`
  })
  response.end(
    JSON.stringify(
      status === 200
        ? { request_id: key, data: { items: [], search_after_ctx: key } }
        : { request_id: key, error: { code: key, message: `bad key ${key} (GET /x?app_key=${key})` } }
    )
  )
}

const printed = (exit: Exit.Exit<unknown, unknown>) =>
  Exit.isFailure(exit)
    ? `${Cause.pretty(exit.cause)} ${JSON.stringify(exit.cause.reasons)}`
    : JSON.stringify(exit.value)

const call = <A>(url: string, key: string, f: (fd: Flashduty["Service"]) => Effect.Effect<A, unknown, any>) =>
  Effect.flatMap(Flashduty, f).pipe(
    Effect.provide(sdkLayer(url, { appKey: key, retry: false })),
    Effect.scoped,
    Effect.exit
  )

describe("secrets echoed by the server are scrubbed", () => {
  for (const key of [LONG, SHORT]) {
    it.live(`an error envelope (code, request_id, message, headers): key of ${key.length} chars`, () =>
      Effect.gen(function* () {
        const server = yield* rawServer(echoing(400))
        const exit = yield* call(server.url, key, (fd) => fd.incidents.list({ start_time: 0, end_time: 1 }))
        assert.isTrue(Exit.isFailure(exit))
        const text = printed(exit)
        assert.notInclude(text, key === SHORT ? `"${key}"` : key)
        assert.notInclude(text, `app_key=${key}`)
      }).pipe(Effect.scoped)
    )

    it.live(`meta of a success (request id, headers, cursor): key of ${key.length} chars`, () =>
      Effect.gen(function* () {
        const server = yield* rawServer(echoing(200))
        const exit = yield* call(server.url, key, (fd) => fd.incidents.list({ start_time: 0, end_time: 1 }))
        assert.isTrue(Exit.isSuccess(exit), String(exit))
        if (Exit.isFailure(exit)) return
        const { meta } = exit.value
        assert.notStrictEqual(meta.requestId, key)
        assert.notStrictEqual(meta.headers["flashcat-request-id"], key)
        assert.notStrictEqual(meta.headers["x-echo"], key)
        assert.notInclude(meta.headers["x-echo-url"] ?? "", `app_key=${key}`)
        assert.notStrictEqual(meta.searchAfterCtx, key)
      }).pipe(Effect.scoped)
    )
  }

  it.live("an upload's error envelope", () =>
    Effect.gen(function* () {
      const server = yield* rawServer(echoing(403))
      const exit = yield* call(server.url, LONG, (fd) =>
        fd.skills.upload({ file: UploadFile.fromBytes(new Uint8Array([1]), "a.zip") })
      )
      assert.isTrue(Exit.isFailure(exit))
      assert.notInclude(printed(exit), LONG)
    }).pipe(Effect.scoped)
  )

  it.live("a transcript's trailing error line (ExportTruncated message, code, request id)", () =>
    Effect.gen(function* () {
      const server = yield* rawServer((request, response) => {
        const key = new URL(request.url ?? "/", "http://x").searchParams.get("app_key") ?? ""
        response.writeHead(200, { "content-type": "application/x-ndjson", "flashcat-request-id": key })
        response.end(
          `{"type":"session_meta","session_id":"s"}\n${JSON.stringify({
            request_id: key,
            error: { code: key, message: `upstream refused ${key}` }
          })}\n`
        )
      })
      for (const read of [
        (fd: Flashduty["Service"]) => Stream.runDrain(fd.sessions.export({ session_id: "s" })),
        (fd: Flashduty["Service"]) => Stream.runDrain(fd.sessions.exportRaw({ session_id: "s" }))
      ]) {
        const exit = yield* call(server.url, LONG, read)
        assert.isTrue(Exit.isFailure(exit))
        const text = printed(exit)
        assert.include(text, "ExportTruncated")
        assert.notInclude(text, LONG)
      }
    }).pipe(Effect.scoped)
  )
})

describe("a token that rotated out while its request was in flight", () => {
  it.live("twelve concurrent calls, a new token each, every answer echoing its own: none leaks", () =>
    Effect.gen(function* () {
      let minted = 0
      const pending: Array<() => void> = []
      const server = yield* rawServer((request, response) => {
        const token = (request.headers.authorization ?? "").replace("Bearer ", "")
        pending.push(() => {
          response.writeHead(401, { "content-type": "application/json" })
          response.end(
            JSON.stringify({
              request_id: "r",
              error: { code: "Unauthorized", message: `token ${token} expired` }
            })
          )
        })
        // All answers held until the last request arrives: by then 11 newer tokens were minted.
        if (pending.length === 12) for (const answer of pending) answer()
      })
      const exits = yield* Effect.flatMap(Flashduty, (fd) =>
        Effect.all(
          Array.from({ length: 12 }, () => Effect.exit(fd.incidents.list({ start_time: 0, end_time: 1 }))),
          { concurrency: 12 }
        )
      ).pipe(
        Effect.provide(
          sdkLayer(server.url, {
            accessToken: Effect.sync(() => `ROTATING-TOKEN-${String(++minted).padStart(4, "0")}-c0ffee`),
            retry: false
          })
        )
      )
      const text = exits.map(printed).join("\n")
      assert.strictEqual(exits.filter(Exit.isFailure).length, 12)
      assert.deepStrictEqual(text.match(/ROTATING-TOKEN-\d{4}-c0ffee/g) ?? [], [])
    }).pipe(Effect.scoped)
  )
})
