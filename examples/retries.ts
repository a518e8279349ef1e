/**
 * Retries with your own `Schedule`. A retry policy is any `Schedule` fed with the failed
 * call's error; the client applies it only where retrying is safe (a 429 always; a 5xx or
 * a network failure only for reads), so a write whose outcome is unknown is never sent twice.
 *
 * On the stand-in, the first three list requests fail (two 503s, then a 429 asking to
 * wait 1 second), so the retries show.
 *
 *   npx tsx examples/retries.ts
 */
import { Console, Duration, Effect, Schedule } from "effect"
import { Flashduty, type FlashdutyError, Retry } from "effect-flashduty"
import { Fault } from "effect-flashduty/testing"
import { defineExample, runMain } from "./runtime.js"

/** 100 ms, 200 ms, 400 ms, … at most 4 retries, never sooner than the server's `Retry-After`. */
export const patientPolicy = Retry.respectRetryAfter(
  Schedule.exponential("100 millis").pipe(
    Schedule.upTo({ times: 4 }),
    Schedule.setInputType<FlashdutyError>()
  )
).pipe(
  // Say what happens: the tap sees each failure and the wait chosen for it.
  Schedule.tap(({ input, duration, attempt }) =>
    Console.log(
      `  attempt ${attempt} failed: ${input._tag} (HTTP ${input.status ?? "-"}), retrying in ${Duration.format(duration)}`
    )
  )
)

export const program = Effect.gen(function* () {
  const fd = yield* Flashduty
  // Per call; `Flashduty.layer({ retry: patientPolicy, … })` would make it the client's default.
  const { data, meta } = yield* fd.incidents.list(
    { progress: "Triggered", limit: 10 },
    { retry: patientPolicy }
  )
  yield* Console.log(`listed ${data.items.length} triggered incidents (request ${meta.requestId})`)
  return data.items.length
})

export const example = defineExample({
  title: "Retries with a custom Schedule",
  program,
  standIn: {
    faults: [
      { operationId: "incidentList", times: 2, fault: Fault.status(503) },
      { operationId: "incidentList", times: 1, fault: Fault.rateLimited(1) }
    ]
  }
})

runMain(example, import.meta.url)
