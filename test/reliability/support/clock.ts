/**
 * Driving the `TestClock` while real sockets do real I/O: wait (in real time) for the client
 * to reach a retry decision, then move virtual time to just before and exactly at the wait
 * the policy chose, and watch when the next attempt leaves. Virtual time moves only while
 * the client sleeps, so the waits measured are exact.
 */
import { assert } from "@effect/vitest"
import { Effect } from "effect"
import { HttpClient } from "effect/http"
import { TestClock } from "effect/testing"

/** Real time passing, whatever `Clock` the fiber has (sockets do not follow the `TestClock`). */
export const realPause = (millis: number) =>
  Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, millis)))

/** Polls `condition` in real time (every 2 ms, up to `limitMillis`), failing the test if it never holds. */
export const eventually = (condition: () => boolean, what: string, limitMillis = 5_000) =>
  Effect.gen(function* () {
    const deadline = Date.now() + limitMillis
    while (!condition()) {
      if (Date.now() > deadline) return yield* Effect.die(new Error(`timed out waiting for ${what}`))
      yield* realPause(2)
    }
  })

/** Counts the attempts that leave the client (a `transformClient` hook), synchronously. */
export const attemptCounter = () => {
  let attempts = 0
  return {
    count: () => attempts,
    transformClient: (client: HttpClient.HttpClient): HttpClient.HttpClient =>
      HttpClient.tapRequest(client, () =>
        Effect.sync(() => {
          attempts++
        })
      ) as HttpClient.HttpClient
  }
}

/**
 * Asserts that the next attempt leaves exactly `millis` of (virtual) time after the client
 * decided to retry: not at `millis - 1`, but at `millis`. Call it once `decisions` holds
 * the decision (use {@link eventually}).
 */
export const assertNextAttemptAfter = (attempts: () => number, millis: number) =>
  Effect.gen(function* () {
    const before = attempts()
    if (millis > 0) {
      yield* TestClock.adjust(millis - 1)
      assert.strictEqual(attempts(), before, `no attempt before ${millis} ms`)
    }
    yield* TestClock.adjust(1)
    assert.strictEqual(attempts(), before + 1, `the attempt leaves at ${millis} ms`)
  })
