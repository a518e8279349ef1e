import { assert, describe, it } from "@effect/vitest"
import { Config, ConfigProvider, Duration, Effect, Layer, Redacted, Schedule } from "effect"
import { FlashdutyClient } from "../../src/FlashdutyClient.js"
import type { FlashdutyConfig } from "../../src/FlashdutyConfig.js"
import type { FlashdutyOptions } from "../../src/FlashdutyOptions.js"
import { incidentList } from "./endpoints.js"
import { fakeHttp, ok } from "./fakeHttp.js"
import { SENTINEL_KEY } from "./harness.js"

/** Builds the layer with `options` (untyped, as plain JS may pass them) and returns its ConfigurationError. */
const configurationError = (options: Record<string, unknown>) =>
  Effect.gen(function* () {
    const http = fakeHttp(() => ok({ items: [] }))
    const exit = yield* Effect.exit(buildWith(options as FlashdutyOptions))
    assert.strictEqual(exit._tag, "Failure", "the layer was built")
    const error = yield* Effect.flip(buildWith(options as FlashdutyOptions))
    assert.strictEqual(error._tag, "ConfigurationError", `not a ConfigurationError: ${String(error)}`)
    assert.strictEqual(http.requests.length, 0)
    return error as import("../../src/FlashdutyOptions.js").ConfigurationError
  })

