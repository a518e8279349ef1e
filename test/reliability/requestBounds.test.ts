/**
 * The spec's request bounds (`minimum`/`maximum`, `minLength`/`maxLength`, `minItems`/`maxItems`)
 * are checked before sending, over real HTTP: an out-of-range value fails with
 * `InvalidParameter` naming the field and nothing reaches the server; a value on the bound is
 * sent. Answers are never held to those bounds (tolerant decoding).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import type { FlashdutyError } from "../../src/Errors.js"
import { Flashduty } from "../../src/generated/Flashduty.js"
import { sdkLayer } from "./support/client.js"
import { rawServer } from "./support/rawServer.js"

const window = { start_time: 0, end_time: 86_400 }
const emptyPage = '{"request_id":"r","data":{"items":[],"total":0,"has_next_page":false}}'

type Call = (fd: Flashduty["Service"]) => Effect.Effect<unknown, FlashdutyError>

describe("request bounds from the spec", () => {
  const outOfRange: ReadonlyArray<readonly [string, Call, string]> = [
    ["limit: 10_000 (maximum 100)", (fd) => fd.incidents.list({ ...window, limit: 10_000 }), "limit"],
    ["limit: -1 (minimum 0)", (fd) => fd.incidents.list({ ...window, limit: -1 }), "limit"],
    ["p: -1 (minimum 0)", (fd) => fd.incidents.list({ ...window, p: -1 }), "p"],
    ["no incident_ids (minItems 1)", (fd) => fd.incidents.ack({ incident_ids: [] }), "incident_ids"],
    [
      "101 incident_ids (maxItems 100)",
      (fd) => fd.incidents.ack({ incident_ids: Array.from({ length: 101 }, (_, i) => `id-${i}`) }),
      "incident_ids"
    ]
  ]
  for (const [label, call, path] of outOfRange) {
    it.live(`${label} fails with InvalidParameter at ${path}, nothing sent`, () =>
      Effect.gen(function* () {
        const server = yield* rawServer((_req, res) => res.writeHead(200).end(emptyPage))
        const fd = yield* Effect.provide(Effect.service(Flashduty), sdkLayer(server.url))
        const error = yield* Effect.flip(call(fd))
        assert.strictEqual(error._tag, "InvalidParameter")
        if (error._tag === "InvalidParameter") assert.strictEqual(error.path, path)
        assert.include(error.message, "nothing was sent")
        assert.strictEqual(server.hits(), 0)
      })
    )
  }

  it.live("values on the bounds are sent", () =>
    Effect.gen(function* () {
      const server = yield* rawServer((_req, res) =>
        res.writeHead(200, { "content-type": "application/json" }).end(emptyPage)
      )
      const fd = yield* Effect.provide(Effect.service(Flashduty), sdkLayer(server.url))
      yield* fd.incidents.list({ ...window, p: 0, limit: 100 })
      yield* fd.incidents.list({ ...window, limit: 0 })
      assert.strictEqual(server.hits(), 2)
    })
  )

  it.live("a string's length bound counts code points, as JSON Schema does (an emoji is one)", () =>
    Effect.gen(function* () {
      const server = yield* rawServer((_req, res) =>
        res.writeHead(200, { "content-type": "application/json" }).end('{"request_id":"r","data":{}}')
      )
      const fd = yield* Effect.provide(Effect.service(Flashduty), sdkLayer(server.url))
      // `member_name`: minLength 2, maxLength 39. 39 emoji are 78 UTF-16 units, 39 code points.
      const invite = (member_name: string) =>
        fd.members.invite({ members: [{ email: "a@example.com", member_name }] })
      yield* invite("🚨".repeat(39))
      assert.strictEqual(server.hits(), 1)
      const tooLong = yield* Effect.flip(invite("a".repeat(40)))
      const tooShort = yield* Effect.flip(invite("a"))
      for (const error of [tooLong, tooShort]) {
        assert.strictEqual(error._tag, "InvalidParameter")
        if (error._tag === "InvalidParameter") assert.strictEqual(error.path, "members.0.member_name")
      }
      assert.strictEqual(server.hits(), 1, "nothing more was sent")
    })
  )

  it.live("an answer outside the documented bounds still decodes", () =>
    Effect.gen(function* () {
      // `FieldItem.field_name` has maxLength 39 and `display_name` maxLength 39.
      const long = "x".repeat(200)
      const server = yield* rawServer((_req, res) =>
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ request_id: "r", data: { field_name: long, display_name: long } }))
      )
      const fd = yield* Effect.provide(Effect.service(Flashduty), sdkLayer(server.url))
      const { data } = yield* fd.alertEnrichment.fieldInfo({ field_id: "f" })
      assert.strictEqual(data.field_name, long)
      assert.strictEqual(data.display_name, long)
    })
  )
})
