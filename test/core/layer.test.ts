import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer } from "effect"
import { FlashdutyClient } from "../../src/FlashdutyClient.js"
import type { FlashdutyOptions } from "../../src/FlashdutyOptions.js"
import { incidentList } from "./endpoints.js"
import { fakeHttp, ok } from "./fakeHttp.js"
import { SENTINEL_KEY } from "./harness.js"

const buildWith = (options: FlashdutyOptions) => {
  const http = fakeHttp(() => ok({ items: [] }))
  return Effect.gen(function* () {
    const client = yield* FlashdutyClient
    return yield* client.call(incidentList, { start_time: 1, end_time: 2 })
  }).pipe(Effect.provide(FlashdutyClient.layer(options).pipe(Layer.provide(http.layer))), Effect.as(http))
}

describe("layer construction", () => {
  it.effect("no key and no token is a ConfigurationError, and nothing is sent", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(buildWith({}))
      assert.strictEqual(error._tag, "ConfigurationError")
      if (error._tag === "ConfigurationError") assert.strictEqual(error.option, "appKey")
    })
  )

  it.effect("an empty key is a ConfigurationError", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(buildWith({ appKey: "  " }))
      assert.strictEqual(error._tag, "ConfigurationError")
    })
  )

  for (const baseUrl of [
    "not a url",
    "ftp://example.com",
    "https://example.com/?x=1",
    `https://user:${SENTINEL_KEY}@example.com`
  ]) {
    it.effect(`an invalid base URL fails clearly: ${baseUrl.slice(0, 20)}`, () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(buildWith({ appKey: SENTINEL_KEY, baseUrl }))
        assert.strictEqual(error._tag, "ConfigurationError")
        if (error._tag === "ConfigurationError") assert.strictEqual(error.option, "baseUrl")
        assert.notInclude(JSON.stringify(error) + String(error), SENTINEL_KEY)
      })
    )
  }

  it.effect("a non-positive timeout is a ConfigurationError", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(buildWith({ appKey: SENTINEL_KEY, timeout: 0 }))
      assert.strictEqual(error._tag === "ConfigurationError" ? error.option : "", "timeout")
    })
  )

  it.effect("transformClient wraps the HttpClient", () =>
    Effect.gen(function* () {
      let wrapped = 0
      yield* buildWith({
        appKey: SENTINEL_KEY,
        rateLimit: false,
        transformClient: (client) => {
          wrapped++
          return client
        }
      })
      assert.strictEqual(wrapped, 1)
    })
  )
})

describe("layerConfig", () => {
  const run = (env: Record<string, string>) => {
    const http = fakeHttp(() => ok({ items: [] }))
    return Effect.gen(function* () {
      const client = yield* FlashdutyClient
      yield* client.call(incidentList, { start_time: 1, end_time: 2 })
      return http.requests[0]!
    }).pipe(
      Effect.provide(FlashdutyClient.layerConfig.pipe(Layer.provide(http.layer))),
      Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnv({ env })))
    )
  }

  it.effect("reads FLASHDUTY_APP_KEY and FLASHDUTY_BASE_URL", () =>
    Effect.gen(function* () {
      const request = yield* run({
        FLASHDUTY_APP_KEY: SENTINEL_KEY,
        FLASHDUTY_BASE_URL: "https://eu.example.com/api"
      })
      assert.strictEqual(request.url.searchParams.get("app_key"), SENTINEL_KEY)
      assert.strictEqual(request.url.href.split("?")[0], "https://eu.example.com/api/incident/list")
    })
  )

  it.effect("reads FLASHDUTY_ACCESS_TOKEN when there is no app key", () =>
    Effect.gen(function* () {
      const request = yield* run({ FLASHDUTY_ACCESS_TOKEN: "env-token-123" })
      assert.strictEqual(request.headers.authorization, "Bearer env-token-123")
    })
  )

  it.effect("with neither, fails with ConfigurationError", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(run({}))
      assert.strictEqual(error._tag, "ConfigurationError")
    })
  )
})
