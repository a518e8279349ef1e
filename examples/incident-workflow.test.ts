/**
 * Your own unit test, written with `FlashdutyTest`: the workflow of
 * `incident-workflow.ts` against an in-memory Flashduty, with no account and no network.
 * `FlashdutyTest` programs the stand-in (data, overrides, faults) and reads back what it
 * received.
 *
 *   npx vitest run examples/incident-workflow.test.ts
 */
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import { Flashduty } from "effect-flashduty"
import { FlashdutyTest } from "effect-flashduty/testing"
import { type MonitoringAlert, openIncidentFromAlert, resolveStale } from "./incident-workflow.js"

/** A fresh in-memory Flashduty per test: the SDK's client over the stand-in's `HttpClient`. */
const flashdutyWith = (options: Parameters<typeof FlashdutyTest.layer>[0]) =>
  Flashduty.layer({ appKey: FlashdutyTest.appKey }).pipe(Layer.provideMerge(FlashdutyTest.layer(options)))

// Tests run on a virtual clock that starts at 1970; the stand-in dates its data from it.
const now = DateTime.makeUnsafe("2026-05-01T00:00:00Z")
const atFixedTime = <A, E, R>(test: Effect.Effect<A, E, R>) =>
  Effect.andThen(TestClock.setTime(DateTime.toEpochMillis(now)), test)

const alert: MonitoringAlert = {
  alertname: "DiskFull",
  severity: "warning",
  instance: "db-01",
  summary: "/var at 97%"
}

describe("incident workflow", () => {
  it.effect("opens one incident per alert, and reuses it while it is open", () =>
    atFixedTime(
      Effect.gen(function* () {
        const first = yield* openIncidentFromAlert(alert)
        const second = yield* openIncidentFromAlert(alert)
        assert.isTrue(first.created)
        assert.isFalse(second.created)
        assert.strictEqual(second.incidentId, first.incidentId)

        const test = yield* FlashdutyTest
        const incidents = yield* test.incidents
        assert.deepStrictEqual(
          incidents.map((i) => [i.title, i.incident_severity, i.progress]),
          [["DiskFull on db-01", "Warning", "Triggered"]]
        )
      }).pipe(Effect.provide(flashdutyWith({ incidents: { count: 0, specExamples: false } })))
    )
  )

  it.effect("resolves every incident open for more than 3 days, at most 100 per call, and nothing else", () =>
    atFixedTime(
      Effect.gen(function* () {
        const test = yield* FlashdutyTest
        const before = yield* test.incidents
        const resolved = yield* resolveStale("3 days")

        const cutoff = DateTime.toEpochMillis(now) / 1000 - 3 * 86_400
        const expected = before
          .filter((i) => i.progress !== "Closed" && i.start_time < cutoff)
          .map((i) => i.incident_id)
        assert.isAbove(expected.length, 100) // enough for two calls
        assert.sameMembers([...resolved], expected)

        const after = new Map((yield* test.incidents).map((i) => [i.incident_id, i.progress]))
        for (const incident of before) {
          const shouldClose = expected.includes(incident.incident_id)
          assert.strictEqual(after.get(incident.incident_id), shouldClose ? "Closed" : incident.progress)
        }

        const resolveCalls = (yield* test.requests).filter((r) => r.operationId === "incidentResolve")
        assert.strictEqual(resolveCalls.length, 2)
        for (const call of resolveCalls) {
          assert.isAtMost((call.body as { incident_ids: Array<string> }).incident_ids.length, 100)
        }
      }).pipe(Effect.provide(flashdutyWith({ incidents: { count: 400, specExamples: false } })))
    )
  )

  it.effect("a refused create is a typed error the caller can handle", () =>
    atFixedTime(
      Effect.gen(function* () {
        const test = yield* FlashdutyTest
        yield* test.override("incidentCreate", { error: { code: "AccessDenied", message: "no permission" } })
        const error = yield* Effect.flip(openIncidentFromAlert(alert))
        assert.strictEqual(error._tag, "AccessDenied")
      }).pipe(Effect.provide(flashdutyWith({ incidents: { count: 0 } })))
    )
  )
})
