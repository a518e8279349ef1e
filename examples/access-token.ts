/**
 * Access-token auth with refresh. Instead of an app key, the client can send an OAuth
 * access token (`Authorization: Bearer`). Give it an `Effect` that yields the token: it
 * runs before every request, so caching it with a time-to-live taken from the token's
 * own lifetime refreshes it shortly before it expires.
 *
 * Here the identity provider is simulated: its tokens live 1 second (the stand-in
 * refuses them after that), and the program makes calls 1.2 seconds apart.
 *
 *   npx tsx examples/access-token.ts
 *   FLASHDUTY_APP_KEY=… FLASHDUTY_ACCESS_TOKEN=… npx tsx examples/access-token.ts   # the real API
 */
import { Config, Console, Duration, Effect, Exit, Redacted, type Scope } from "effect"
import { Flashduty } from "effect-flashduty"
import type { StandInControl } from "effect-flashduty/testing"
import { type ClientOptions, defineExample, runMain } from "./runtime.js"

/** What an OAuth token endpoint answers. */
export interface IssuedToken {
  readonly accessToken: Redacted.Redacted<string>
  readonly expiresIn: Duration.Duration
}

/**
 * The part a user writes: the client's `accessToken` is the identity provider's answer,
 * cached for 80% of the token's lifetime (and not at all when fetching it failed).
 */
export const refreshingToken = <E>(issue: Effect.Effect<IssuedToken, E>) =>
  Effect.gen(function* () {
    const current = yield* Effect.cachedWithTTL(issue, (exit) =>
      Exit.isSuccess(exit) ? Duration.times(exit.value.expiresIn, 0.8) : Duration.zero
    )
    return { accessToken: Effect.map(current, (token) => token.accessToken) } satisfies ClientOptions
  })

export const program = Effect.gen(function* () {
  const fd = yield* Flashduty
  for (const call of [1, 2, 3]) {
    const { data } = yield* fd.incidents.list({ progress: "Triggered", limit: 3 })
    yield* Console.log(`call ${call}: ${data.items.length} incidents`)
    if (call < 3) yield* Effect.sleep("1200 millis")
  }
  return "three calls, each with a valid token"
})

/**
 * A simulated identity provider: on the stand-in, every token it issues is accepted for
 * 1 second, then refused. Against the real API, it hands out `FLASHDUTY_ACCESS_TOKEN`.
 */
export const identityProvider = (
  standIn: StandInControl | undefined
): Effect.Effect<Effect.Effect<IssuedToken, unknown>, never, Scope.Scope> =>
  Effect.gen(function* () {
    if (standIn === undefined) {
      return Effect.map(Config.Redacted("FLASHDUTY_ACCESS_TOKEN"), (accessToken) => ({
        accessToken,
        expiresIn: Duration.hours(1)
      }))
    }
    const scope = yield* Effect.scope
    const valid = new Set<string>()
    let issued = 0
    const accept = Effect.suspend(() => standIn.setCredentials({ accessTokens: [...valid] }))
    return Effect.gen(function* () {
      const token = `example-token-${++issued}`
      valid.add(token)
      yield* accept
      yield* Console.log(`  identity provider: issued token #${issued}, valid for 1s`)
      // The token expires on the server's side whatever the client does.
      yield* Effect.forkIn(
        Effect.sleep("1 second").pipe(
          Effect.andThen(Effect.sync(() => valid.delete(token))),
          Effect.andThen(accept)
        ),
        scope
      )
      return { accessToken: Redacted.make(token), expiresIn: Duration.seconds(1) }
    })
  })

export const example = defineExample({
  title: "Access-token auth with refresh",
  program,
  client: (standIn) => Effect.flatMap(identityProvider(standIn), refreshingToken)
})

runMain(example, import.meta.url)
