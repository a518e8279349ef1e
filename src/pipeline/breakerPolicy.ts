/**
 * The `circuitBreaker` option's type, apart from its implementation (`circuitBreaker.ts`, made
 * by `CircuitBreaking`): the client checks and uses a policy through this module alone, so an
 * app that sets none bundles no breaker.
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import type { FlashdutyError } from "../Errors.js"
import type { OperationInfo } from "../runtime/Operation.js"

/** Marks a {@link CircuitBreakerPolicy} (the option is checked to be one). */
export const policyTypeId: unique symbol = Symbol.for("effect-flashduty/CircuitBreakerPolicy")

/**
 * What the `circuitBreaker` option takes: made by `CircuitBreaking.consecutive` or
 * `CircuitBreaking.fromBreaker`, so that the breaker's code is bundled only by apps that use one.
 */
export interface CircuitBreakerPolicy {
  readonly [policyTypeId]: typeof policyTypeId
  /** The consecutive policy's settings (checked when the client is built). */
  readonly settings:
    | { readonly failures: number; readonly openFor: Duration.Input | Schedule.Schedule<unknown, number> }
    | undefined
  /** The client's breaker, keyed by `key`, in the client layer's scope. */
  readonly make: (key: string) => Effect.Effect<ClientBreaker, never, Scope.Scope>
}

/** A breaker for one client. */
export interface ClientBreaker {
  readonly guard: <A, R>(
    operation: OperationInfo,
    call: Effect.Effect<A, FlashdutyError, R>
  ) => Effect.Effect<A, FlashdutyError, R>
}
