/**
 * Input the wire cannot carry, and per-call options that cannot work, over real HTTP: each
 * is an `InvalidParameter` naming the field (or the option), with nothing sent, never a
 * defect, a silent `null`, a dropped value or a silently disabled limit.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Schedule, Stream } from "effect"
import type { FlashdutyError } from "../../src/Errors.js"
import { Flashduty } from "../../src/generated/Flashduty.js"
import { sdkLayer } from "../reliability/support/client.js"
import { envelope, rawServer } from "../reliability/support/rawServer.js"

type Loose = (fd: Flashduty["Service"]) => Effect.Effect<unknown, unknown, any>

const cyclic: Record<string, unknown> = { a: 1 }
cyclic.self = cyclic

/** Runs each case against one server that answers success, asserting the error and that nothing was sent. */
const refuses = (cases: ReadonlyArray<readonly [label: string, call: Loose, path: string]>) =>
  Effect.gen(function* () {
    const server = yield* rawServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" })
      response.end(envelope({}))
    })
    for (const [label, call, path] of cases) {
      const exit = yield* Effect.flatMap(Flashduty, call).pipe(
        Effect.provide(sdkLayer(server.url)),
        Effect.scoped,
        Effect.exit
      )
      assert.isTrue(Exit.isFailure(exit), `${label}: expected a failure`)
      const reason = Exit.isFailure(exit) ? exit.cause.reasons[0] : undefined
      assert.strictEqual(reason?._tag, "Fail", `${label}: a typed failure, not ${String(exit)}`)
      const error = (reason as { error: FlashdutyError }).error
      assert.strictEqual(error._tag, "InvalidParameter", label)
      assert.strictEqual((error as { path?: string }).path, path, label)
      assert.include(error.message, "nothing was sent", label)
    }
    assert.strictEqual(server.hits(), 0, "nothing reached the server")
  }).pipe(Effect.scoped)

const field =
  (value: unknown): Loose =>
  (fd) =>
    fd.incidents.fieldReset({ incident_id: "i", field_name: "f", field_value: value })

describe("values JSON cannot carry, inside an unknown-typed field", () => {
  it.live("BigInt, cycles, throwing toJSON, NaN, Infinity, functions, Symbols, Maps", () =>
    refuses([
      ["a BigInt", field({ count: 10n }), "field_value.count"],
      ["a cycle", field({ nested: cyclic }), "field_value.nested.self"],
      [
        "a throwing toJSON",
        field({
          toJSON() {
            throw new Error("nope")
          }
        }),
        "field_value"
      ],
      ["NaN", field([1, Number.NaN]), "field_value.1"],
      ["Infinity", field({ ratio: Number.POSITIVE_INFINITY }), "field_value.ratio"],
      ["a function", field({ run: () => 1 }), "field_value.run"],
      ["a Symbol", field([Symbol("s")]), "field_value.0"],
      ["a Map", field(new Map([["a", 1]])), "field_value"]
    ])
  )
})

describe("per-call options that cannot work", () => {
  const list =
    (options: unknown): Loose =>
    (fd) =>
      fd.incidents.list({ start_time: 0, end_time: 1 }, options as never)
  it.live("timeouts, caps, headers and retry policies are checked before sending", () =>
    refuses([
      ["timeout 'soon'", list({ timeout: "soon" }), "options.timeout"],
      ["timeout NaN", list({ timeout: Number.NaN }), "options.timeout"],
      ["timeout -1", list({ timeout: -1 }), "options.timeout"],
      ["maxResponseBytes NaN", list({ maxResponseBytes: Number.NaN }), "options.maxResponseBytes"],
      ["a CR/LF header", list({ headers: { "x-trace": "a\r\nx-evil: 1" } }), "options.headers"],
      ["a retry that is not a Schedule", list({ retry: "twice" }), "options.retry"],
      ["options that are not an object", list("fast"), "options"],
      [
        "maxLineBytes NaN on an export",
        (fd) => Stream.runDrain(fd.sessions.export({ session_id: "s" }, { maxLineBytes: Number.NaN })),
        "options.maxLineBytes"
      ]
    ])
  )

  it.live("valid options still go through", () =>
    Effect.gen(function* () {
      const server = yield* rawServer((_request, response) => {
        response.writeHead(200, { "content-type": "application/json" })
        response.end(envelope({ items: [] }))
      })
      yield* Effect.flatMap(Flashduty, (fd) =>
        fd.incidents.list(
          { start_time: 0, end_time: 1 },
          {
            timeout: "2 seconds",
            maxResponseBytes: 4096,
            headers: { "x-trace": "a" },
            retry: Schedule.recurs(1)
          }
        )
      ).pipe(Effect.provide(sdkLayer(server.url)))
      assert.strictEqual(server.hits(), 1)
    }).pipe(Effect.scoped)
  )
})
