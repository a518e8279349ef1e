/**
 * Circuit breaking for a Flashduty client (the `circuitBreaker` option), on Effect's
 * `CircuitBreaker` (`effect/persistence`): after repeated failures of the API, calls fail fast
 * with `CircuitOpen` (nothing sent) for a cool-down, then one probe call decides. What counts as
 * a failure is in `src/pipeline/circuitBreaker.ts`.
 *
 * A policy is a value you import and pass, so that an app without one bundles none of this
 * (the breaker and its transition stream are ~24 KiB minified).
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { CircuitBreaking, Flashduty } from "effect-flashduty"
 *
 * const live = Flashduty.layer({
 *   appKey: Redacted.make("…"),
 *   circuitBreaker: CircuitBreaking.consecutive({ failures: 5, openFor: "30 seconds" })
 * })
 * ```
 */

import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as CircuitBreaker from "effect/persistence/CircuitBreaker"
import type * as Schedule from "effect/Schedule"
import { type CircuitBreakerPolicy, policyTypeId } from "./pipeline/breakerPolicy.js"
import { makeGuard } from "./pipeline/circuitBreaker.js"

export type { CircuitBreakerPolicy } from "./pipeline/breakerPolicy.js"

/**
 * Opens after `failures` consecutive failed calls (default 5) for `openFor` (default 30
 * seconds; a `Schedule` gives a growing cool-down: its n-th delay is the n-th consecutive
 * opening's). The circuit's state lives in the client (one per client layer).
 */
export const consecutive = (
  options: {
    readonly failures?: number
    readonly openFor?: Duration.Input | Schedule.Schedule<unknown, number>
  } = {}
): CircuitBreakerPolicy => ({
  [policyTypeId]: policyTypeId,
  settings: { failures: options.failures ?? 5, openFor: options.openFor ?? "30 seconds" },
  make: (key) =>
    Effect.flatMap(
      CircuitBreaker.make({
        tripPolicy: CircuitBreaker.consecutive(options.failures ?? 5),
        openDuration: options.openFor ?? "30 seconds"
      }).pipe(Effect.provide(Layer.fresh(CircuitBreaker.layerStoreMemory()))),
      (breaker) => makeGuard(breaker, key)
    )
})

/**
 * A breaker of your own (`CircuitBreaker.make`), e.g. over `CircuitBreaker.layerStoreRedis` so
 * that every process sees the API's state, or with a `CircuitBreaker.rate` trip policy.
 */
export const fromBreaker = (breaker: CircuitBreaker.CircuitBreaker): CircuitBreakerPolicy => ({
  [policyTypeId]: policyTypeId,
  settings: undefined,
  make: (key) => makeGuard(breaker, key)
})
