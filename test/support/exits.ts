/** Reading the outcome of a call in tests. */
import { assert } from "@effect/vitest"
import { Exit } from "effect"

/**
 * The typed error a call failed with; fails the test when it succeeded or ended in a defect.
 *
 * @example
 * ```ts
 * const error = failureOf(yield* Effect.exit(fd.incidents.list(window)))
 * assert.strictEqual(error._tag, "NotFound")
 * ```
 */
export const failureOf = <E>(exit: Exit.Exit<unknown, E>): E => {
  if (Exit.isSuccess(exit)) return assert.fail("expected the call to fail, it succeeded")
  const reason = exit.cause.reasons.find((r) => r._tag === "Fail")
  if (reason === undefined || reason._tag !== "Fail")
    return assert.fail(`expected a typed failure, got ${String(exit)}`)
  return reason.error
}
