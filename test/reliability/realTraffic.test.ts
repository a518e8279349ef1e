/**
 * Answers as the live API sends them, not only the spec's examples: payloads taken from the
 * Flashduty ecosystem's own test suites (go-flashduty, flashduty-sdk, flashduty-cli; each
 * fixture in `test/fixtures/ecosystemPayloads.json` names its source), served over real HTTP
 * to the generated methods. The expected outcome comes from go-flashduty's rules, written
 * out here independently of the SDK's code: a 2xx whose `error.code` is absent, `""`, `"0"`
 * or `"OK"` (any case) succeeds, whatever its `data` (missing included); any other code or
 * any non-2xx fails, with the error the code names, else the one the status names.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Stream } from "effect"
import { examples } from "../../src/generated/examples.js"
import { Flashduty } from "../../src/generated/Flashduty.js"
import { operations } from "../../src/generated/operations.js"
import * as UploadFile from "../../src/streaming/UploadFile.js"
import fixtures from "../fixtures/ecosystemPayloads.json" with { type: "json" }
import { sdkLayer } from "./support/client.js"
import { rawServer } from "./support/rawServer.js"

interface Fixture {
  readonly operationId: string
  readonly path: string
  readonly status: number
  readonly source: string
  readonly headers?: Record<string, string>
  readonly body?: unknown
  readonly text?: string
}

/** The error each code of the spec names (the SDK's table is not consulted). */
const byCode: Record<string, string> = {
  InvalidParameter: "InvalidParameter",
  BadRequest: "InvalidParameter",
  InvalidContentType: "InvalidParameter",
  EntityTooLarge: "InvalidParameter",
  ResourceNotFound: "NotFound",
  RouteNotFound: "NotFound",
  Unauthorized: "Unauthorized",
  AccessDenied: "AccessDenied",
  NoLicense: "AccessDenied",
  RequestTooFrequently: "RateLimited",
  InternalError: "ServerError",
  ServiceUnavailable: "ServerError"
}

const byStatus = (status: number): string =>
  status === 400
    ? "InvalidParameter"
    : status === 401
      ? "Unauthorized"
      : status === 403
        ? "AccessDenied"
        : status === 404
          ? "NotFound"
          : status === 429
            ? "RateLimited"
            : status >= 500
              ? "ServerError"
              : "ApiError"

/** "success", or the tag of the error go-flashduty's rules expect. */
const expected = (fixture: Fixture): string => {
  const ok = fixture.status >= 200 && fixture.status < 300
  if (fixture.text !== undefined)
    return ok ? "success" : fixture.status === 429 ? "RateLimited" : "GatewayError"
  const error = (fixture.body as { error?: { code?: unknown } } | undefined)?.error
  const code = typeof error?.code === "string" ? error.code : undefined
  const failingCode = code !== undefined && code !== "" && code !== "0" && code.toUpperCase() !== "OK"
  if (ok && !failingCode) return "success"
  if (failingCode) return byCode[code] ?? (ok ? "ApiError" : byStatus(fixture.status))
  return byStatus(fixture.status)
}

const file = () =>
  UploadFile.fromBytes(new TextEncoder().encode("host,team\nweb-1,payments\n"), "mapping.csv", "text/csv")

/** Calls the fixture's operation with a valid request (its spec example), draining any stream. */
const callOf = (operationId: string) => (fd: Flashduty["Service"]) => {
  const operation = operations.find((op) => op.operationId === operationId)!
  const request = examples[operationId]?.request ?? {}
  const service = fd[operation.service as keyof Flashduty["Service"]] as unknown as Record<
    string,
    (...args: Array<unknown>) => Effect.Effect<unknown, unknown>
  >
  switch (operationId) {
    case "session-read-export":
      return Stream.runDrain(fd.sessions.export({ session_id: "sess_abc" }))
    case "skill-write-upload":
      return fd.skills.upload({ file: UploadFile.fromBytes(new Uint8Array([0x50, 0x4b]), "a.zip") })
    case "mapping-data-write-upload":
      return fd.alertEnrichment.mappingDataUpload({ schema_id: "s1", file: file() })
    default:
      // An export may answer a file: its `…Download` companion returns it as it came (go-flashduty's `Raw`).
      return operation.kind === "file"
        ? Effect.flatMap(service[`${operation.method}Download`]!(request), (answer) => {
            const file = (answer as { _tag: string; file?: { stream: Stream.Stream<Uint8Array, unknown> } })
              .file
            return file === undefined ? Effect.void : Stream.runDrain(file.stream)
          })
        : service[operation.method]!(request)
  }
}

