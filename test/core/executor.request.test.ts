import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { accountInfo, incidentAck, incidentList, memberInfo } from "./endpoints.js"
import { ok } from "./fakeHttp.js"
import { SENTINEL_KEY, withClient } from "./harness.js"

const listInput = { start_time: 1711900800, end_time: new Date("2024-04-01T19:33:20.900Z"), limit: 20 }

describe("request building", () => {
  it.effect("POST sends the encoded input as a JSON body, Date converted to seconds", () =>
    withClient(
      () => ok({ items: [] }),
      (client, http) =>
        Effect.gen(function* () {
          yield* client.call(incidentList, listInput)
          const [request] = http.requests
          assert.strictEqual(request?.method, "POST")
          assert.strictEqual(request?.url.pathname, "/incident/list")
          assert.strictEqual(request?.contentType, "application/json")
          assert.deepStrictEqual(JSON.parse(request?.body ?? ""), {
            start_time: 1711900800,
            end_time: 1712000000,
            limit: 20
          })
        })
    )
  )

  it.effect("an operation without input sends an empty JSON object", () =>
    withClient(
      () => ok({ account_id: 7 }),
      (client, http) =>
        Effect.gen(function* () {
          const { data } = yield* client.call(accountInfo, undefined)
          assert.strictEqual(data.account_id, 7)
          assert.strictEqual(http.requests[0]?.body, "{}")
        })
    )
  )

  it.effect("GET sends query parameters: arrays repeated, absent and null values omitted", () =>
    withClient(
      () => ok({ member_id: 1, name: "ada" }),
      (client, http) =>
        Effect.gen(function* () {
          yield* client.call(memberInfo, {
            member_id: 42,
            emails: ["a@x.io", "b@x.io"],
            name: undefined,
            team: null
          })
          const url = http.requests[0]!.url
          assert.strictEqual(http.requests[0]?.method, "GET")
          assert.strictEqual(http.requests[0]?.body, "")
          assert.deepStrictEqual(url.searchParams.getAll("emails"), ["a@x.io", "b@x.io"])
          assert.strictEqual(url.searchParams.get("member_id"), "42")
          assert.isFalse(url.searchParams.has("name"))
          assert.isFalse(url.searchParams.has("team"))
          assert.strictEqual(url.searchParams.get("app_key"), SENTINEL_KEY)
        })
    )
  )

  it.effect("the app key goes in the app_key query parameter, with Accept and User-Agent", () =>
    withClient(
      () => ok({ items: [] }),
      (client, http) =>
        Effect.gen(function* () {
          yield* client.call(incidentList, listInput)
          const request = http.requests[0]!
          assert.strictEqual(request.url.searchParams.get("app_key"), SENTINEL_KEY)
          assert.strictEqual(request.headers.accept, "application/json")
          assert.match(request.headers["user-agent"] ?? "", /^effect-flashduty\/\d+\.\d+\.\d+/)
          assert.isUndefined(request.headers.authorization)
        })
    )
  )

  it.effect("an access token is sent as a bearer header instead of app_key", () =>
    withClient(
      () => ok({ items: [] }),
      (client, http) =>
        Effect.gen(function* () {
          yield* client.call(incidentList, listInput)
          assert.strictEqual(http.requests[0]?.headers.authorization, "Bearer tok-123456")
          assert.isFalse(http.requests[0]!.url.searchParams.has("app_key"))
        }),
      { appKey: undefined, accessToken: Redacted.make("tok-123456") } as never
    )
  )

  it.effect("an access token Effect is evaluated per request, so it can be refreshed", () => {
    let n = 0
    const token = Effect.sync(() => `token-number-${++n}`)
    return withClient(
      () => ok({ items: [] }),
      (client, http) =>
        Effect.gen(function* () {
          yield* client.call(incidentList, listInput)
          yield* client.call(incidentList, listInput)
          assert.deepStrictEqual(
            http.requests.map((r) => r.headers.authorization),
            ["Bearer token-number-1", "Bearer token-number-2"]
          )
        }),
      { appKey: undefined, accessToken: token } as never
    )
  })

  it.effect("a failing token Effect fails the call with Unauthorized and sends nothing", () =>
    withClient(
      () => ok({ items: [] }),
      (client, http) =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(client.call(incidentList, listInput))
          assert.strictEqual(error._tag, "Unauthorized")
          assert.strictEqual(http.requests.length, 0)
        }),
      { appKey: undefined, accessToken: Effect.fail("refresh failed") } as never
    )
  )

  it.effect("static headers apply after the SDK's own, per-call headers after those", () =>
    withClient(
      () => ok({ items: [] }),
      (client, http) =>
        Effect.gen(function* () {
          yield* client.call(incidentList, listInput, {
            headers: { "X-Call": "c", "X-Static": "overridden" }
          })
          const headers = http.requests[0]!.headers
          assert.strictEqual(headers["user-agent"], "custom-agent")
          assert.strictEqual(headers["x-static"], "overridden")
          assert.strictEqual(headers["x-call"], "c")
          assert.strictEqual(headers["accept-language"], "en-US")
        }),
      { headers: { "X-Static": "s", "User-Agent": "custom-agent", "Accept-Language": "en-US" } }
    )
  )

  it.effect("a base URL path prefix is kept", () =>
    withClient(
      () => ok({ items: [] }),
      (client, http) =>
        Effect.gen(function* () {
          yield* client.call(incidentList, listInput)
          assert.strictEqual(http.requests[0]?.url.origin, "https://proxy.example.com")
          assert.strictEqual(http.requests[0]?.url.pathname, "/flashduty/v1/incident/list")
        }),
      { baseUrl: "https://proxy.example.com/flashduty/v1/" }
    )
  )

  it.effect("the default base URL is the public API", () =>
    withClient(
      () => ok({ items: [] }),
      (client, http) =>
        Effect.gen(function* () {
          yield* client.call(incidentList, listInput)
          assert.strictEqual(http.requests[0]?.url.origin, "https://api.flashcat.cloud")
        })
    )
  )

  it.effect("an invalid input fails with InvalidParameter and its path before anything is sent", () =>
    withClient(
      () => ok({}),
      (client, http) =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(
            client.call(incidentAck, { incident_ids: ["a", 3 as unknown as string] })
          )
          assert.strictEqual(error._tag, "InvalidParameter")
          assert.strictEqual(error._tag === "InvalidParameter" ? error.path : "", "incident_ids.1")
          assert.isUndefined(error.status)
          assert.strictEqual(http.requests.length, 0)
        })
    )
  )

  it.effect("a time field rejects what is neither a number, a Date nor a DateTime", () =>
    withClient(
      () => ok({ items: [] }),
      (client, http) =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(
            client.call(incidentList, { ...listInput, start_time: "yesterday" as unknown as number })
          )
          assert.strictEqual(error._tag, "InvalidParameter")
          assert.strictEqual(error._tag === "InvalidParameter" ? error.path : "", "start_time")
          assert.strictEqual(http.requests.length, 0)
        })
    )
  )
})
