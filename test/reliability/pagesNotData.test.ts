/**
 * An answer that is a page, or nothing, where data was expected (a proxy's error page, a
 * login page, a `204`): on the operations that answer files and NDJSON, as on JSON calls,
 * a `GatewayError`, never a file, a transcript or an empty success (cases adapted from an
 * independent review).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Stream } from "effect"
import { Flashduty } from "../../src/generated/Flashduty.js"
import { sdkLayer } from "./support/client.js"
import { rawServer } from "./support/rawServer.js"

interface Reply {
  readonly status: number
  readonly headers: Record<string, string>
  readonly body: string
}

const replies: ReadonlyArray<readonly [string, Reply]> = [
  ["an empty 204", { status: 204, headers: {}, body: "" }],
  ["an empty 205", { status: 205, headers: {}, body: "" }],
  [
    "a 200 HTML login page",
    {
      status: 200,
      headers: { "content-type": "text/html" },
      body: "<!doctype html><html><body><form action=/login>Sign in</form></body></html>"
    }
  ],
  [
    "a 200 HTML page labelled text/csv",
    {
      status: 200,
      headers: { "content-type": "text/csv" },
      body: "<html><body>502 Bad Gateway</body></html>"
    }
  ]
]

type Read = (fd: Flashduty["Service"]) => Effect.Effect<unknown, unknown, any>
const operations: ReadonlyArray<readonly [string, Read]> = [
  ["an export (read as text)", (fd) => fd.statusPages.subscriberExport({ page_id: 1 })],
  [
    "an export download",
    (fd) =>
      Effect.flatMap(fd.statusPages.subscriberExportDownload({ page_id: 1 }), (answer) =>
        answer._tag === "File" ? Stream.runDrain(answer.file.stream) : Effect.void
      )
  ],
  ["sessions.export", (fd) => Stream.runDrain(fd.sessions.export({ session_id: "s" }))],
  ["sessions.exportRaw", (fd) => Stream.runDrain(fd.sessions.exportRaw({ session_id: "s" }))],
  [
    "sessionReplay.segmentsStream",
    (fd) => Stream.runDrain(fd.sessionReplay.segmentsStream({ session_id: "s" }))
  ]
]

describe("a page or nothing where data was expected is a GatewayError", () => {
  for (const [replyLabel, reply] of replies) {
    for (const [operationLabel, read] of operations) {
      it.live(`${operationLabel}: ${replyLabel}`, () =>
        Effect.gen(function* () {
          const server = yield* rawServer((_request, response) => {
            response.writeHead(reply.status, reply.headers)
            response.end(reply.body)
          })
          const exit = yield* Effect.flatMap(Flashduty, read).pipe(
            Effect.provide(sdkLayer(server.url, { retry: false })),
            Effect.scoped,
            Effect.exit
          )
          assert.isTrue(Exit.isFailure(exit), "never a success")
          const failure = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail") : undefined
          const error = (failure as { error: { _tag: string; status?: number } } | undefined)?.error
          assert.strictEqual(error?._tag, "GatewayError")
          assert.strictEqual(error?.status, reply.status)
        }).pipe(Effect.scoped)
      )
    }
  }

  it.live("an export download answered with an empty 200 body is a GatewayError, not an empty file", () =>
    Effect.gen(function* () {
      const server = yield* rawServer((_request, response) => {
        response.writeHead(200, { "content-type": "text/csv" })
        response.end()
      })
      const exit = yield* Effect.flatMap(Flashduty, (fd) =>
        fd.statusPages.subscriberExportDownload({ page_id: 1 })
      ).pipe(Effect.provide(sdkLayer(server.url, { retry: false })), Effect.scoped, Effect.exit)
      const failure = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail") : undefined
      assert.strictEqual((failure as { error: { _tag: string } } | undefined)?.error._tag, "GatewayError")
    }).pipe(Effect.scoped)
  )
})
