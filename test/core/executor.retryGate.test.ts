/**
 * The retry-safety rule gates before the user's policy: a `Schedule.tap` (or any counter or
 * condition in a custom schedule) only ever sees errors that may be retried.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Fiber, Schedule } from "effect"
import { TestClock } from "effect/testing"
import type { FlashdutyError } from "../../src/Errors.js"
import type { RetryPolicy } from "../../src/Retry.js"
import { incidentAck, incidentList } from "./endpoints.js"
import { apiError, ok, type Responder } from "./fakeHttp.js"
import { withClient } from "./harness.js"

const listInput = { start_time: 1, end_time: 2 }
const ackInput = { incident_ids: ["i1"] }

/** Answers `failures` in turn, then success. */
const sequence =
  (failures: ReadonlyArray<() => Response>): Responder =>
  (request) =>
    (failures[request.index - 1] ?? (() => ok({ items: [] })))()

/** Three retries 100 ms apart, recording every error the schedule is stepped with. */
const watched = (): { readonly policy: RetryPolicy; readonly seen: Array<FlashdutyError["_tag"]> } => {
  const seen: Array<FlashdutyError["_tag"]> = []
  const policy = Schedule.spaced("100 millis").pipe(
    Schedule.upTo({ times: 3 }),
    Schedule.setInputType<FlashdutyError>(),
    Schedule.tap(({ input }) => Effect.sync(() => void seen.push(input._tag)))
  )
  return { policy, seen }
}

/** Runs `effect` in a fiber while moving the TestClock past every wait. */
const withTime = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.forkChild(effect)
    for (let i = 0; i < 10; i++) yield* TestClock.adjust("1 second")
    return yield* Fiber.join(fiber)
  })

describe("the retry-safety rule runs before the user's schedule", () => {
  it.effect("a write's 503 is never shown to the schedule (and sent once)", () => {
    const { policy, seen } = watched()
    return withClient(
      () => apiError("ServiceUnavailable", "down", 503),
      (client, fake) =>
        Effect.gen(function* () {
          const error = yield* withTime(Effect.flip(client.call(incidentAck, ackInput)))
          assert.strictEqual(error._tag, "ServerError")
          assert.strictEqual(fake.requests.length, 1)
          assert.deepStrictEqual(seen, [])
        }),
      { retry: policy }
    )
  })

  it.effect("a write's 429 is shown to the schedule and retried", () => {
    const { policy, seen } = watched()
    return withClient(
      sequence([() => apiError("RequestTooFrequently", "slow", 429)]),
      (client, fake) =>
        Effect.gen(function* () {
          yield* withTime(client.call(incidentAck, ackInput))
          assert.strictEqual(fake.requests.length, 2)
          assert.deepStrictEqual(seen, ["RateLimited"])
        }),
      { retry: policy }
    )
  })

  it.effect("a write's 429 then 503: the schedule sees the 429 only, the 503 is returned", () => {
    const { policy, seen } = watched()
    return withClient(
      sequence([
        () => apiError("RequestTooFrequently", "slow", 429),
        () => apiError("ServiceUnavailable", "down", 503)
      ]),
      (client, fake) =>
        Effect.gen(function* () {
          const error = yield* withTime(Effect.flip(client.call(incidentAck, ackInput)))
          assert.strictEqual(error._tag, "ServerError")
          assert.strictEqual(fake.requests.length, 2)
          assert.deepStrictEqual(seen, ["RateLimited"])
        }),
      { retry: policy }
    )
  })

  it.effect("a read's 503 is shown and retried; its final 4xx is not shown", () => {
    const { policy, seen } = watched()
    return withClient(
      sequence([
        () => apiError("ServiceUnavailable", "down", 503),
        () => apiError("InvalidParameter", "bad", 400)
      ]),
      (client, fake) =>
        Effect.gen(function* () {
          const error = yield* withTime(Effect.flip(client.call(incidentList, listInput)))
          assert.strictEqual(error._tag, "InvalidParameter")
          assert.strictEqual(fake.requests.length, 2)
          assert.deepStrictEqual(seen, ["ServerError"])
        }),
      { retry: policy }
    )
  })

  it.effect("when the schedule gives up, the last retryable error is returned", () => {
    const { policy, seen } = watched()
    return withClient(
      () => apiError("ServiceUnavailable", "down", 503),
      (client, fake) =>
        Effect.gen(function* () {
          const error = yield* withTime(Effect.flip(client.call(incidentList, listInput)))
          assert.strictEqual(error._tag, "ServerError")
          assert.strictEqual(fake.requests.length, 4)
          // The tap runs on each retry the schedule grants (3), not on the step that ends it.
          assert.deepStrictEqual(seen, ["ServerError", "ServerError", "ServerError"])
        }),
      { retry: policy }
    )
  })
})
