/**
 * Every example's program, run against the in-memory stand-in on `TestClock`, with
 * assertions on what it returned, printed and sent, so that none of them rots. One test
 * also runs an example the way `npm run examples` does (loopback HTTP).
 */
import { readdirSync, readFileSync, rmSync } from "node:fs"
import { dirname } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Exit, Option } from "effect"
import * as AccessToken from "../../examples/access-token.js"
import * as ErrorHandling from "../../examples/error-handling.js"
import * as IncidentWorkflow from "../../examples/incident-workflow.js"
import * as MetricsExample from "../../examples/metrics.js"
import * as PaginationStream from "../../examples/pagination-stream.js"
import * as QuickStart from "../../examples/quick-start.js"
import * as RateLimiting from "../../examples/rate-limiting.js"
import * as RawRequest from "../../examples/raw-request.js"
import * as Retries from "../../examples/retries.js"
import { run } from "../../examples/runtime.js"
import * as SessionExport from "../../examples/session-export.js"
import * as WebhookReceiver from "../../examples/webhook-receiver.js"
import { runExample, testNow } from "./runExample.js"

const nowSeconds = DateTime.toEpochMillis(testNow) / 1000
const DAY = 86_400

/** The value of a successful run, or a failed assertion showing the cause. */
const successValue = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isSuccess(exit)) return exit.value
  throw new Error(`the example failed: ${String(exit.cause)}`)
}

