/**
 * `FlashdutyClient.request`: a path the spec does not have, through the same pipeline as the
 * generated methods (credentials, retries by access, timeout, caps, error mapping, input
 * checks, redaction), over real HTTP.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer, Schema } from "effect"
import { FetchHttpClient } from "effect/http"
import { FlashdutyClient } from "../../src/FlashdutyClient.js"
import type { FlashdutyOptions } from "../../src/FlashdutyOptions.js"
import * as Retry from "../../src/Retry.js"
import { failureOf } from "../support/exits.js"
import { SENTINEL_KEY } from "./support/client.js"
import { rawServer } from "./support/rawServer.js"

const client = (url: string, options: Partial<FlashdutyOptions> = {}) =>
  FlashdutyClient.layer({
    appKey: SENTINEL_KEY,
    baseUrl: url,
    rateLimit: false,
    ...options
  } as FlashdutyOptions).pipe(Layer.provide(FetchHttpClient.layer), Layer.orDie)

const Packs = Schema.Struct({ items: Schema.Array(Schema.Struct({ pack_id: Schema.String })) })

describe("FlashdutyClient.request", () => {
  it.live("a POST to a path the spec lacks: body, query and app_key sent; data decoded by the schema", () =>
    Effect.gen(function* () {
      const seen: Array<{ url: string; body: string }> = []
      const server = yield* rawServer((request, response) => {
        let body = ""
        request.on("data", (chunk: Buffer) => {
          body += chunk.toString()
        })
        request.on("end", () => {
          seen.push({ url: request.url ?? "", body })
          response.writeHead(200, { "content-type": "application/json" })
          response.end(JSON.stringify({ request_id: "rq", data: { items: [{ pack_id: "kp_1" }], extra: 1 } }))
        })
      })
      const { data, meta } = yield* Effect.flatMap(FlashdutyClient, (c) =>
        c.request({
          method: "POST",
          path: "/safari/knowledge/pack/list",
          body: { p: 1, limit: 20 },
          query: { team_id: 7 },
          response: Packs,
          access: "read"
        })
      ).pipe(Effect.provide(client(server.url)))
      assert.deepStrictEqual(data.items, [{ pack_id: "kp_1" }])
      assert.strictEqual(meta.requestId, "rq")
      const url = new URL(seen[0]!.url, server.url)
      assert.strictEqual(url.pathname, "/safari/knowledge/pack/list")
      assert.strictEqual(url.searchParams.get("team_id"), "7")
      assert.strictEqual(url.searchParams.get("app_key"), SENTINEL_KEY)
      assert.deepStrictEqual(JSON.parse(seen[0]!.body), { p: 1, limit: 20 })
    }).pipe(Effect.scoped)
  )

  it.live("a GET with query parameters; data kept as it is without a schema", () =>
    Effect.gen(function* () {
      let url = ""
      const server = yield* rawServer((request, response) => {
        url = request.url ?? ""
        response.writeHead(200, { "content-type": "application/json" })
        response.end(JSON.stringify({ request_id: "g", data: { answer: 42 } }))
      })
      const { data } = yield* Effect.flatMap(FlashdutyClient, (c) =>
        c.request({ method: "GET", path: "/monit/servicemap/status", query: { ids: [1, 2], q: "a b" } })
      ).pipe(Effect.provide(client(server.url)))
      assert.deepStrictEqual(data, { answer: 42 })
      const parsed = new URL(url, server.url)
      assert.deepStrictEqual(parsed.searchParams.getAll("ids"), ["1", "2"])
      assert.strictEqual(parsed.searchParams.get("q"), "a b")
    }).pipe(Effect.scoped)
  )

  it.live("errors map as for any operation; a read is retried, a write is sent once", () =>
    Effect.gen(function* () {
      const server = yield* rawServer((_request, response) => {
        response.writeHead(503, { "content-type": "application/json" })
        response.end(
          JSON.stringify({ request_id: "e", error: { code: "ServiceUnavailable", message: "busy" } })
        )
      })
      const layer = client(server.url, {
        retry: Retry.backoff({ base: "1 millis", jitter: "none", maxRetries: 2 })
      })
      const read = yield* Effect.flatMap(FlashdutyClient, (c) =>
        c.request({ method: "POST", path: "/monit/servicemap/topology", access: "read" })
      ).pipe(Effect.provide(layer), Effect.exit)
      assert.strictEqual(failureOf(read)._tag, "ServerError")
      assert.strictEqual(server.hits(), 3)
      const write = yield* Effect.flatMap(FlashdutyClient, (c) =>
        c.request({ method: "POST", path: "/safari/knowledge/pack/delete", body: { pack_id: "kp_1" } })
      ).pipe(Effect.provide(layer), Effect.exit)
      assert.strictEqual(failureOf(write)._tag, "ServerError")
      assert.strictEqual(server.hits(), 4, "a write of unknown outcome is sent once")
    }).pipe(Effect.scoped)
  )

  it.live("a path or body that cannot be sent is an InvalidParameter, nothing sent", () =>
    Effect.gen(function* () {
      const server = yield* rawServer((_request, response) => response.end())
      const cyclic: Record<string, unknown> = {}
      cyclic.self = cyclic
      for (const [raw, path] of [
        [{ method: "POST", path: "safari/x" }, "request.path"],
        [{ method: "POST", path: "//evil.example/x" }, "request.path"],
        [{ method: "POST", path: "/a/../b" }, "request.path"],
        [{ method: "POST", path: "/a?app_key=x" }, "request.path"],
        [{ method: "DELETE", path: "/a" }, "request.method"],
        [{ method: "GET", path: "/a", body: {} }, "request.body"],
        [{ method: "POST", path: "/a", body: { n: 10n } }, "request.body.n"],
        [{ method: "POST", path: "/a", body: cyclic }, "request.body.self"],
        [{ method: "POST", path: "/a", rateLimit: { perSecond: 0.5 } }, "request.rateLimit.perSecond"]
      ] as const) {
        const exit = yield* Effect.flatMap(FlashdutyClient, (c) => c.request(raw as never)).pipe(
          Effect.provide(client(server.url)),
          Effect.exit
        )
        const error = failureOf(exit)
        assert.strictEqual(error._tag, "InvalidParameter", path)
        assert.strictEqual((error as { path?: string }).path, path)
        assert.isTrue(Exit.isFailure(exit))
      }
      assert.strictEqual(server.hits(), 0)
    }).pipe(Effect.scoped)
  )
})
