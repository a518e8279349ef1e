/**
 * The rules every option obeys, client-wide and per call: one function per rule, used by
 * `config.ts` (the client's options, once, when the layer is built: a `ConfigurationError`),
 * by `RateLimit.make`, and by `callOptions.ts` (a call's options, before anything is sent:
 * an `InvalidParameter`). A rule answers with the checked (and parsed) value, or with
 * why the value was refused: a phrase that follows the option's name (`must be …, got …`).
 * No rule throws, and no message echoes a value that may be secret (header values,
 * credentials); a bad duration string or number is echoed, truncated.
 */
import * as Duration from "effect/Duration"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schedule from "effect/Schedule"
import type { RateLimitOptions } from "../RateLimit.js"
import type { RetryPolicy } from "../Retry.js"
import { type CircuitBreakerPolicy, policyTypeId } from "./breakerPolicy.js"

/** A rule's verdict: the checked value, or why it was refused (a phrase after the option's name). */
export type Verdict<A> = Result.Result<A, string>

/** A short, safe description of a refused value: strings truncated, objects by kind only. */
export const describeValue = (value: unknown): string => {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
    case "number":
    case "boolean":
    case "undefined":
      return String(value)
    case "bigint":
      return `${value}n`
    case "symbol":
      return "a symbol"
    case "function":
      return "a function"
  }
  if (value === null) return "null"
  if (Array.isArray(value)) return "an array"
  if (Duration.isDuration(value)) return Duration.format(value)
  if (Redacted.isRedacted(value)) return "a Redacted value"
  if (value instanceof Map) return "a Map"
  if (typeof Headers !== "undefined" && value instanceof Headers) return "a Headers object"
  return "an object"
}

/** Runs `rule` on what `read` returns; a getter or proxy that throws is a refusal, not a defect. */
export const guarded = <A>(read: () => unknown, rule: (value: unknown) => Verdict<A>): Verdict<A> => {
  try {
    return rule(read())
  } catch {
    return Result.fail("could not be read (reading it threw)")
  }
}

/**
 * A per-attempt timeout: any `Duration.Input` that is positive and finite.
 *
 * `Infinity` is refused rather than read as "no timeout": an attempt without a timeout can
 * hang for ever on a silent connection, and a caller who wants a very long one can say so
 * (`"1 day"`), which keeps that choice visible.
 */
export const timeoutRule = (value: unknown): Verdict<Duration.Duration> => {
  let duration: Duration.Duration
  try {
    duration = Duration.fromInputUnsafe(value as Duration.Input)
  } catch {
    return Result.fail(
      `must be a duration such as "10 seconds" or 10000 (milliseconds), got ${describeValue(value)}`
    )
  }
  // NaN (as a number, in a tuple or in an object field) decodes to zero.
  if (!Duration.isPositive(duration))
    return Result.fail(`must be a positive duration, got ${describeValue(value)}`)
  if (!Duration.isFinite(duration)) {
    return Result.fail(
      `must be finite, got ${describeValue(value)}: a call without a timeout could wait for ever; ` +
        `for a very long timeout give one, e.g. "1 day"`
    )
  }
  return Result.succeed(duration)
}

/** A size cap (`maxResponseBytes`, `maxLineBytes`): a positive safe integer; NaN never switches it off. */
export const byteCapRule = (value: unknown): Verdict<number> =>
  typeof value === "number" && Number.isSafeInteger(value) && value > 0
    ? Result.succeed(value)
    : Result.fail(`must be a positive whole number of bytes, got ${describeValue(value)}`)

/** A retry policy: `false` (no retry) or a `Schedule`. */
export const retryRule = (value: unknown): Verdict<RetryPolicy | false> =>
  value === false
    ? Result.succeed(false)
    : Schedule.isSchedule(value)
      ? Result.succeed(value as RetryPolicy)
      : Result.fail(`must be a Schedule (e.g. Retry.backoff()) or false, got ${describeValue(value)}`)

/** An HTTP field-value may not hold controls other than HTAB (CR, LF, NUL, …). */
const isControl = (code: number): boolean => (code < 0x20 && code !== 0x09) || code === 0x7f

