import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Schema } from "effect"
import { TestClock } from "effect/testing"
import { errorCodeMapping } from "../../src/pipeline/errorMapping.js"
import * as Endpoint from "../../src/runtime/Endpoint.js"
import { incidentList } from "./endpoints.js"
import { apiError, json, ok, text } from "./fakeHttp.js"
import { withClient } from "./harness.js"

const listInput = { start_time: 1, end_time: 2 }
const failWith = (response: () => Response) =>
  withClient(response, (client) => Effect.flip(client.call(incidentList, listInput)))

/** The spec's `components.schemas.ErrorCode` enum (openapi.en.json), in its order. */
const specErrorCodes = [
  "OK",
  "InvalidParameter",
  "BadRequest",
  "InvalidContentType",
  "ResourceNotFound",
  "NoLicense",
  "ReferenceExist",
  "Unauthorized",
  "BalanceNotEnough",
  "AccessDenied",
  "RouteNotFound",
  "MethodNotAllowed",
  "UndonedOrderExist",
  "RequestLocked",
  "EntityTooLarge",
  "RequestTooFrequently",
  "RequestVerifyRequired",
  "DangerousOperation",
  "InternalError",
  "ServiceUnavailable"
]

const expectedTag: Record<string, string> = {
  InvalidParameter: "InvalidParameter",
  BadRequest: "InvalidParameter",
  InvalidContentType: "InvalidParameter",
  ResourceNotFound: "NotFound",
  NoLicense: "AccessDenied",
  ReferenceExist: "ApiError",
  Unauthorized: "Unauthorized",
  BalanceNotEnough: "ApiError",
  AccessDenied: "AccessDenied",
  RouteNotFound: "NotFound",
  MethodNotAllowed: "ApiError",
  UndonedOrderExist: "ApiError",
  RequestLocked: "ApiError",
  EntityTooLarge: "InvalidParameter",
  RequestTooFrequently: "RateLimited",
  RequestVerifyRequired: "ApiError",
  DangerousOperation: "ApiError",
  InternalError: "ServerError",
  ServiceUnavailable: "ServerError"
}

describe("success envelope and metadata", () => {
  it.effect("decodes data and fills meta from the body, headers and paging fields", () =>
    withClient(
      () =>
        ok(
          {
            items: [{ incident_id: "i1", title: "disk", created_at: 1712000000 }],
            total: 41,
            has_next_page: true,
            search_after_ctx: "cursor-2"
          },
          "req-body-id",
          {
            "X-RateLimit-Limit": "1000",
            "X-RateLimit-Remaining": "998",
            "X-RateLimit-Reset": "1712000060",
            "Retry-After": "3",
            "Flashcat-Request-Id": "req-header-id"
          }
        ),
      (client) =>
        Effect.gen(function* () {
          const { data, meta } = yield* client.call(incidentList, listInput)
          assert.strictEqual(data.items[0]?.title, "disk")
          assert.strictEqual(String(data.items[0]?.created_at), "2024-04-01T19:33:20.000Z")
          assert.strictEqual(meta.requestId, "req-body-id")
          assert.strictEqual(meta.status, 200)
          assert.strictEqual(meta.total, 41)
          assert.strictEqual(meta.hasNextPage, true)
          assert.strictEqual(meta.searchAfterCtx, "cursor-2")
          assert.strictEqual(meta.headers["x-ratelimit-limit"], "1000")
          assert.strictEqual(meta.rateLimit.limit, 1000)
          assert.strictEqual(meta.rateLimit.remaining, 998)
          assert.strictEqual(meta.rateLimit.reset, 1712000060)
          assert.strictEqual(Duration.toMillis(meta.rateLimit.retryAfter!), 3000)
        })
    )
  )

  it.effect("falls back to the Flashcat-Request-Id header for the request id", () =>
    withClient(
      () => json({ data: { items: [] } }, 200, { "Flashcat-Request-Id": "from-header" }),
      (client) =>
        Effect.gen(function* () {
          const { meta } = yield* client.call(incidentList, listInput)
          assert.strictEqual(meta.requestId, "from-header")
          assert.isUndefined(meta.total)
          assert.deepStrictEqual(meta.rateLimit, {})
        })
    )
  )

  it.effect("a body that does not fit the schema is a DecodeError with the path and request id", () =>
    Effect.gen(function* () {
      const error = yield* failWith(() => ok({ items: [{ incident_id: "i1", title: 5 }] }, "req-77"))
      assert.strictEqual(error._tag, "DecodeError")
      if (error._tag !== "DecodeError") return
      assert.strictEqual(error.path, "items.0.title")
      assert.strictEqual(error.requestId, "req-77")
      assert.strictEqual(error.status, 200)
      assert.strictEqual(error.operationId, "incidentList")
    })
  )

  it.effect("a JSON body that is not an envelope is a DecodeError", () =>
    Effect.gen(function* () {
      const error = yield* failWith(() => json([1, 2, 3]))
      assert.strictEqual(error._tag, "DecodeError")
    })
  )
})

