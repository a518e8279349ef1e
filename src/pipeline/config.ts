/**
 * Validates `FlashdutyOptions` once, at layer construction, into what the executor needs.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as HttpClient from "effect/http/HttpClient"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import {
  ConfigurationError,
  defaultBaseUrl,
  type FlashdutyOptions,
  type SecretInput
} from "../FlashdutyOptions.js"
import type { RateLimitOptions } from "../RateLimit.js"
import { defaultPolicy, type RetryPolicy } from "../Retry.js"
import { version } from "../version.js"
import type { CircuitBreakerPolicy } from "./breakerPolicy.js"
import {
  booleanRule,
  byteCapRule,
  circuitBreakerRule,
  controlCharacterAt,
  describeValue,
  guarded,
  headersRule,
  headerValueProblem,
  rateLimitRule,
  retryRule,
  timeoutRule,
  userAgentRule,
  type Verdict
} from "./optionRules.js"
import { defaultMaxResponseBytes } from "./readBody.js"

const defaultTimeout = Duration.seconds(30)

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
  /** Whether writes marked idempotent are retried like reads. */
  readonly retryIdempotentWrites: boolean
  readonly traceContext: boolean
  readonly circuitBreaker: CircuitBreakerPolicy | undefined
  readonly rateLimit: RateLimitOptions | false | undefined
  readonly maxResponseBytes: number
}

const fail = (option: string, message: string) => Effect.fail(new ConfigurationError({ option, message }))

/**
 * A static credential: a non-empty string, given as is or in a `Redacted`. Never echoed:
 * messages say what is wrong with it, not what it is. `Redacted.make(process.env.X!)` with
 * the variable unset holds `undefined`, which is named as such.
 */
const secretRule =
  (option: "appKey" | "accessToken") =>
  (value: unknown): Verdict<Redacted.Redacted<string>> => {
    const inner = Redacted.isRedacted(value) ? Redacted.value(value) : value
    if (inner === undefined) {
      return Result.fail("is not set (the value is undefined: is the environment variable set?)")
    }
    if (typeof inner !== "string") {
      const expected =
        option === "accessToken"
          ? "a string, a Redacted string or an Effect"
          : "a string or a Redacted string"
      const kind = inner === null ? "null" : typeof inner
      return Result.fail(
        `must be ${expected}, got ${Redacted.isRedacted(value) ? `a Redacted ${kind}` : kind}`
      )
    }
    if (inner.trim() === "") return Result.fail("is empty")
    if (controlCharacterAt(inner) !== -1) {
      return Result.fail(
        "has a control character (a trailing newline read from a file?); the value is not shown"
      )
    }
    // A token is a header value (`Authorization: Bearer …`), which cannot carry more than
    // Latin-1; an app key travels in the query string, percent-encoded, so anything goes there.
    if (option === "accessToken" && headerValueProblem(inner) !== undefined) {
      return Result.fail(
        "has a character beyond Latin-1, which an Authorization header cannot carry; the value is not shown"
      )
    }
    return Result.succeed(
      Redacted.isRedacted(value) ? (value as Redacted.Redacted<string>) : Redacted.make(inner)
    )
  }

/**
 * Checks the options, every one of them, once; every failure names the option at fault and
 * never echoes a secret. The rules are those of a call's options (`callOptions.ts`).
 */