/** The index of the first control character (other than HTAB) in `value`, or -1. */
export const controlCharacterAt = (value: string): number => {
  for (let i = 0; i < value.length; i++) if (isControl(value.charCodeAt(i))) return i
  return -1
}

/** An HTTP token (RFC 9110 §5.6.2), what a header name must be. */
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/**
 * Why a header value (or the user agent) cannot be sent, or `undefined`: a phrase such as
 * `has a control character (…) at index 3`, to which the caller adds where. The value itself
 * is never echoed: a header may carry a secret.
 */
export const headerValueProblem = (value: string): string | undefined => {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (isControl(code)) return `has a control character (CR, LF, NUL or another) at index ${i}`
    // `fetch` throws on it: a header value is bytes.
    if (code > 0xff) return `has a character beyond Latin-1 at index ${i} (percent-encode or base64 it)`
  }
  return undefined
}

/** The `circuitBreaker` option: `false`, or a policy from `CircuitBreaking`, its settings sound. */
export const circuitBreakerRule = (value: unknown): Verdict<CircuitBreakerPolicy | undefined> => {
  if (value === false) return Result.succeed(undefined)
  if (typeof value !== "object" || value === null || !(policyTypeId in value))
    return Result.fail(
      `must be false, CircuitBreaking.consecutive({ failures, openFor }) or CircuitBreaking.fromBreaker(breaker), got ${describeValue(value)}`
    )
  const policy = value as CircuitBreakerPolicy
  const settings = policy.settings
  if (settings !== undefined) {
    const failures = settings.failures
    if (typeof failures !== "number" || !Number.isSafeInteger(failures) || failures < 1)
      return Result.fail(`failures must be a whole number of at least 1, got ${describeValue(failures)}`)
    if (!Schedule.isSchedule(settings.openFor)) {
      const duration = timeoutRule(settings.openFor)
      if (Result.isFailure(duration)) return Result.fail(`openFor ${duration.failure}`)
    }
  }
  return Result.succeed(policy)
}

/** A switch: `true` or `false`. */
export const booleanRule = (value: unknown): Verdict<boolean> =>
  typeof value === "boolean"
    ? Result.succeed(value)
    : Result.fail(`must be true or false, got ${describeValue(value)}`)

/** A bearer token given per call: a non-blank string (or `Redacted` of one) that a header can carry. */
export const bearerTokenRule = (value: unknown): Verdict<Redacted.Redacted<string>> => {
  const text: unknown = Redacted.isRedacted(value) ? Redacted.value(value) : value
  if (typeof text !== "string") return Result.fail("must be a string or a Redacted string")
  if (text.trim() === "") return Result.fail("is empty")
  const problem = headerValueProblem(text)
  if (problem !== undefined) return Result.fail(`${problem}; the value is not shown`)
  return Result.succeed(
    Redacted.isRedacted(value) ? (value as Redacted.Redacted<string>) : Redacted.make(text)
  )
}

/** The user agent: a string that is a valid header value. */
export const userAgentRule = (value: unknown): Verdict<string> => {
  if (typeof value !== "string") return Result.fail(`must be a string, got ${describeValue(value)}`)
  const problem = headerValueProblem(value)
  return problem === undefined ? Result.succeed(value) : Result.fail(`${problem}; the value is not shown`)
}

/**
 * Headers the HTTP client owns: `fetch` rejects some (`transfer-encoding`, `keep-alive`,
 * `upgrade`, `expect`) and silently drops others (`host`, `content-length`); either way the
 * caller's value would not be what is sent.
 */
const transportHeaders = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "expect"
])

/**
 * Extra headers (client-wide or per call): a record of valid header names to valid values;
 * answers a copy with lower-cased names (HTTP names are case-insensitive).
 *
 * `authorization` is refused, whether the client has an app key or a token: with a token the
 * SDK's `Authorization: Bearer` would silently replace (client-wide) or be replaced by (per
 * call) the caller's, and in every case the SDK scrubs only the configured credentials from
 * the text of errors, so a credential slipped in as a header could be echoed by a gateway's
 * error page. Credentials belong in `appKey`/`accessToken` (a second client for a second
 * account); a deliberate `Authorization` header (for a proxy) can still be added in
 * `transformClient`, where it is visibly the caller's own.
 */
