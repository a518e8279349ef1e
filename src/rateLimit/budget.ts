/**
 * The budget key of a shared rate limit: which account's windows a client draws from.
 *
 * It is a hash of `rateLimit.accountKey` when given, else of the app key: the store (Redis)
 * and its keys never hold the key itself, and two accounts on one Redis never share a budget.
 * A client that logs in with an `accessToken` has no stable secret to hash (the token is
 * refreshed), so a shared store requires it to name its account. The same string gives the
 * same budget whichever option it came from: clients that log in differently share one
 * budget when they are given the same `accountKey`.
 */
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import { ConfigurationError } from "../FlashdutyOptions.js"
import type { RateLimitOptions } from "../RateLimit.js"

/** Domain separation: the budget hash is of no use as a hash of the key anywhere else. */
const domain = "effect-flashduty/rate-limit/budget/v1\u0000"

/** The first 128 bits of SHA-256 over `domain + key`, as hex (Web Crypto: Node, Deno, Bun, browsers). */
export const hashKey = (key: string): Effect.Effect<string> =>
  Effect.promise(() =>
    globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(domain + key))
  ).pipe(
    Effect.map((digest) =>
      Array.from(new Uint8Array(digest).subarray(0, 16), (byte) => byte.toString(16).padStart(2, "0")).join(
        ""
      )
    )
  )

/**
 * The options only a shared store reads, checked like the others: `accountKey` a non-empty
 * string (or `Redacted` one; never echoed), `fallbackShare` a number in `(0, 1]`. A refusal
 * names the field, as `rateLimitRule` does.
 */
export const sharedOptionsRule = (
  options: RateLimitOptions | false | undefined
): Result.Result<void, readonly [option: string, why: string]> => {
  if (options === undefined || options === false) return Result.succeed(undefined)
  try {
    const accountKey: unknown = options.accountKey
    if (accountKey !== undefined) {
      const inner = Redacted.isRedacted(accountKey) ? Redacted.value(accountKey) : accountKey
      if (typeof inner !== "string" || inner.trim() === "") {
        return Result.fail([
          "rateLimit.accountKey",
          `must be a non-empty string (or a Redacted one) naming the account, got ${
            typeof inner === "string" ? "an empty string" : inner === null ? "null" : typeof inner
          }`
        ])
      }
    }
  } catch {
    return Result.fail(["rateLimit.accountKey", "could not be read (reading it threw)"])
  }
  try {
    const share: unknown = options.fallbackShare
    if (share !== undefined && !(typeof share === "number" && share > 0 && share <= 1)) {
      return Result.fail([
        "rateLimit.fallbackShare",
        `must be a number in (0, 1], the fraction of each limit one process uses while the shared store is unreachable, got ${
          typeof share === "number" ? String(share) : typeof share
        }`
      ])
    }
  } catch {
    return Result.fail(["rateLimit.fallbackShare", "could not be read (reading it threw)"])
  }
  return Result.succeed(undefined)
}

/**
 * The budget key: the hash of `accountKey`, else of the app key; a `ConfigurationError` on
 * `rateLimit.accountKey` when there is neither (a login by `accessToken`).
 */
export const budgetOf = (
  accountKey: string | Redacted.Redacted<string> | undefined,
  appKey: Redacted.Redacted<string> | undefined
): Effect.Effect<string, ConfigurationError> => {
  if (accountKey !== undefined) {
    return hashKey(Redacted.isRedacted(accountKey) ? Redacted.value(accountKey) : accountKey)
  }
  if (appKey !== undefined) return hashKey(Redacted.value(appKey))
  return Effect.fail(
    new ConfigurationError({
      option: "rateLimit.accountKey",
      message:
        "rateLimit.accountKey is required with a shared RateLimitStore when the client logs in with an accessToken: " +
        "the token changes when it is refreshed, so name the account (its id, or any stable string) to keep one budget"
    })
  )
}
