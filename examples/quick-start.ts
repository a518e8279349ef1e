/**
 * Quick start: list the incidents that are triggered right now.
 *
 *   npx tsx examples/quick-start.ts                          # against the stand-in
 *   FLASHDUTY_APP_KEY=… npx tsx examples/quick-start.ts      # against your account
 */
import { Console, DateTime, Effect } from "effect"
import { Flashduty } from "effect-flashduty"
import { defineExample, runMain } from "./runtime.js"

export const program = Effect.gen(function* () {
  const fd = yield* Flashduty
  const now = yield* DateTime.now
  // The API wants a window of at most 31 days; request time fields accept a DateTime.
  const { data, meta } = yield* fd.incidents.list({
    progress: "Triggered",
    start_time: DateTime.subtract(now, { days: 7 }),
    end_time: now,
    limit: 5
  })
  yield* Console.log(
    `${meta.total ?? data.items.length} triggered incidents in the last 7 days; the first ${data.items.length}:`
  )
  for (const incident of data.items) {
    // Response times decode to values that print as RFC3339.
    yield* Console.log(`  [${incident.incident_severity}] ${incident.title}  (since ${incident.start_time})`)
  }
  yield* Console.log(`request id ${meta.requestId}`)
  return data.items
})

export const example = defineExample({ title: "Quick start: list triggered incidents", program })

runMain(example, import.meta.url)
