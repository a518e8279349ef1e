/**
 * Runs an example's `program` as `examples/runtime.ts` would, but against the in-memory
 * `FlashdutyTest.layer` and on `TestClock`, so that its waits (retries, pacing, token
 * lifetimes) take no real time. Returns how the program ended, what it printed, and what
 * the stand-in received and holds afterwards.
 */
import { DateTime, Effect, Fiber } from "effect"
import { TestClock, TestConsole } from "effect/testing"
import type { ClientOptions, Example } from "../../examples/runtime.js"
import { Flashduty } from "../../src/generated/Flashduty.js"
import { FlashdutyTest } from "../../src/testing/FlashdutyTest.js"

/** The virtual "now" of every example test (the stand-in dates its data from it). */
export const testNow = DateTime.makeUnsafe("2026-05-01T00:00:00Z")

export const runExample = <A, E>(example: Example<A, E>, overrides: Partial<Example<A, E>> = {}) => {
  const { program, standIn, client } = { ...example, ...overrides }
  const withStandIn = Effect.gen(function* () {
    const control = yield* FlashdutyTest
    const options: ClientOptions = client === undefined ? {} : yield* client(control)
    const flashduty = Flashduty.layer({
      ...options,
      ...(options.accessToken === undefined ? { appKey: FlashdutyTest.appKey } : {})
    })
    const fiber = yield* Effect.forkChild(Effect.exit(Effect.provide(program, flashduty)))
    // Move virtual time on until the program is done; the short live pause lets real I/O
    // (the export's file writes) progress in between.
    while (fiber.pollUnsafe() === undefined) {
      yield* TestClock.adjust("100 millis")
      yield* TestClock.withLive(Effect.sleep("1 millis"))
    }
    return {
      exit: yield* Fiber.join(fiber),
      output: (yield* TestConsole.logLines).map(String),
      requests: yield* control.requests,
      incidents: yield* control.incidents
    }
  })
  return Effect.andThen(
    // Set the clock first: the stand-in dates its generated incidents from it when it starts.
    TestClock.setTime(DateTime.toEpochMillis(testNow)),
    withStandIn.pipe(Effect.scoped, Effect.provide(FlashdutyTest.layer(standIn)))
  )
}
