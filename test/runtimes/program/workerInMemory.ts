/**
 * A worker's unit test: the checks over the in-memory stand-in (`FlashdutyTest.layer` from
 * `effect-flashduty/testing`), no network at all. `workerd test` runs its `test` handler; one
 * `RUNTIME-CHECK` line per check, throwing when one failed.
 */
import { Effect, Layer } from "effect"
import { Flashduty } from "effect-flashduty"
import { FlashdutyTest } from "effect-flashduty/testing"
import { checks, formatResult, runChecks } from "./checks.js"

export default {
  async test(): Promise<void> {
    const results = await Effect.runPromise(
      runChecks(
        "in-memory",
        Flashduty.layer({ appKey: FlashdutyTest.appKey }).pipe(Layer.provide(FlashdutyTest.layer())),
        checks,
        (result) => console.log(formatResult(result))
      )
    )
    const failed = results.filter((result) => !result.ok)
    if (failed.length > 0) throw new Error(`${failed.length} check(s) failed in memory`)
  }
}