describe("examples", () => {
  it.effect(
    "metrics: the calls, retries, 429s and the breaker opening are in the registry; the refused call sent nothing",
    () =>
      Effect.gen(function* () {
        const { exit, output, requests } = yield* runExample(MetricsExample.example)
        const rows = successValue(exit)
        const value = (metric: string, operation: string, outcome: string) =>
          rows.find((r) => r.metric === metric && r.operation === operation && r.outcome === outcome)?.value
        assert.strictEqual(value("flashduty_calls_total", "incidentInfo", "ServerError"), 2)
        assert.strictEqual(value("flashduty_calls_total", "incidentInfo", "CircuitOpen"), 1)
        assert.strictEqual(value("flashduty_circuit_transitions_total", "", "Closed->Open"), 1)
        assert.strictEqual(value("flashduty_circuit_state", "", ""), 2)
        assert.isAtLeast(value("flashduty_rate_limited_total", "incidentList", "") ?? 0, 1)
        assert.isAtLeast(value("flashduty_retries_total", "incidentList", "") ?? 0, 2)
        // Three lookups, two requests: the third was refused by the open circuit.
        assert.strictEqual(requests.filter((r) => r.path === "/incident/info").length, 2)
        assert.deepStrictEqual(
          output.filter((line) => line.startsWith("incidents.info")),
          ["incidents.info: ServerError", "incidents.info: ServerError", "incidents.info: CircuitOpen"]
        )
      })
  )

  it.effect("raw request calls a path the spec lacks, answered by the stand-in's override", () =>
    Effect.gen(function* () {
      const { exit, output, requests } = yield* runExample(RawRequest.example)
      const items = successValue(exit)
      assert.deepStrictEqual(
        items.map((pack) => pack.pack_id),
        ["kp_runbooks", "kp_postmortems"]
      )
      assert.match(output[0] ?? "", /2 knowledge packs/)
      assert.strictEqual(requests[0]?.path, "/safari/knowledge/pack/list")
      assert.deepStrictEqual(requests[0]?.body, { p: 1, limit: 20 })
    })
  )

  it.effect("quick start lists up to 5 triggered incidents of the last 7 days", () =>
    Effect.gen(function* () {
      const { exit, output, requests } = yield* runExample(QuickStart.example)
      const items = successValue(exit)
      assert.isAbove(items.length, 0)
      assert.isAtMost(items.length, 5)
      for (const incident of items) assert.strictEqual(incident.progress, "Triggered")
      const [list] = requests
      const body = list?.body as Record<string, unknown>
      assert.strictEqual(body.progress, "Triggered")
      assert.strictEqual((body.end_time as number) - (body.start_time as number), 7 * DAY)
      assert.match(output[0] ?? "", /triggered incidents in the last 7 days/)
    })
  )

  it.effect("pagination counts every incident of the week across pages, and take(3) stops early", () =>
    Effect.gen(function* () {
      const { exit, incidents, requests } = yield* runExample(PaginationStream.example)
      const { total, bySeverity, critical } = successValue(exit)
      const inWindow = incidents.filter((i) => i.start_time >= nowSeconds - 7 * DAY)
      assert.strictEqual(total, inWindow.length)
      assert.strictEqual(
        bySeverity.Critical,
        inWindow.filter((i) => i.incident_severity === "Critical").length
      )
      assert.deepStrictEqual(
        critical.map((i) => i.incident_severity),
        ["Critical", "Critical", "Critical"]
      )
      const pages = Math.ceil(total / 25)
      const lists = requests.filter((r) => r.operationId === "incidentList")
      // The first stream read every page; the second stopped long before the last one.
      assert.isAbove(lists.length, pages)
      assert.isBelow(lists.length - pages, pages)
    })
  )

  it.effect("error handling turns NotFound, AccessDenied and a proxy page into answers", () =>
    Effect.gen(function* () {
      const { exit, output } = yield* runExample(ErrorHandling.example)
      const { incident, listing, byIds } = successValue(exit)
      assert.isTrue(Option.isNone(incident))
      assert.match(listing, /not allowed to list incidents \(HTTP 403\)/)
      assert.match(byIds, /a proxy answered HTTP 502/)
      assert.match(output[0] ?? "", /^1\. no such incident \(code ResourceNotFound, request \S+\)/)
    })
  )

  it.effect("retries follow the custom schedule through two 503s and a 429's Retry-After", () =>
    Effect.gen(function* () {
      const { exit, output, requests } = yield* runExample(Retries.example)
      assert.strictEqual(successValue(exit), 10)
      assert.deepStrictEqual(
        requests.map((r) => r.outcome),
        [503, 503, 429, 200]
      )
      assert.deepStrictEqual(
        output.filter((line) => line.includes("retrying")).map((line) => line.replace(/.*retrying in /, "")),
        ["100ms", "200ms", "1s"]
      )
    })
  )

  it.effect("rate limiting paces twelve requests at five per second, none refused", () =>
    Effect.gen(function* () {
      const { exit, requests } = yield* runExample(RateLimiting.example)
      assert.deepStrictEqual(successValue(exit), [5, 5, 2])
      assert.strictEqual(requests.length, 12)
      assert.isTrue(requests.every((r) => r.outcome === 200))
    })
  )

  it.effect("session export writes the whole transcript to a file, reporting progress", () =>
    Effect.gen(function* () {
      const { exit, output } = yield* runExample(SessionExport.example, {
        standIn: { transcript: { bytes: 1024 * 1024 } }
      })
      const written = successValue(exit)
      try {
        const text = readFileSync(written.path, "utf8")
        assert.strictEqual(Buffer.byteLength(text), written.bytesWritten)
        assert.isAtLeast(written.bytesWritten, 1024 * 1024)
        assert.strictEqual(JSON.parse(text.slice(0, text.indexOf("\n"))).type, "session_meta")
        assert.isAbove(written.toolCalls, 0)
        assert.isTrue(output.some((line) => /MiB written/.test(line)))
      } finally {
        rmSync(dirname(written.path), { recursive: true, force: true })
      }
    })
  )

  it.effect("access token: every call carries a valid bearer token though each lives 1 second", () =>
    Effect.gen(function* () {
      const { exit, output, requests } = yield* runExample(AccessToken.example)
      successValue(exit)
      assert.deepStrictEqual(
        requests.map((r) => [r.credential, r.outcome]),
        [
          ["bearer", 200],
          ["bearer", 200],
          ["bearer", 200]
        ]
      )
      assert.strictEqual(output.filter((line) => line.includes("issued token")).length, 3)
    })
  )

  it.effect("access token: without the refresh, the second call is refused", () =>
    Effect.gen(function* () {
      const { exit } = yield* runExample(AccessToken.example, {
        client: (standIn) =>
          Effect.gen(function* () {
            const issue = yield* AccessToken.identityProvider(standIn)
            const forever = yield* Effect.cached(issue) // never refreshed
            return { accessToken: Effect.map(forever, (token) => token.accessToken) }
          })
      })
      assert.isTrue(Exit.isFailure(exit))
      const error = Exit.isFailure(exit) ? Option.getOrUndefined(Exit.findErrorOption(exit)) : undefined
      assert.strictEqual((error as { _tag?: string } | undefined)?._tag, "Unauthorized")
    })
  )

  it.effect("workflow opens one incident for the alert, acknowledges it, and resolves the stale ones", () =>
    Effect.gen(function* () {
      const { exit, incidents, requests } = yield* runExample(IncidentWorkflow.example)
      const { incidentId, resolved } = successValue(exit)
      const byId = new Map(incidents.map((i) => [i.incident_id, i]))
      const opened = byId.get(incidentId)
      assert.strictEqual(opened?.title, "HighErrorRate on checkout-api")
      assert.strictEqual(opened?.progress, "Processing")
      assert.strictEqual(requests.filter((r) => r.operationId === "incidentCreate").length, 1)

      assert.isAbove(resolved.length, 100)
      for (const id of resolved) {
        assert.strictEqual(byId.get(id)?.progress, "Closed")
        assert.isBelow(byId.get(id)?.start_time ?? Number.POSITIVE_INFINITY, nowSeconds - 3 * DAY)
      }
      const stillOpen = incidents.filter((i) => i.progress !== "Closed")
      for (const incident of stillOpen) assert.isAtLeast(incident.start_time, nowSeconds - 3 * DAY)
      const batches = requests.filter((r) => r.operationId === "incidentResolve")
      assert.strictEqual(batches.length, Math.ceil(resolved.length / 100))
    })
  )

  it.effect("webhook receiver: in memory, the Critical incidents are acknowledged and commented once", () =>
    Effect.gen(function* () {
      const { exit, incidents, requests, output } = yield* runExample(WebhookReceiver.example, {
        program: WebhookReceiver.makeProgram(WebhookReceiver.inMemory)
      })
      const run = successValue(exit)
      const opened = requests.filter((r) => r.operationId === "incidentCreate").length
      assert.strictEqual(opened, 3)
      const byId = new Map(incidents.map((i) => [i.incident_id, i]))
      assert.strictEqual(run.acknowledged.length, 2)
      for (const id of run.acknowledged) {
        assert.strictEqual(byId.get(id)?.progress, "Processing")
        assert.strictEqual(byId.get(id)?.incident_severity, "Critical")
      }
      // Once each, though the first i_new was delivered twice.
      assert.strictEqual(requests.filter((r) => r.operationId === "incidentAck").length, 2)
      assert.strictEqual(requests.filter((r) => r.operationId === "incidentComment").length, 2)
      assert.strictEqual(run.deliveries, run.handled.length + 1)
      assert.deepStrictEqual([...run.handled].map((line) => line.split(" ")[0]).sort(), [
        "i_ack",
        "i_ack",
        "i_comm",
        "i_comm",
        "i_new",
        "i_new",
        "i_new"
      ])
      assert.isTrue(output.some((line) => /1 duplicate dropped/.test(line)))
    })
  )

  it.live("webhook receiver: over loopback, as `npm run examples` runs it", () =>
    Effect.gen(function* () {
      const result = yield* run(WebhookReceiver.example)
      assert.strictEqual(result.acknowledged.length, 2)
      assert.strictEqual(result.deliveries, result.handled.length + 1)
    })
  )

  it.live("an example runs over loopback HTTP as `npm run examples` runs it", () =>
    Effect.gen(function* () {
      const items = yield* run(QuickStart.example)
      assert.isAbove(items.length, 0)
    })
  )

  it("every example file is run by `npm run examples` and by this suite", () => {
    const dir = new URL("../../examples/", import.meta.url)
    const runner = readFileSync(new URL("all.ts", dir), "utf8")
    const suite = readFileSync(new URL(import.meta.url), "utf8")
    const examples = readdirSync(dir).filter(
      (file) =>
        file.endsWith(".ts") && !file.endsWith(".test.ts") && file !== "all.ts" && file !== "runtime.ts"
    )
    assert.isAtLeast(examples.length, 8)
    for (const file of examples) {
      const module = `./${file.replace(/\.ts$/, ".js")}`
      assert.include(runner, `from "${module}"`, `${file} is missing from examples/all.ts`)
      assert.include(suite, `examples/${file.replace(/\.ts$/, ".js")}`, `${file} has no test here`)
    }
  })
})