/** Asserts `options` fail the layer with a ConfigurationError on `option` whose message matches `why`. */
const assertConfigurationError = (options: Record<string, unknown>, option: string, why: RegExp) =>
  Effect.gen(function* () {
    const error = yield* configurationError(options)
    assert.strictEqual(error.option, option)
    assert.match(error.message, why)
    assert.notInclude(JSON.stringify(error) + String(error), SENTINEL_KEY)
    return error
  })

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

  describe("credentials", () => {
    it.effect("Redacted.make(process.env.UNSET!) as appKey is a ConfigurationError, not a TypeError", () =>
      assertConfigurationError(
        { appKey: Redacted.make(process.env.EFFECT_FLASHDUTY_SURELY_UNSET as string) },
        "appKey",
        /appKey is not set \(the value is undefined: is the environment variable set\?\)/
      )
    )

    it.effect("Redacted.make(undefined) as accessToken is a ConfigurationError", () =>
      assertConfigurationError(
        { accessToken: Redacted.make(undefined as unknown as string) },
        "accessToken",
        /accessToken is not set \(the value is undefined/
      )
    )

    it.effect("an empty or blank token is a ConfigurationError", () =>
      Effect.gen(function* () {
        yield* assertConfigurationError({ accessToken: "" }, "accessToken", /empty/)
        yield* assertConfigurationError({ accessToken: Redacted.make(" ") }, "accessToken", /empty/)
        yield* assertConfigurationError({ appKey: Redacted.make("") }, "appKey", /empty/)
      })
    )

    for (const [label, value] of [
      ["a number", 12345],
      ["null", null],
      ["an object", { key: SENTINEL_KEY }],
      ["a Redacted number", Redacted.make(42 as unknown as string)]
    ] as const) {
      it.effect(`${label} as appKey or accessToken is a ConfigurationError`, () =>
        Effect.gen(function* () {
          yield* assertConfigurationError({ appKey: value }, "appKey", /appKey must be/)
          yield* assertConfigurationError({ accessToken: value }, "accessToken", /accessToken must be/)
        })
      )
    }

    it.effect("a control character in a key (a trailing newline from a file) is refused, not echoed", () =>
      Effect.gen(function* () {
        yield* assertConfigurationError({ appKey: `${SENTINEL_KEY}\n` }, "appKey", /control character/)
        yield* assertConfigurationError(
          { accessToken: Redacted.make(`${SENTINEL_KEY}\r\n`) },
          "accessToken",
          /control character/
        )
      })
    )

    it.effect("with both, accessToken takes precedence, and appKey is still checked", () =>
      Effect.gen(function* () {
        const http = yield* buildWith({ appKey: SENTINEL_KEY, accessToken: "tok-both", rateLimit: false })
        assert.strictEqual(http.requests[0]?.headers.authorization, "Bearer tok-both")
        yield* assertConfigurationError(
          { appKey: Redacted.make(undefined as unknown as string), accessToken: "tok-both" },
          "appKey",
          /not set/
        )
      })
    )

    it.effect("an accessToken Effect is accepted", () =>
      Effect.gen(function* () {
        const http = yield* buildWith({ accessToken: Effect.succeed("tok-effect"), rateLimit: false })
        assert.strictEqual(http.requests[0]?.headers.authorization, "Bearer tok-effect")
      })
    )
  })

  it.effect("a baseUrl that is neither a string nor a URL is a ConfigurationError", () =>
    Effect.gen(function* () {
      yield* assertConfigurationError({ appKey: SENTINEL_KEY, baseUrl: 42 }, "baseUrl", /string or a URL/)
      yield* assertConfigurationError(
        { appKey: SENTINEL_KEY, baseUrl: Object.create(null) },
        "baseUrl",
        /string or a URL/
      )
    })
  )

  describe("timeout", () => {
    it.effect('"soon" is a ConfigurationError that echoes the value', () =>
      assertConfigurationError({ appKey: SENTINEL_KEY, timeout: "soon" }, "timeout", /"soon"/)
    )

    for (const [label, timeout] of [
      ["NaN", Number.NaN],
      ["-1", -1],
      ["0n", 0n],
      ["-Infinity", "-Infinity"],
      ["{}", {}]
    ] as const) {
      it.effect(`${label} is a ConfigurationError`, () =>
        assertConfigurationError({ appKey: SENTINEL_KEY, timeout }, "timeout", /positive/)
      )
    }

    for (const timeout of [Number.POSITIVE_INFINITY, "Infinity", Duration.infinity]) {
      it.effect(`${String(timeout)} is refused, with how to get a very long timeout`, () =>
        assertConfigurationError({ appKey: SENTINEL_KEY, timeout }, "timeout", /finite.*"1 day"/)
      )
    }

    for (const timeout of [true, null, Symbol("t")]) {
      it.effect(`${String(timeout)} is a ConfigurationError, not a defect`, () =>
        assertConfigurationError({ appKey: SENTINEL_KEY, timeout }, "timeout", /duration/)
      )
    }

    it.effect("a very long finite timeout is accepted", () =>
      Effect.asVoid(buildWith({ appKey: SENTINEL_KEY, timeout: "30 days", rateLimit: false }))
    )
  })

  describe("userAgent and headers", () => {
    it.effect("CR/LF in userAgent is a ConfigurationError, not a retried Network error", () =>
      assertConfigurationError(
        { appKey: SENTINEL_KEY, userAgent: "me\r\nx-injected: 1" },
        "userAgent",
        /control/
      )
    )

    it.effect("a non-string userAgent is a ConfigurationError", () =>
      assertConfigurationError({ appKey: SENTINEL_KEY, userAgent: 7 }, "userAgent", /string/)
    )

    for (const [label, headers, why] of [
      ["CR/LF in a value", { "x-a": "a\r\nb" }, /control character/],
      ["NUL in a value", { "x-a": "a\u0000b" }, /control character/],
      ["an invalid name", { "x a": "1" }, /not a valid header name/],
      ["a non-string value", { "x-a": 1 }, /must map each name to a string/],
      ["a Map", new Map([["x-a", "1"]]), /record/],
      ["authorization", { Authorization: "Bearer x" }, /authorization.*transformClient/],
      ["content-length", { "content-length": "1" }, /HTTP client/]
    ] as const) {
      it.effect(`headers with ${label} is a ConfigurationError`, () =>
        assertConfigurationError({ appKey: SENTINEL_KEY, headers }, "headers", why)
      )
    }

    it.effect("a refused header value is never echoed", () =>
      Effect.gen(function* () {
        const error = yield* configurationError({
          appKey: SENTINEL_KEY,
          headers: { "x-k": `${SENTINEL_KEY}\n` }
        })
        assert.notInclude(error.message, SENTINEL_KEY)
      })
    )

    it.effect("valid headers and userAgent are sent, names lower-cased", () =>
      Effect.gen(function* () {
        const http = yield* buildWith({
          appKey: SENTINEL_KEY,
          rateLimit: false,
          userAgent: "my-app/1.0 (café)",
          headers: { "X-Team": "ops" }
        })
        assert.strictEqual(http.requests[0]?.headers["user-agent"], "my-app/1.0 (café)")
        assert.strictEqual(http.requests[0]?.headers["x-team"], "ops")
      })
    )
  })

  describe("maxResponseBytes", () => {
    for (const value of [Number.NaN, 0, -1, 1.5, Number.POSITIVE_INFINITY, "1024"]) {
      it.effect(`${String(value)} is a ConfigurationError (never a disabled cap)`, () =>
        assertConfigurationError(
          { appKey: SENTINEL_KEY, maxResponseBytes: value },
          "maxResponseBytes",
          /positive whole number/
        )
      )
    }
  })

  describe("retry", () => {
    for (const retry of [true, null, 3, { times: 3 }]) {
      it.effect(`${JSON.stringify(retry)} is a ConfigurationError`, () =>
        assertConfigurationError({ appKey: SENTINEL_KEY, retry }, "retry", /Schedule.*false/)
      )
    }

    it.effect("false and any Schedule are accepted", () =>
      Effect.gen(function* () {
        yield* buildWith({ appKey: SENTINEL_KEY, rateLimit: false, retry: false })
        yield* buildWith({ appKey: SENTINEL_KEY, rateLimit: false, retry: Schedule.recurs(1) })
      })
    )
  })

  describe("rateLimit", () => {
    it.effect("perSecond: Infinity is refused, pointing at rateLimit: false", () =>
      assertConfigurationError(
        { appKey: SENTINEL_KEY, rateLimit: { perSecond: Number.POSITIVE_INFINITY } },
        "rateLimit.perSecond",
        /rateLimit: false/
      )
    )

    for (const [key, value] of [
      ["perSecond", 0.5],
      ["perMinute", 2.5],
      ["perSecond", Number.NaN],
      ["perMinute", 0],
      ["perSecond", -3],
      ["perMinute", "100"]
    ] as const) {
      it.effect(`${key}: ${String(value)} is refused`, () =>
        assertConfigurationError(
          { appKey: SENTINEL_KEY, rateLimit: { [key]: value } },
          `rateLimit.${key}`,
          /positive whole number/
        )
      )
    }

    it.effect("perOperation must be a boolean", () =>
      assertConfigurationError(
        { appKey: SENTINEL_KEY, rateLimit: { perOperation: "no" } },
        "rateLimit.perOperation",
        /boolean/
      )
    )

    for (const rateLimit of [true, null, 50]) {
      it.effect(`rateLimit: ${String(rateLimit)} is refused`, () =>
        assertConfigurationError({ appKey: SENTINEL_KEY, rateLimit }, "rateLimit", /object.*false/)
      )
    }

    it.effect("a very high limit is accepted (the limiter does not allocate it up front)", () =>
      Effect.asVoid(
        buildWith({ appKey: SENTINEL_KEY, rateLimit: { perSecond: 50_000_000, perMinute: 50_000_000 } })
      )
    )
  })

  it.effect("a transformClient that is not a function is a ConfigurationError", () =>
    assertConfigurationError({ appKey: SENTINEL_KEY, transformClient: "yes" }, "transformClient", /function/)
  )

  it.effect("a transformClient that throws, or returns no HttpClient, is a ConfigurationError", () =>
    Effect.gen(function* () {
      yield* assertConfigurationError(
        {
          appKey: SENTINEL_KEY,
          transformClient: () => {
            throw new Error("no proxy configured")
          }
        },
        "transformClient",
        /threw: no proxy configured/
      )
      yield* assertConfigurationError(
        { appKey: SENTINEL_KEY, transformClient: () => undefined },
        "transformClient",
        /must return an HttpClient/
      )
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
  const run = (env: Record<string, string>, config?: FlashdutyConfig) => {
    const http = fakeHttp(() => ok({ items: [] }))
    return Effect.gen(function* () {
      const client = yield* FlashdutyClient
      yield* client.call(incidentList, { start_time: 1, end_time: 2 })
      return http.requests[0]!
    }).pipe(
      Effect.provide(FlashdutyClient.layerConfig(config).pipe(Layer.provide(http.layer))),
      Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnv({ env })))
    )
  }

  it.effect("reads FLASHDUTY_TIMEOUT, FLASHDUTY_USER_AGENT and FLASHDUTY_MAX_RESPONSE_BYTES", () =>
    Effect.gen(function* () {
      const request = yield* run({
        FLASHDUTY_APP_KEY: SENTINEL_KEY,
        FLASHDUTY_USER_AGENT: "oncall-bot/2",
        FLASHDUTY_TIMEOUT: "5 seconds",
        FLASHDUTY_MAX_RESPONSE_BYTES: "1048576"
      })
      assert.strictEqual(request.headers["user-agent"], "oncall-bot/2")
      // Invalid values are the options' ConfigurationError (or the Config's own error).
      const badTimeout = yield* Effect.flip(
        run({ FLASHDUTY_APP_KEY: SENTINEL_KEY, FLASHDUTY_TIMEOUT: "0 seconds" })
      )
      assert.strictEqual(badTimeout._tag, "ConfigurationError")
      const notANumber = yield* Effect.flip(
        run({ FLASHDUTY_APP_KEY: SENTINEL_KEY, FLASHDUTY_MAX_RESPONSE_BYTES: "lots" })
      )
      assert.notStrictEqual(notANumber._tag, "ConfigurationError" as never)
      assert.notInclude(String(notANumber), SENTINEL_KEY)
    })
  )

  it.effect("takes a Config for each option, and plain values for the rest", () =>
    Effect.gen(function* () {
      const request = yield* run(
        {
          ONCALL_KEY: SENTINEL_KEY,
          ONCALL_URL: "https://proxy.example.com/fd",
          FLASHDUTY_APP_KEY: "not-this-one"
        },
        {
          appKey: Config.Redacted("ONCALL_KEY"),
          baseUrl: Config.String("ONCALL_URL"),
          userAgent: Config.option(Config.String("ONCALL_AGENT")),
          headers: { "x-team": "sre" }
        }
      )
      assert.strictEqual(request.url.searchParams.get("app_key"), SENTINEL_KEY)
      assert.strictEqual(request.url.href.split("?")[0], "https://proxy.example.com/fd/incident/list")
      assert.strictEqual(request.headers["x-team"], "sre")
      // A required Config that is missing is a ConfigError, not a request without credentials.
      const missing = yield* Effect.flip(run({}, { appKey: Config.Redacted("ONCALL_KEY") }))
      assert.notStrictEqual(missing._tag, "ConfigurationError" as never)
    })
  )

  it.effect(
    "an environment that refuses to be read (Deno without --allow-env) is a ConfigurationError, not a crash",
    () =>
      Effect.gen(function* () {
        // What the default provider does there: reading the environment throws.
        const refusing = ConfigProvider.make(() => {
          throw new Error("NotCapable: Requires env access")
        })
        const http = fakeHttp(() => ok({ items: [] }))
        const error = yield* Effect.flip(
          Effect.provide(
            Effect.service(FlashdutyClient),
            FlashdutyClient.layerConfig().pipe(Layer.provide(http.layer))
          ).pipe(Effect.provide(ConfigProvider.layer(refusing)))
        )
        assert.strictEqual(error._tag, "ConfigurationError")
        assert.include(error.message, "NotCapable")
      })
  )

  it.effect("an explicit access token replaces both credential variables", () =>
    Effect.gen(function* () {
      const request = yield* run(
        { FLASHDUTY_APP_KEY: SENTINEL_KEY, BOT_TOKEN: "bot-token-1" },
        { accessToken: Config.Redacted("BOT_TOKEN") }
      )
      assert.strictEqual(request.headers.authorization, "Bearer bot-token-1")
      assert.isNull(request.url.searchParams.get("app_key"))
    })
  )

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