describe("error mapping", () => {
  it("covers every ErrorCode of the spec", () => {
    assert.deepStrictEqual(Object.keys(errorCodeMapping).sort(), [...specErrorCodes].sort())
  })

  for (const code of specErrorCodes.filter((c) => c !== "OK")) {
    it.effect(`${code} (HTTP 400 and HTTP 200) → ${expectedTag[code]}, code kept verbatim`, () =>
      Effect.gen(function* () {
        for (const status of [400, 200]) {
          const error = yield* failWith(() => apiError(code, `message for ${code}`, status, "req-e"))
          assert.strictEqual(error._tag, expectedTag[code])
          assert.strictEqual(error.code, code)
          assert.strictEqual(error.status, status)
          assert.strictEqual(error.requestId, "req-e")
          assert.strictEqual(error.operationId, "incidentList")
          assert.include(error.message, `message for ${code}`)
        }
      })
    )
  }

  it.effect("the code wins over the status: ResourceNotFound with HTTP 400 is NotFound", () =>
    Effect.gen(function* () {
      const error = yield* failWith(() => apiError("ResourceNotFound", "no such incident", 400))
      assert.strictEqual(error._tag, "NotFound")
    })
  )

  it.effect("an unknown code is an ApiError with the code verbatim", () =>
    Effect.gen(function* () {
      const error = yield* failWith(() => apiError("BrandNewCode", "something new", 409))
      assert.strictEqual(error._tag, "ApiError")
      assert.strictEqual(error.code, "BrandNewCode")
    })
  )

  it.effect("an error envelope with code OK on HTTP 200 is a success shape, not an error", () =>
    withClient(
      () => json({ request_id: "r", error: { code: "OK", message: "" }, data: { items: [] } }),
      (client) =>
        Effect.map(client.call(incidentList, listInput), ({ data }) => assert.deepStrictEqual(data.items, []))
    )
  )

  const statusCases: ReadonlyArray<readonly [number, string]> = [
    [400, "InvalidParameter"],
    [401, "Unauthorized"],
    [403, "AccessDenied"],
    [404, "NotFound"],
    [409, "ApiError"],
    [429, "RateLimited"],
    [500, "ServerError"],
    [503, "ServerError"]
  ]
  for (const [status, tag] of statusCases) {
    it.effect(`a JSON answer without a code and HTTP ${status} → ${tag}`, () =>
      Effect.gen(function* () {
        const error = yield* failWith(() => json({ request_id: "r-s", message: "nope" }, status))
        assert.strictEqual(error._tag, tag)
        assert.strictEqual(error.status, status)
        assert.strictEqual(error.requestId, "r-s")
      })
    )
  }

  it.effect("429 / RequestTooFrequently carries Retry-After in seconds", () =>
    Effect.gen(function* () {
      const error = yield* failWith(() =>
        apiError("RequestTooFrequently", "slow down", 429, "r", { "Retry-After": "7" })
      )
      assert.strictEqual(error._tag, "RateLimited")
      if (error._tag === "RateLimited") assert.strictEqual(Duration.toMillis(error.retryAfter!), 7000)
    })
  )

  it.effect("429 carries Retry-After as an HTTP date, relative to the Clock", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse("2024-04-01T00:00:00Z"))
      const error = yield* failWith(() =>
        json({ request_id: "r" }, 429, { "Retry-After": "Mon, 01 Apr 2024 00:00:12 GMT" })
      )
      assert.strictEqual(error._tag, "RateLimited")
      if (error._tag === "RateLimited") assert.strictEqual(Duration.toMillis(error.retryAfter!), 12000)
    })
  )

  it.effect("an HTML 502 from a proxy is a GatewayError with a short preview", () =>
    Effect.gen(function* () {
      const html = `<html><head><title>502 Bad Gateway</title></head><body>${"x".repeat(5000)}</body></html>`
      const error = yield* failWith(() => text(html, 502, { "content-type": "text/html" }))
      assert.strictEqual(error._tag, "GatewayError")
      if (error._tag !== "GatewayError") return
      assert.strictEqual(error.status, 502)
      assert.include(error.preview, "502 Bad Gateway")
      assert.isAtMost(error.preview.length, 201)
    })
  )

  it.effect("an empty body is a GatewayError, even with HTTP 200", () =>
    Effect.gen(function* () {
      const error = yield* failWith(() => text("", 200))
      assert.strictEqual(error._tag, "GatewayError")
      assert.strictEqual(error.status, 200)
    })
  )

  it.effect("a truncated JSON body is a GatewayError", () =>
    Effect.gen(function* () {
      const error = yield* failWith(() => text(`{"request_id":"r","data":{"items":[{"inc`, 200))
      assert.strictEqual(error._tag, "GatewayError")
    })
  )

  it.effect("a non-JSON 429 is still RateLimited (the request was not processed)", () =>
    Effect.gen(function* () {
      const error = yield* failWith(() => text("Too Many Requests", 429, { "Retry-After": "2" }))
      assert.strictEqual(error._tag, "RateLimited")
    })
  )

  it.effect("a body above maxResponseBytes fails with TransportError BodyTooLarge (declared length)", () =>
    withClient(
      () => ok({ items: [], padding: "x".repeat(2000) }),
      (client) =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(client.call(incidentList, listInput))
          assert.strictEqual(error._tag, "TransportError")
          if (error._tag === "TransportError") assert.strictEqual(error.reason, "BodyTooLarge")
        }),
      { maxResponseBytes: 1000 }
    )
  )

  it.effect("a chunked body whose multi-byte characters straddle chunk boundaries decodes intact", () => {
    const title = "磁盘使用率 > 90% 🚨 ".repeat(40)
    return withClient(
      () => {
        const payload = new TextEncoder().encode(
          JSON.stringify({ request_id: "r", data: { items: [], title } })
        )
        // 7-byte chunks cut through 3-byte CJK characters and the 4-byte emoji.
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            for (let i = 0; i < payload.length; i += 7) controller.enqueue(payload.slice(i, i + 7))
            controller.close()
          }
        })
        return new Response(stream, { status: 200, headers: { "content-type": "application/json" } })
      },
      (client) =>
        Effect.gen(function* () {
          const { data } = yield* client.call(
            Endpoint.make(incidentList.operation, undefined, Schema.Struct({ title: Schema.String })),
            undefined
          )
          assert.strictEqual(data.title, title)
        })
    )
  })

  it.effect("a chunked body above the cap fails too, and a per-call cap overrides the client's", () =>
    withClient(
      () => {
        const payload = new TextEncoder().encode(
          JSON.stringify({ request_id: "r", data: { items: [], pad: "y".repeat(3000) } })
        )
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            for (let i = 0; i < payload.length; i += 500) controller.enqueue(payload.slice(i, i + 500))
            controller.close()
          }
        })
        return new Response(stream, { status: 200, headers: { "content-type": "application/json" } })
      },
      (client) =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(client.call(incidentList, listInput, { maxResponseBytes: 1000 }))
          assert.strictEqual(error._tag === "TransportError" ? error.reason : error._tag, "BodyTooLarge")
          const { data } = yield* client.call(incidentList, listInput)
          assert.deepStrictEqual(data.items, [])
        })
    )
  )
})
