/**
 * Int64 ids and the caller's own input, over real HTTP (a raw loopback server).
 *
 * Ids: the API's integer ids (13 digits today) are far below 2^53. The SDK parses JSON with
 * `JSON.parse`: an integer up to 2^53 - 1 round-trips exactly; a larger one arrives rounded
 * to the nearest double (documented, not an error). Such a rounded id can never be sent
 * back: request integers are `Schema.Int` (safe integers only), so it fails with
 * `InvalidParameter` naming the field before anything is sent.
 *
 * Caller mistakes (wrong types through `any`, missing required fields) fail before sending
 * with `InvalidParameter` naming the field; any string (quotes, newlines, control
 * characters, unicode, lone surrogates) reaches the server and comes back intact.
 */
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Effect, Schema } from "effect"
import type { FlashdutyError } from "../../src/Errors.js"
import { Flashduty } from "../../src/generated/Flashduty.js"
import { sdkLayer } from "../reliability/support/client.js"
import { rawServer } from "../reliability/support/rawServer.js"

const window = { start_time: 0, end_time: 86_400 }

describe("int64 ids", () => {
  it.live(
    "2^53 - 1 round-trips exactly; 2^53 + 1 arrives rounded to 2^53; a rounded id cannot be sent back",
    () =>
      Effect.gen(function* () {
        // Literal digits on the wire, as a Go backend writes an int64.
        const server = yield* rawServer((_req, res) => {
          res.writeHead(200, { "content-type": "application/json" })
          res.end(
            '{"request_id":"r","data":{"items":[{"incident_id":"a","channel_id":9007199254740991},{"incident_id":"b","channel_id":9007199254740993}]}}'
          )
        })
        const fd = yield* Effect.provide(Effect.service(Flashduty), sdkLayer(server.url))
        const { data } = yield* fd.incidents.list(window)
        assert.strictEqual(data.items[0]?.channel_id, Number.MAX_SAFE_INTEGER)
        assert.strictEqual(data.items[1]?.channel_id, 2 ** 53, "rounded by JSON.parse, as documented")
        assert.strictEqual(server.hits(), 1)

        const error = yield* Effect.flip(
          fd.incidents.list({ ...window, channel_ids: [data.items[1]!.channel_id!] })
        )
        assert.strictEqual(error._tag, "InvalidParameter")
        if (error._tag === "InvalidParameter") assert.strictEqual(error.path, "channel_ids.0")
        assert.strictEqual(server.hits(), 1, "nothing was sent")
        yield* fd.incidents.list({ ...window, channel_ids: [Number.MAX_SAFE_INTEGER] })
        assert.strictEqual(server.hits(), 2, "the largest safe id is sent")
      })
  )
})

describe("the caller's input", () => {
  type Loose = (fd: Flashduty["Service"]) => Effect.Effect<unknown, FlashdutyError>
  const invalid: ReadonlyArray<readonly [string, Loose, string]> = [
    ["a missing required field", (fd) => fd.incidents.ack({} as any), "incident_ids"],
    [
      "a string where an integer belongs",
      (fd) => fd.incidents.list({ ...window, limit: "20" } as any),
      "limit"
    ],
    ["a fraction where an integer belongs", (fd) => fd.incidents.list({ ...window, p: 1.5 }), "p"],
    [
      "a fraction where an integer id belongs, in an array",
      (fd) => fd.incidents.list({ ...window, channel_ids: [1, 2.5] }),
      "channel_ids.1"
    ],
    [
      "a fraction of seconds (Date.now() / 1000) where a time belongs",
      (fd) => fd.incidents.list({ ...window, start_time: 1711929600.7 }),
      "start_time"
    ],
    [
      "an object where an array belongs",
      (fd) => fd.incidents.list({ ...window, channel_ids: { 0: 1 } } as any),
      "channel_ids"
    ],
    [
      "a string where a time belongs",
      (fd) => fd.incidents.list({ ...window, start_time: "yesterday" } as any),
      "start_time"
    ]
  ]
  for (const [label, call, path] of invalid) {
    it.live(`${label} (through any) fails with InvalidParameter at ${path}, nothing sent`, () =>
      Effect.gen(function* () {
        const server = yield* rawServer((_req, res) => res.writeHead(200).end('{"request_id":"r","data":{}}'))
        const fd = yield* Effect.provide(Effect.service(Flashduty), sdkLayer(server.url))
        const error = yield* Effect.flip(call(fd))
        assert.strictEqual(error._tag, "InvalidParameter")
        if (error._tag === "InvalidParameter") assert.strictEqual(error.path, path)
        assert.include(error.message, "nothing was sent")
        // A fraction is told what to pass instead.
        if (label.includes("fraction")) assert.match(error.message, /pass a whole number/)
        assert.strictEqual(server.hits(), 0)
      })
    )
  }

  it.live("any string reaches the server intact (quotes, newlines, control characters, unicode)", () =>
    Effect.gen(function* () {
      const received: Array<unknown> = []
      const server = yield* rawServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (c: Buffer) => chunks.push(c))
        req.on("end", () => {
          received.push(JSON.parse(Buffer.concat(chunks).toString("utf8")).title)
          res.writeHead(200, { "content-type": "application/json" }).end('{"request_id":"r","data":{}}')
        })
      })
      const fd = yield* Effect.provide(Effect.service(Flashduty), sdkLayer(server.url))
      const fixed = [
        'say "hi"\\n',
        "line1\nline2\r\n\ttab",
        "\u0000\u0001\u001f\u007f",
        "事件 🚨 Ünïcödé",
        "\ud800 lone"
      ]
      const generated = yield* Arbitrary.sampleEffect(Arbitrary.schema(Schema.String), {
        count: 40,
        seed: "titles",
        size: 30
      })
      const titles = [...fixed, ...generated]
      for (const title of titles) yield* fd.incidents.create({ title, incident_severity: "Info" })
      assert.deepStrictEqual(received, titles)
    })
  )
})
