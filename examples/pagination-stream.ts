/**
 * Pagination as a `Stream`: `listStream` follows the API's cursor page after page, lazily,
 * so a program reads only as many pages as it consumes.
 *
 *   npx tsx examples/pagination-stream.ts
 */
import { Console, DateTime, Effect, Stream } from "effect"
import { Flashduty } from "effect-flashduty"
import { defineExample, runMain } from "./runtime.js"

export const program = Effect.gen(function* () {
  const fd = yield* Flashduty
  const now = yield* DateTime.now
  const lastWeek = { start_time: DateTime.subtract(now, { days: 7 }), end_time: now, limit: 25 }

  // Every incident of the week, 25 per request, counted by severity as the pages arrive.
  const bySeverity = yield* fd.incidents.listStream(lastWeek).pipe(
    Stream.runFold(
      (): Record<string, number> => ({}),
      (counts, incident) => {
        const severity = incident.incident_severity ?? "unknown"
        return { ...counts, [severity]: (counts[severity] ?? 0) + 1 }
      }
    )
  )
  const total = Object.values(bySeverity).reduce((a, b) => a + b, 0)
  yield* Console.log(`${total} incidents this week, by severity: ${JSON.stringify(bySeverity)}`)

  // Lazy: taking the 3 most recent critical ones stops reading after the page that holds the third.
  const critical = yield* fd.incidents.listStream(lastWeek).pipe(
    Stream.filter((incident) => incident.incident_severity === "Critical"),
    Stream.take(3),
    Stream.runCollect
  )
  yield* Console.log("the 3 most recent critical incidents:")
  for (const incident of critical) yield* Console.log(`  #${incident.num} ${incident.title}`)

  return { total, bySeverity, critical }
})

export const example = defineExample({
  title: "Pagination as a Stream",
  program,
  standIn: { incidents: { count: 120 } }
})

runMain(example, import.meta.url)
