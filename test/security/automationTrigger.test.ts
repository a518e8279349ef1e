/**
 * An automation's HTTP-POST trigger authenticates with its own bearer token, given per call,
 * never with the client's app key or token: `automations.triggerFire(request, token)`, over
 * real HTTP. The token is a secret like the app key: scrubbed from everything copied out of
 * the answer; `trigger_id` goes into the path, URL-encoded.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Redacted } from "effect"
import { Flashduty } from "../../src/generated/Flashduty.js"
import { SENTINEL_KEY, sdkLayer } from "../reliability/support/client.js"
import { rawServer } from "../reliability/support/rawServer.js"
import { failureOf } from "../support/exits.js"

const TOKEN = "sat_SENTINEL-trigger-token-6d1e"

interface Seen {
  readonly url: URL
  readonly authorization: string | undefined
  readonly body: string
}

const answering = (status: number, body: (seen: Seen) => unknown) => {
  const seen: Array<Seen> = []
  return Effect.map(
    rawServer((request, response) => {
      let text = ""
      request.on("data", (chunk: Buffer) => {
        text += chunk.toString()
      })
      request.on("end", () => {
        const entry = {
          url: new URL(request.url ?? "/", "http://x"),
          authorization: request.headers.authorization,
          body: text
        }
        seen.push(entry)
        response.writeHead(status, { "content-type": "application/json" })
        response.end(JSON.stringify(body(entry)))
      })
    }),
    (server) => ({ server, seen })
  )
}

describe("automations.triggerFire", () => {
  it.live("sends the trigger's token as a bearer, no app_key; trigger_id in the path, text in the body", () =>
    Effect.gen(function* () {
      const { server, seen } = yield* answering(200, () => ({
        request_id: "RIDF",
        data: { type: "routine_fire", session_id: "sess_1", session_url: "/safari/session/sess_1" }
      }))
      const { data } = yield* Effect.flatMap(Flashduty, (fd) =>
        fd.automations.triggerFire(
          { trigger_id: "atrig 1/x", text: "disk full on web-1" },
          Redacted.make(TOKEN)
        )
      ).pipe(Effect.provide(sdkLayer(server.url)))
      assert.deepStrictEqual(data, {
        type: "routine_fire",
        session_id: "sess_1",
        session_url: "/safari/session/sess_1"
      })
      const request = seen[0]!
      assert.strictEqual(request.url.pathname, "/safari/automation/triggers/atrig%201%2Fx/fire")
      assert.isNull(request.url.searchParams.get("app_key"), "the client's app key is not sent")
      assert.strictEqual(request.authorization, `Bearer ${TOKEN}`)
      assert.deepStrictEqual(JSON.parse(request.body), { text: "disk full on web-1" })
    }).pipe(Effect.scoped)
  )

  it.live("an echoed trigger token is scrubbed from the error; neither it nor the app key leaks", () =>
    Effect.gen(function* () {
      const { server } = yield* answering(401, (seen) => ({
        request_id: "r",
        error: { code: "Unauthorized", message: `token ${seen.authorization?.slice(7)} is not valid` }
      }))
      const exit = yield* Effect.flatMap(Flashduty, (fd) =>
        fd.automations.triggerFire({ trigger_id: "atrig_1" }, TOKEN)
      ).pipe(Effect.provide(sdkLayer(server.url)), Effect.exit)
      assert.strictEqual(failureOf(exit)._tag, "Unauthorized")
      const printed = Exit.isFailure(exit) ? Cause.pretty(exit.cause) : ""
      assert.notInclude(printed, TOKEN)
      assert.notInclude(printed, SENTINEL_KEY)
    }).pipe(Effect.scoped)
  )

  it.live(
    "a missing or unusable token, or a trigger_id that would change the path, is refused before sending",
    () =>
      Effect.gen(function* () {
        const { server } = yield* answering(200, () => ({ request_id: "r", data: {} }))
        for (const [token, triggerId, path] of [
          ["", "atrig_1", "options.bearerToken"],
          ["tok\r\nx", "atrig_1", "options.bearerToken"],
          [TOKEN, "..", "trigger_id"],
          [TOKEN, "", "trigger_id"]
        ] as const) {
          const exit = yield* Effect.flatMap(Flashduty, (fd) =>
            fd.automations.triggerFire({ trigger_id: triggerId }, token)
          ).pipe(Effect.provide(sdkLayer(server.url)), Effect.exit)
          const error = failureOf(exit)
          assert.strictEqual(error._tag, "InvalidParameter")
          assert.strictEqual((error as { path?: string }).path, path)
          assert.notInclude(error.message, "tok\r\nx")
        }
        assert.strictEqual(server.hits(), 0)
      }).pipe(Effect.scoped)
  )

  it.live("bearerToken on an operation that uses the client's credentials is refused", () =>
    Effect.gen(function* () {
      const { server } = yield* answering(200, () => ({ request_id: "r", data: { items: [] } }))
      const exit = yield* Effect.flatMap(Flashduty, (fd) =>
        fd.incidents.list({ start_time: 0, end_time: 1 }, { bearerToken: TOKEN })
      ).pipe(Effect.provide(sdkLayer(server.url)), Effect.exit)
      assert.strictEqual(failureOf(exit)._tag, "InvalidParameter")
      assert.strictEqual(server.hits(), 0)
    }).pipe(Effect.scoped)
  )
})
