/**
 * A scripted workflow: a monitoring alert arrives; open an incident for it (unless one is
 * already open for the same problem) and acknowledge it; then sweep up: resolve, in bulk,
 * the incidents that have stayed open for more than three days.
 *
 * The functions are exported so that `incident-workflow.test.ts` can unit-test them with
 * `FlashdutyTest`, the way you would test your own scripts.
 *
 *   npx tsx examples/incident-workflow.ts
 *
 * Against a real account this creates, acknowledges and resolves real incidents, so the
 * runner asks for FLASHDUTY_EXAMPLE_WRITES=true before it runs it there.
 */
import { Array as Arr, Console, DateTime, type Duration, Effect, Schema, Stream } from "effect"
import { Flashduty } from "effect-flashduty"
import { defineExample, runMain } from "./runtime.js"

/** A firing alert as a monitoring system sends it (an Alertmanager-like webhook item). */
export interface MonitoringAlert {
  readonly alertname: string
  readonly severity: "critical" | "warning" | "info"
  readonly instance: string
  readonly summary: string
}

/** The create call answered without an incident id. */
export class IncidentNotCreated extends Schema.TaggedError<IncidentNotCreated>()("IncidentNotCreated", {
  title: Schema.String
}) {}

const severities = { critical: "Critical", warning: "Warning", info: "Info" } as const

/** The last 30 days: the incident list accepts windows of at most 31 days. */
const lastMonth = Effect.map(DateTime.now, (now) => ({
  start_time: DateTime.subtract(now, { days: 30 }),
  end_time: now
}))

/**
 * Opens an incident for `alert`, or finds the one already open with the same title.
 *
 * @example
 * ```ts
 * const { incidentId, created } = yield* openIncidentFromAlert({ alertname: "HighCPU", severity: "critical", instance: "web-01", summary: "CPU > 95%" })
 * ```
 */
export const openIncidentFromAlert = (alert: MonitoringAlert) =>
  Effect.gen(function* () {
    const fd = yield* Flashduty
    const title = `${alert.alertname} on ${alert.instance}`
    const open = yield* fd.incidents.list({
      ...(yield* lastMonth),
      query: title,
      progress: "Triggered,Processing"
    })
    const existing = open.data.items.find((incident) => incident.title === title)
    if (existing?.incident_id !== undefined) return { incidentId: existing.incident_id, created: false }

    const { data } = yield* fd.incidents.create({
      title,
      description: alert.summary,
      incident_severity: severities[alert.severity]
    })
    if (data.incident_id === undefined) return yield* new IncidentNotCreated({ title })
    return { incidentId: data.incident_id, created: true }
  })

/**
 * Resolves, 100 per call (the API's maximum), every incident still open that started
 * more than `olderThan` ago; returns their ids.
 *
 * @example
 * ```ts
 * const resolved = yield* resolveStale("3 days")
 * ```
 */
export const resolveStale = (olderThan: Duration.Input) =>
  Effect.gen(function* () {
    const fd = yield* Flashduty
    const cutoff = DateTime.toEpochMillis(DateTime.subtractDuration(yield* DateTime.now, olderThan))
    // Collect first, then write: resolving while paging would change the pages being read.
    const stale = yield* fd.incidents
      .listStream({ ...(yield* lastMonth), progress: "Triggered,Processing", limit: 100 })
      .pipe(
        Stream.filter((incident) => {
          const started = incident.start_time?.epochMillis
          return started !== undefined && started < cutoff
        }),
        Stream.map((incident) => incident.incident_id),
        Stream.filter((id) => id !== undefined),
        Stream.runCollect
      )
    for (const batch of Arr.chunksOf(stale, 100)) {
      yield* fd.incidents.resolve({ incident_ids: batch, resolution: "Closed by the stale-incident sweep" })
    }
    return stale
  })

export const program = Effect.gen(function* () {
  const fd = yield* Flashduty
  const alert: MonitoringAlert = {
    alertname: "HighErrorRate",
    severity: "critical",
    instance: "checkout-api",
    summary: "5xx ratio above 5% for 10 minutes"
  }

  const { incidentId, created } = yield* openIncidentFromAlert(alert)
  yield* Console.log(`${created ? "opened" : "found open"} incident ${incidentId} for ${alert.alertname}`)
  yield* fd.incidents.ack({ incident_ids: [incidentId] })
  yield* Console.log(`acknowledged ${incidentId}`)

  // The same alert firing again does not open a second incident.
  const again = yield* openIncidentFromAlert(alert)
  yield* Console.log(
    `the alert fired again: ${again.created ? "opened another" : `still ${again.incidentId}`}`
  )

  const resolved = yield* resolveStale("3 days")
  const calls = Math.ceil(resolved.length / 100)
  yield* Console.log(
    `resolved ${resolved.length} incidents open for more than 3 days, in ${calls} call${calls === 1 ? "" : "s"}`
  )
  return { incidentId, resolved }
})

export const example = defineExample({
  title: "Scripted workflow: alert → incident → acknowledge, then resolve stale ones in bulk",
  program,
  writes: true,
  standIn: { incidents: { count: 400 } }
})

runMain(example, import.meta.url)
