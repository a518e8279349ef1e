/**
 * Validates `FlashdutyOptions` once, at layer construction, into what the executor needs.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as HttpClient from "effect/http/HttpClient"
import * as Redacted from "effect/Redacted"
import {
  ConfigurationError,
  defaultBaseUrl,
  type FlashdutyOptions,
  type SecretInput
} from "../FlashdutyOptions.js"
import type { RateLimitOptions } from "../RateLimit.js"
import { defaultPolicy, type RetryPolicy } from "../Retry.js"
import { version } from "../version.js"
import { defaultMaxResponseBytes } from "./readBody.js"

export type Credentials =
  | { readonly _tag: "AppKey"; readonly appKey: Redacted.Redacted<string> }
  | { readonly _tag: "StaticToken"; readonly token: Redacted.Redacted<string> }
  | { readonly _tag: "TokenEffect"; readonly token: Effect.Effect<SecretInput, unknown> }

export interface ResolvedConfig {
  /** Without trailing slash; operation paths are appended. */
  readonly baseUrl: string
  readonly credentials: Credentials
  readonly timeout: Duration.Duration
  readonly userAgent: string
  readonly headers: Readonly<Record<string, string>>
  readonly transformClient: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
  readonly retry: RetryPolicy | false
  readonly rateLimit: RateLimitOptions | false | undefined
  readonly maxResponseBytes: number
}

const toRedacted = (secret: SecretInput): Redacted.Redacted<string> =>
  Redacted.isRedacted(secret) ? secret : Redacted.make(secret)

const fail = (option: string, message: string) => Effect.fail(new ConfigurationError({ option, message }))

/** A copy of a header record with lower-cased names (HTTP names are case-insensitive). */
export const lowerCaseKeys = (
  record: Readonly<Record<string, string>> | undefined
): Record<string, string> => {
  const out: Record<string, string> = {}
  if (record !== undefined) for (const [key, value] of Object.entries(record)) out[key.toLowerCase()] = value
  return out
}

/** Checks the options; every failure names the option at fault and never echoes a secret. */
export const resolveConfig = (options: FlashdutyOptions): Effect.Effect<ResolvedConfig, ConfigurationError> =>
  Effect.suspend(() => {
    let credentials: Credentials
    if (options.accessToken !== undefined) {
      const token = options.accessToken
      if (Effect.isEffect(token)) {
        credentials = { _tag: "TokenEffect", token }
      } else {
        const redacted = toRedacted(token)
        if (Redacted.value(redacted).trim() === "") return fail("accessToken", "accessToken is empty")
        credentials = { _tag: "StaticToken", token: redacted }
      }
    } else if (options.appKey !== undefined) {
      const appKey = toRedacted(options.appKey)
      if (Redacted.value(appKey).trim() === "") return fail("appKey", "appKey is empty")
      credentials = { _tag: "AppKey", appKey }
    } else {
      return fail(
        "appKey",
        "no credentials: set appKey (FLASHDUTY_APP_KEY) or accessToken (FLASHDUTY_ACCESS_TOKEN)"
      )
    }

    const rawBaseUrl = String(options.baseUrl ?? defaultBaseUrl)
    let url: URL
    try {
      url = new URL(rawBaseUrl)
    } catch {
      return fail("baseUrl", `baseUrl is not a valid URL: ${JSON.stringify(rawBaseUrl.slice(0, 100))}`)
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      return fail("baseUrl", `baseUrl must be http(s), got ${url.protocol}`)
    }
    if (url.search !== "" || url.hash !== "") {
      return fail("baseUrl", "baseUrl must not have a query string or fragment")
    }
    if (url.username !== "" || url.password !== "") {
      return fail("baseUrl", "baseUrl must not embed credentials")
    }

    const timeout = Duration.fromInput(options.timeout ?? "30 seconds")
    if (timeout._tag === "None" || !Duration.isGreaterThan(timeout.value, Duration.zero)) {
      return fail("timeout", "timeout must be a positive duration")
    }
    const maxResponseBytes = options.maxResponseBytes ?? defaultMaxResponseBytes
    if (!(maxResponseBytes > 0)) return fail("maxResponseBytes", "maxResponseBytes must be positive")
    if (options.rateLimit) {
      for (const key of ["perSecond", "perMinute"] as const) {
        const value = options.rateLimit[key]
        if (value !== undefined && !(value > 0))
          return fail(`rateLimit.${key}`, `rateLimit.${key} must be positive`)
      }
    }

    return Effect.succeed({
      baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, "")}`,
      credentials,
      timeout: timeout.value,
      userAgent: options.userAgent ?? `effect-flashduty/${version}`,
      headers: lowerCaseKeys(options.headers),
      transformClient: options.transformClient,
      retry: options.retry ?? defaultPolicy,
      rateLimit: options.rateLimit,
      maxResponseBytes
    })
  })