export const headersRule = (value: unknown): Verdict<Record<string, string>> => {
  if (
    typeof value !== "object" ||
    value === null ||
    Array.isArray(value) ||
    value instanceof Map ||
    (typeof Headers !== "undefined" && value instanceof Headers)
  ) {
    return Result.fail(`must be a record of header names to strings, got ${describeValue(value)}`)
  }
  // No prototype: a header named `__proto__` is kept, not swallowed by the setter.
  const out: Record<string, string> = Object.create(null)
  for (const [name, headerValue] of Object.entries(value)) {
    if (!token.test(name)) {
      return Result.fail(
        `has an invalid name ${describeValue(name)}: not a valid header name (an HTTP token: letters, digits and !#$%&'*+-.^_\`|~)`
      )
    }
    const lower = name.toLowerCase()
    if (lower === "authorization") {
      return Result.fail(
        "must not set authorization: the SDK sends the credentials (appKey or accessToken); " +
          "to send an Authorization header of your own on purpose (e.g. to a proxy), add it in transformClient"
      )
    }
    if (transportHeaders.has(lower))
      return Result.fail(`must not set ${describeValue(name)}: the HTTP client sets it`)
    if (Object.hasOwn(out, lower)) {
      const first = Object.keys(value).find((key) => key.toLowerCase() === lower)
      return Result.fail(
        `has ${describeValue(lower)} twice (as ${describeValue(first)} and ${describeValue(name)}); header names are case-insensitive`
      )
    }
    if (typeof headerValue !== "string") {
      return Result.fail(
        `must map each name to a string; ${describeValue(name)} maps to ${describeValue(headerValue)}`
      )
    }
    const problem = headerValueProblem(headerValue)
    if (problem !== undefined)
      return Result.fail(`${problem} in the value of ${describeValue(name)}; the value is not shown`)
    out[lower] = headerValue
  }
  return Result.succeed(out)
}

/** A request count per window: a positive whole number; `Infinity` and fractions explained. */
const requestCountRule = (key: "perSecond" | "perMinute", value: unknown): Verdict<number> => {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return Result.succeed(value)
  const why = `must be a positive whole number of requests, got ${describeValue(value)}`
  if (value === Number.POSITIVE_INFINITY) {
    return Result.fail(`${why}: to switch client-side rate limiting off, use rateLimit: false`)
  }
  if (key === "perSecond" && typeof value === "number" && value > 0 && value < 1) {
    return Result.fail(
      `${why}: for less than one request per second, set perMinute (e.g. ${Math.max(1, Math.round(value * 60))})`
    )
  }
  return Result.fail(why)
}

/**
 * The `rateLimit` option: `undefined` (the defaults), `false` (off) or an object whose
 * `perSecond`/`perMinute` are positive whole numbers and `perOperation` a boolean. A refusal
 * names the field at fault (`rateLimit.perSecond`).
 */
export const rateLimitRule = (
  value: unknown
): Result.Result<RateLimitOptions | false | undefined, readonly [option: string, why: string]> => {
  if (value === undefined || value === false) return Result.succeed(value)
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return Result.fail([
      "rateLimit",
      `must be an object such as { perSecond: 20, perMinute: 600 } or false, got ${describeValue(value)}`
    ])
  }
  const options = value as Record<string, unknown>
  for (const key of ["perSecond", "perMinute"] as const) {
    const verdict = guarded(
      () => options[key],
      (count) => (count === undefined ? Result.succeed(0) : requestCountRule(key, count))
    )
    if (Result.isFailure(verdict)) return Result.fail([`rateLimit.${key}`, verdict.failure])
  }
  const perOperation = guarded(
    () => options.perOperation,
    (flag) =>
      flag === undefined || typeof flag === "boolean"
        ? Result.succeed(flag)
        : Result.fail(`must be a boolean, got ${describeValue(flag)}`)
  )
  if (Result.isFailure(perOperation)) return Result.fail(["rateLimit.perOperation", perOperation.failure])
  return Result.succeed(value as RateLimitOptions)
}
