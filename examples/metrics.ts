/**
 * Metrics and the circuit breaker. Every call is counted through Effect's `Metric` (calls by
 * operation and outcome, retries, 429s, time waited on the rate limiter, the shared store's
 * fallbacks, the breaker's state) into the context's `MetricRegistry`: here they are read with
 * `Metric.snapshot` and printed, as an exporter (OpenTelemetry's, Prometheus's) reads them.
 * Calls are counted in the registry of the fiber that makes them; the breaker's state, kept by
 * the client layer, in the registry of the context the layer is built in (the default one here).
 *
 * On the stand-in, the first list request is answered 503 and the second 429 (both retried),
 * and every `incidents.info` answers 503: after two such failures the opt-in breaker opens, and
 * the third lookup fails at once with `CircuitOpen`, sending nothing.
 *
 *   npx tsx examples/metrics.ts
 */
import { Console, Effect, Metric } from "effect"
import { CircuitBreaking, Flashduty } from "effect-flashduty"
import { Fault } from "effect-flashduty/testing"
import { defineExample, runMain } from "./runtime.js"

/** The SDK's series in the registry, one row each: what an exporter would send. */
export const report = Effect.flatMap(Metric.snapshot, (series) => {
  const rows = series
    .filter((s) => s.id.startsWith("flashduty_") && s.type !== "Histogram")
    .map((s) => ({
      metric: s.id,
      operation: String(s.attributes?.operation ?? ""),
      outcome:
        s.attributes?.to !== undefined
          ? `${String(s.attributes.from)}->${String(s.attributes.to)}`
          : String(s.attributes?.outcome ?? ""),
      value:
        "count" in s.state ? Number(s.state.count) : "value" in s.state ? Number(s.state.value) : Number.NaN
    }))
    .sort((a, b) =>
      `${a.metric} ${a.operation} ${a.outcome}`.localeCompare(`${b.metric} ${b.operation} ${b.outcome}`)
    )
  return Effect.as(
    Effect.forEach(rows, (row) =>
      Console.log(
        `  ${row.metric}${row.operation ? ` ${row.operation}` : ""}${row.outcome ? ` ${row.outcome}` : ""}: ${row.value}`
      )
    ),
    rows
  )
})

export const program = Effect.gen(function* () {
  const fd = yield* Flashduty
  for (let i = 0; i < 3; i++) yield* fd.incidents.list({ progress: "Triggered", limit: 5 })
  for (let i = 0; i < 3; i++) {
    // `retry: false`: each lookup is one request, so the breaker counts each failure.
    yield* fd.incidents.info({ incident_id: "no-such-incident" }, { retry: false }).pipe(
      Effect.matchEffect({
        onSuccess: () => Console.log("incidents.info: found"),
        onFailure: (error) => Console.log(`incidents.info: ${error._tag}`)
      })
    )
  }
  yield* Console.log("metrics:")
  return yield* report
})

export const example = defineExample({
  title: "Metrics and the circuit breaker",
  program,
  client: () =>
    Effect.succeed({
      circuitBreaker: CircuitBreaking.consecutive({ failures: 2, openFor: "30 seconds" })
    }),
  standIn: {
    faults: [
      { operationId: "incidentList", times: 1, fault: Fault.status(503) },
      { operationId: "incidentList", times: 1, fault: Fault.rateLimited(1) },
      { operationId: "incidentInfo", times: 10, fault: Fault.status(503) }
    ]
  }
})

runMain(example, import.meta.url)