describe("payloads from the Flashduty ecosystem's test suites", () => {
  for (const fixture of fixtures as ReadonlyArray<Fixture>) {
    const outcome = expected(fixture)
    it.live(`${fixture.operationId} ${fixture.status} → ${outcome} (${fixture.source})`, () =>
      Effect.gen(function* () {
        const server = yield* rawServer((_request, response) => {
          const text = fixture.text ?? JSON.stringify(fixture.body)
          const headers = Object.fromEntries(
            Object.entries(fixture.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])
          )
          response.writeHead(fixture.status, {
            "content-type": fixture.text === undefined ? "application/json" : "text/plain",
            ...headers
          })
          response.end(text)
        })
        const exit = yield* Effect.flatMap(Flashduty, callOf(fixture.operationId)).pipe(
          Effect.provide(sdkLayer(server.url, { retry: false })),
          Effect.scoped,
          Effect.exit
        )
        if (outcome === "success") {
          assert.isTrue(Exit.isSuccess(exit), `expected success, got ${String(exit)}`)
          return
        }
        assert.isTrue(Exit.isFailure(exit), "expected a failure")
        const failure = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail") : undefined
        assert.strictEqual(
          (failure as { error: { _tag: string } } | undefined)?.error._tag,
          outcome,
          String(exit)
        )
      }).pipe(Effect.scoped)
    )
  }
})

describe("the envelope rules, one by one", () => {
  const serve = (status: number, body: unknown) =>
    rawServer((_request, response) => {
      response.writeHead(status, { "content-type": "application/json" })
      response.end(JSON.stringify(body))
    })
  const run = <A>(url: string, call: (fd: Flashduty["Service"]) => Effect.Effect<A, unknown>) =>
    Effect.flatMap(Flashduty, call).pipe(Effect.provide(sdkLayer(url, { retry: false })), Effect.exit)
  const list = (fd: Flashduty["Service"]) => fd.incidents.list({ start_time: 0, end_time: 1 })

  it.live('error.code "0", "OK", "ok" and "" are success', () =>
    Effect.gen(function* () {
      for (const code of ["0", "OK", "ok", ""]) {
        const server = yield* serve(200, {
          request_id: "r",
          error: { code, message: "" },
          data: { items: [] }
        })
        const exit = yield* run(server.url, list)
        assert.isTrue(Exit.isSuccess(exit), `code ${JSON.stringify(code)}: ${String(exit)}`)
      }
    }).pipe(Effect.scoped)
  )

  it.live("a missing or null data is the operation's empty payload: lists come out empty", () =>
    Effect.gen(function* () {
      for (const body of [{ request_id: "r" }, { request_id: "r", data: null }]) {
        const server = yield* serve(200, body)
        const exit = yield* run(server.url, list)
        assert.isTrue(Exit.isSuccess(exit), String(exit))
        if (Exit.isSuccess(exit)) {
          assert.deepStrictEqual(exit.value.data.items, [])
          assert.strictEqual(exit.value.meta.requestId, "r")
        }
        const ack = yield* run(server.url, (fd) => fd.incidents.ack({ incident_ids: ["i"] }))
        assert.isTrue(Exit.isSuccess(ack), String(ack))
      }
    }).pipe(Effect.scoped)
  )

  it.live("error.reason is carried and shown; an error that is a plain string is the message", () =>
    Effect.gen(function* () {
      const server = yield* serve(400, {
        request_id: "r",
        error: { code: "InvalidParameter", reason: "tool_not_supported", message: "no such tool" }
      })
      const exit = yield* run(server.url, list)
      const failure = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail") : undefined
      const error = (failure as { error: { _tag: string; reason?: string; message: string } }).error
      assert.strictEqual(error._tag, "InvalidParameter")
      assert.strictEqual(error.reason, "tool_not_supported")
      assert.include(error.message, "tool_not_supported")
      const plain = yield* serve(200, { request_id: "r", error: "boom" })
      const plainExit = yield* run(plain.url, list)
      const plainFailure = Exit.isFailure(plainExit)
        ? plainExit.cause.reasons.find((r) => r._tag === "Fail")
        : undefined
      const plainError = (plainFailure as { error: { _tag: string; message: string } }).error
      assert.strictEqual(plainError._tag, "ApiError")
      assert.include(plainError.message, "boom")
    }).pipe(Effect.scoped)
  )
})
