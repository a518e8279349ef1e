/**
 * The credentials of one attempt (the `app_key` query parameter or a bearer header), and
 * the list of secret values to scrub from everything copied out of an answer.
 *
 * An `accessToken` given as an `Effect` is run for each attempt, by the pipeline, right
 * before the request leaves and within its timeout. Whatever goes wrong in it (a failure,
 * a defect, a value that cannot be a token) becomes `Unauthorized` carrying no text of its
 * own: a token provider's error may quote the token, so none of it is kept.
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { Unauthorized } from "../Errors.js"
import type { Credentials } from "./config.js"
import { headerValueProblem } from "./optionRules.js"

/** Extra query parameters and headers of one attempt, and the secret they carry. */
export interface Auth {
  readonly params: ReadonlyArray<readonly [string, Redacted.Redacted<string>]>
  readonly headers: Readonly<Record<string, string>>
  /** The credential this attempt sends: always scrubbed from its own answer. */
  readonly secret: string
}

/**
 * The secret values a client has used, to scrub from answers, errors, logs and spans. Each
 * attempt also scrubs its own credential from its own answer ({@link withSecret}), so a token
 * that rotated out of this list while its request was in flight is still never echoed.
 */
export class SecretList {
  readonly values: Array<string> = []

  remember(secret: string): void {
    if (secret === "" || this.values.includes(secret)) return
    this.values.push(secret)
    // Refreshed tokens replace older ones; keep the list bounded (the app key or first token stays).
    if (this.values.length > 32) this.values.splice(1, 1)
  }

  /** The list with `secret` in it (the list itself when it already is). */
  withSecret(secret: string): ReadonlyArray<string> {
    return this.values.includes(secret) ? this.values : [...this.values, secret]
  }
}

/** The credentials of a bearer token (a client's static token, or an operation's own). */
export const bearer = (token: Redacted.Redacted<string>): Auth => ({
  params: [],
  headers: { authorization: `Bearer ${Redacted.value(token)}` },
  secret: Redacted.value(token)
})

const refused = (operationId: string, why: string) =>
  new Unauthorized({
    message: `${operationId}: the accessToken effect ${why}; nothing was sent`,
    operationId
  })

/**
 * A token value that can go into an `Authorization` header (a non-blank string of header-safe
 * characters, the rule static tokens are held to), or `undefined`.
 */
const usableToken = (value: unknown): Redacted.Redacted<string> | undefined => {
  const text: unknown = Redacted.isRedacted(value) ? Redacted.value(value) : value
  if (typeof text !== "string" || text.trim() === "" || headerValueProblem(text) !== undefined)
    return undefined
  return Redacted.isRedacted(value) ? (value as Redacted.Redacted<string>) : Redacted.make(text)
}

/**
 * The credentials source of a client: an `Effect` per attempt, failing only with
 * `Unauthorized`. Static secrets are remembered at once, a token effect's on each use.
 */
export const makeAuth = (
  credentials: Credentials,
  secrets: SecretList
): ((operationId: string) => Effect.Effect<Auth, Unauthorized>) => {
  switch (credentials._tag) {
    case "AppKey": {
      secrets.remember(Redacted.value(credentials.appKey))
      // A Redacted query value is shown as <redacted> by effect's URL and span helpers.
      const auth = Effect.succeed<Auth>({
        params: [["app_key", credentials.appKey]],
        headers: {},
        secret: Redacted.value(credentials.appKey)
      })
      return () => auth
    }
    case "StaticToken": {
      secrets.remember(Redacted.value(credentials.token))
      const auth = Effect.succeed(bearer(credentials.token))
      return () => auth
    }
    case "TokenEffect": {
      const source = credentials.token as Effect.Effect<unknown, unknown>
      return (operationId) =>
        source.pipe(
          // Failures and defects alike (an interruption stays one): nothing of the cause is kept.
          Effect.catchCause((cause) =>
            Cause.hasInterruptsOnly(cause)
              ? Effect.interrupt
              : Effect.fail(refused(operationId, Cause.hasDies(cause) ? "died" : "failed"))
          ),
          Effect.flatMap((value) => {
            const token = usableToken(value)
            if (token === undefined)
              return Effect.fail(refused(operationId, "returned an empty or invalid token"))
            secrets.remember(Redacted.value(token))
            return Effect.succeed(bearer(token))
          })
        )
    }
  }
}
