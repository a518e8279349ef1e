/**
 * The client's options read through Effect's `Config`: `FlashdutyClient.layerConfig(config)` and
 * `Flashduty.layerConfig(config)`. Each option that is a value from the environment (credentials,
 * base URL, timeout, user agent, size cap) is a `Config` to read it from; each defaults to a
 * `FLASHDUTY_*` variable. The other options (retry policy, rate limit, hooks) are plain values,
 * as in {@link FlashdutyOptions}.
 *
 * | option | default `Config` | |
 * | --- | --- | --- |
 * | `appKey` | `FLASHDUTY_APP_KEY` (`Redacted`) | one of the two credentials is needed; giving |
 * | `accessToken` | `FLASHDUTY_ACCESS_TOKEN` (`Redacted`) | either replaces both defaults; the token counts only without an app key |
 * | `baseUrl` | `FLASHDUTY_BASE_URL` | default `https://api.flashcat.cloud` |
 * | `timeout` | `FLASHDUTY_TIMEOUT` (a duration: `10 seconds`, `500 millis`) | default 30 s |
 * | `userAgent` | `FLASHDUTY_USER_AGENT` | default `effect-flashduty/<version>` |
 * | `maxResponseBytes` | `FLASHDUTY_MAX_RESPONSE_BYTES` (an integer) | default 10 MiB |
 *
 * A default variable that is unset leaves the option unset; a `Config` given here is read as
 * it is (a missing required one is a `ConfigError`; use `Config.withDefault` or
 * `Config.option` to make it optional). Values are then checked like any options
 * (`ConfigurationError` naming the option).
 *
 * @example
 * ```ts
 * import { Config, Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { Flashduty, Retry } from "effect-flashduty"
 *
 * const live = Flashduty.layerConfig({
 *   appKey: Config.Redacted("ONCALL_FLASHDUTY_KEY"),
 *   timeout: Config.Duration("ONCALL_TIMEOUT").pipe(Config.withDefault("10 seconds")),
 *   retry: Retry.backoff({ maxRetries: 5 })
 * }).pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 */
import * as Config from "effect/Config"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import { ConfigurationError, type FlashdutyOptions } from "./FlashdutyOptions.js"

/** A `Config` of `A`, or of an optional `A` (`Config.option`). */
export type ConfigOf<A> = Config.Config<A> | Config.Config<Option.Option<A>>

/** The options of {@link FlashdutyOptions}, those read from the environment as `Config`s. */
export interface FlashdutyConfig
  extends Omit<
    FlashdutyOptions,
    "appKey" | "accessToken" | "baseUrl" | "timeout" | "userAgent" | "maxResponseBytes"
  > {
  /** Default: `FLASHDUTY_APP_KEY`, if set. */
  readonly appKey?: ConfigOf<Redacted.Redacted<string>>
  /** Default: `FLASHDUTY_ACCESS_TOKEN`, if set and there is no app key. */
  readonly accessToken?: ConfigOf<Redacted.Redacted<string>>
  /** Default: `FLASHDUTY_BASE_URL`, if set. */
  readonly baseUrl?: ConfigOf<string | URL>
  /** Default: `FLASHDUTY_TIMEOUT` (a duration such as `10 seconds`), if set. */
  readonly timeout?: ConfigOf<Duration.Input>
  /** Default: `FLASHDUTY_USER_AGENT`, if set. */
  readonly userAgent?: ConfigOf<string>
  /** Default: `FLASHDUTY_MAX_RESPONSE_BYTES` (an integer), if set. */
  readonly maxResponseBytes?: ConfigOf<number>
}

/** The `FLASHDUTY_*` variable each option reads by default. */
export const defaultConfig = {
  appKey: Config.option(Config.Redacted("FLASHDUTY_APP_KEY")),
  accessToken: Config.option(Config.Redacted("FLASHDUTY_ACCESS_TOKEN")),
  baseUrl: Config.option(Config.String("FLASHDUTY_BASE_URL")),
  timeout: Config.option(Config.Duration("FLASHDUTY_TIMEOUT")),
  userAgent: Config.option(Config.String("FLASHDUTY_USER_AGENT")),
  maxResponseBytes: Config.option(Config.Int("FLASHDUTY_MAX_RESPONSE_BYTES"))
} as const

const read = <A>(
  option: string,
  config: ConfigOf<A>
): Effect.Effect<A | undefined, Config.ConfigError | ConfigurationError> =>
  Effect.map(config as Config.Config<A | Option.Option<A>>, (value) =>
    Option.isOption(value) ? Option.getOrUndefined(value as Option.Option<A>) : (value as A)
  ).pipe(
    // A provider that throws (Deno without `--allow-env` for every variable: reading the
    // environment is refused) is the configuration's error, not a crash.
    Effect.catchDefect((defect) =>
      Effect.fail(
        new ConfigurationError({
          option,
          message: `${option} could not be read from the configuration: ${
            defect instanceof Error ? `${defect.name}: ${defect.message}` : "the provider threw"
          }`.slice(0, 300)
        })
      )
    )
  )

/** The options `config` describes, read from the current `ConfigProvider`. */
export const readConfig = (
  config: FlashdutyConfig = {}
): Effect.Effect<FlashdutyOptions, Config.ConfigError | ConfigurationError> =>
  Effect.gen(function* () {
    const { appKey, accessToken, baseUrl, timeout, userAgent, maxResponseBytes, ...plain } = config
    // A credential given explicitly replaces both defaults: the other variable is not read.
    const explicit = appKey !== undefined || accessToken !== undefined
    const values = {
      appKey: yield* read("appKey", appKey ?? (explicit ? Config.succeed(undefined) : defaultConfig.appKey)),
      accessToken: yield* read(
        "accessToken",
        accessToken ?? (explicit ? Config.succeed(undefined) : defaultConfig.accessToken)
      ),
      baseUrl: yield* read("baseUrl", baseUrl ?? defaultConfig.baseUrl),
      timeout: yield* read("timeout", timeout ?? defaultConfig.timeout),
      userAgent: yield* read("userAgent", userAgent ?? defaultConfig.userAgent),
      maxResponseBytes: yield* read("maxResponseBytes", maxResponseBytes ?? defaultConfig.maxResponseBytes)
    }
    // An access token counts only without an app key, as with the variables alone.
    const credentials =
      values.appKey !== undefined
        ? { appKey: values.appKey }
        : values.accessToken !== undefined
          ? { accessToken: values.accessToken }
          : {}
    return {
      ...plain,
      ...credentials,
      ...(values.baseUrl === undefined ? {} : { baseUrl: values.baseUrl }),
      ...(values.timeout === undefined ? {} : { timeout: values.timeout }),
      ...(values.userAgent === undefined ? {} : { userAgent: values.userAgent }),
      ...(values.maxResponseBytes === undefined ? {} : { maxResponseBytes: values.maxResponseBytes })
    }
  })