export const resolveConfig = (options: FlashdutyOptions): Effect.Effect<ResolvedConfig, ConfigurationError> =>
  Effect.suspend(() => {
    if (typeof options !== "object" || options === null) {
      return fail("options", `options must be an object, got ${describeValue(options)}`)
    }
    const raw = options as { readonly [K in keyof FlashdutyOptions]?: unknown }
    /** The checked value of `option` (`undefined` when absent), or its ConfigurationError. */
    const check = <A>(
      option: keyof FlashdutyOptions,
      rule: (value: unknown) => Verdict<A>
    ): Result.Result<A | undefined, ConfigurationError> => {
      const verdict = guarded(
        () => raw[option],
        (value) => (value === undefined ? Result.succeed(undefined) : rule(value))
      )
      return Result.isSuccess(verdict)
        ? Result.succeed(verdict.success)
        : Result.fail(new ConfigurationError({ option, message: `${option} ${verdict.failure}` }))
    }

    // Credentials: with both, the token takes precedence (the key is still checked).
    const appKey = check("appKey", secretRule("appKey"))
    if (Result.isFailure(appKey)) return Effect.fail(appKey.failure)
    const rawToken = raw.accessToken
    let credentials: Credentials
    if (Effect.isEffect(rawToken)) {
      credentials = { _tag: "TokenEffect", token: rawToken as Effect.Effect<SecretInput, unknown> }
    } else {
      const token = check("accessToken", secretRule("accessToken"))
      if (Result.isFailure(token)) return Effect.fail(token.failure)
      if (token.success !== undefined) credentials = { _tag: "StaticToken", token: token.success }
      else if (appKey.success !== undefined) credentials = { _tag: "AppKey", appKey: appKey.success }
      else {
        return fail(
          "appKey",
          "no credentials: set appKey (FLASHDUTY_APP_KEY) or accessToken (FLASHDUTY_ACCESS_TOKEN)"
        )
      }
    }

    const baseUrlInput = guarded(
      () => raw.baseUrl,
      (value) =>
        value === undefined
          ? Result.succeed(defaultBaseUrl)
          : typeof value === "string"
            ? Result.succeed(value)
            : value instanceof URL
              ? Result.succeed(value.href)
              : Result.fail(`must be a string or a URL, got ${describeValue(value)}`)
    )
    if (Result.isFailure(baseUrlInput)) return fail("baseUrl", `baseUrl ${baseUrlInput.failure}`)
    const rawBaseUrl = baseUrlInput.success
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

    const timeout = check("timeout", timeoutRule)
    if (Result.isFailure(timeout)) return Effect.fail(timeout.failure)
    const userAgent = check("userAgent", userAgentRule)
    if (Result.isFailure(userAgent)) return Effect.fail(userAgent.failure)
    const headers = check("headers", headersRule)
    if (Result.isFailure(headers)) return Effect.fail(headers.failure)
    const maxResponseBytes = check("maxResponseBytes", byteCapRule)
    if (Result.isFailure(maxResponseBytes)) return Effect.fail(maxResponseBytes.failure)
    const retry = check("retry", retryRule)
    if (Result.isFailure(retry)) return Effect.fail(retry.failure)
    const retryIdempotentWrites = check("retryIdempotentWrites", booleanRule)
    if (Result.isFailure(retryIdempotentWrites)) return Effect.fail(retryIdempotentWrites.failure)
    const traceContext = check("traceContext", booleanRule)
    if (Result.isFailure(traceContext)) return Effect.fail(traceContext.failure)
    const circuitBreaker = check("circuitBreaker", circuitBreakerRule)
    if (Result.isFailure(circuitBreaker)) return Effect.fail(circuitBreaker.failure)
    let rateLimitInput: unknown
    try {
      rateLimitInput = raw.rateLimit
    } catch {
      return fail("rateLimit", "rateLimit could not be read (reading it threw)")
    }
    const rateLimit = rateLimitRule(rateLimitInput)
    if (Result.isFailure(rateLimit)) {
      const [option, why] = rateLimit.failure
      return fail(option, `${option} ${why}`)
    }
    const transformClient = check("transformClient", (value) =>
      typeof value === "function"
        ? Result.succeed(value as (client: HttpClient.HttpClient) => HttpClient.HttpClient)
        : Result.fail(`must be a function (HttpClient => HttpClient), got ${describeValue(value)}`)
    )
    if (Result.isFailure(transformClient)) return Effect.fail(transformClient.failure)

    return Effect.succeed({
      baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, "")}`,
      credentials,
      timeout: timeout.success ?? defaultTimeout,
      userAgent: userAgent.success ?? `effect-flashduty/${version}`,
      headers: headers.success ?? {},
      transformClient: transformClient.success,
      retry: retry.success ?? defaultPolicy,
      retryIdempotentWrites: retryIdempotentWrites.success ?? true,
      traceContext: traceContext.success ?? true,
      circuitBreaker: circuitBreaker.success,
      rateLimit: rateLimit.success,
      maxResponseBytes: maxResponseBytes.success ?? defaultMaxResponseBytes
    })
  })
