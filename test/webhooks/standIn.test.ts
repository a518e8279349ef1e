/**
 * The stand-in sends webhooks, and a receiver can be tested end to end without an account:
 *
 * - in memory (`FlashdutyTest`, the receiver's handler called with no socket, on `TestClock`):
 *   every state change of an incident posts the matching event in the documented shape, in order,
 *   with strictly increasing times; no change, no event; faults by rule (duplicate delivery, an
 *   unknown event type, a slow receiver that makes the delivery time out and be retried);
 * - over loopback (`FlashdutyStandIn.serve` posting to `FlashdutyStandIn.serveReceiver`, the SDK
 *   over `FetchHttpClient`), and from the command line (`--webhook-url`, headers from the
 *   environment, never printed).
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer, Redacted, Ref, Schema } from "effect"
import { FetchHttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import { Flashduty } from "../../src/generated/Flashduty.js"
import { FlashdutyStandIn } from "../../src/testing/FlashdutyStandIn.js"
import { FlashdutyTest } from "../../src/testing/FlashdutyTest.js"
import { WebhookFault } from "../../src/testing/WebhookFault.js"
import * as Webhooks from "../../src/webhooks/Webhooks.js"
import { fixture, SECRET, SECRET_HEADER, SECRET_TEXT } from "./support.js"

/** The virtual "now" of the in-memory tests (the stand-in dates its events from it). */
const testNow = Date.parse("2026-05-01T00:00:00Z")

/** Runs `effect` against a fresh in-memory stand-in (its own state), the clock set first. */
const withStandIn = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.andThen(
    TestClock.setTime(testNow),
    effect.pipe(
      Effect.provide(
        Flashduty.layer({ appKey: FlashdutyTest.appKey }).pipe(
          Layer.provideMerge(FlashdutyTest.layer({ incidents: { count: 0 } }))
        )
      )
    )
  )

const secret = { header: SECRET_HEADER, value: SECRET }
const headers = { [SECRET_HEADER]: SECRET }

/** A receiver recording what it handled, wired to the in-memory stand-in. */
const wiredReceiver = (options: Partial<Webhooks.ReceiverOptions<never, never>> = {}) =>
  Effect.gen(function* () {
    const test = yield* FlashdutyTest
    const handled = yield* Ref.make<ReadonlyArray<Webhooks.WebhookEvent>>([])
    const receiver = yield* Webhooks.makeReceiver({
      secret,
      handle: (event) => Ref.update(handled, (all) => [...all, event]),
      ...options
    })
    yield* test.setWebhookTarget({ handler: receiver.handler, headers })
    /** Waits until the stand-in delivered everything and the receiver handled it. */
    const settle = Effect.andThen(test.webhooksDelivered, receiver.drain)
    return { test, receiver, settle, handled: Ref.get(handled) }
  })

const incidentOf = (event: Webhooks.WebhookEvent | undefined) =>
  event !== undefined && "incident" in event ? event.incident : undefined

/** The fields the incident webhook's table marks as required. */
const documentedRequired = [
  "incident_id",
  "title",
  "incident_severity",
  "incident_status",
  "progress",
  "created_at",
  "updated_at",
  "start_time",
  "detail_url"
]

describe("the in-memory stand-in posts incident webhooks", () => {
  it.effect("every state change posts its event, in order, documented shape, strictly increasing times", () =>
    Effect.gen(function* () {
      const { test, settle, handled } = yield* wiredReceiver()
      const fd = yield* Flashduty
      const { data } = yield* fd.incidents.create({
        title: "Checkout 5xx above 5%",
        incident_severity: "Critical",
        assigned_to: { person_ids: [2476444212132] }
      })
      const id = data.incident_id!
      const ids = { incident_ids: [id] }
      yield* fd.incidents.assign({ incident_id: id, assigned_to: { person_ids: [2476444212133] } })
      yield* fd.incidents.responderAdd({ incident_id: id, person_ids: [2476444212131] })
      yield* fd.incidents.ack(ids)
      yield* fd.incidents.ack(ids) // no change: no event
      yield* fd.incidents.unack(ids)
      yield* fd.incidents.snooze({ ...ids, minutes: 30 })
      yield* fd.incidents.wake(ids)
      yield* fd.incidents.wake(ids) // no change
      yield* fd.incidents.comment({ ...ids, comment: "Rolling back the deploy" })
      yield* fd.incidents.reset({
        incident_id: id,
        title: "Checkout 5xx: bad deploy",
        incident_severity: "Warning"
      })
      yield* fd.incidents.customActionDo({ incident_id: id, integration_id: 2490562293131 })
      yield* fd.incidents.resolve({ ...ids, root_cause: "bad deploy" })
      yield* fd.incidents.reopen(ids)
      yield* settle

      const events = yield* handled
      assert.deepStrictEqual(
        events.map((e) => e.event_type),
        [
          "i_new",
          "i_assign",
          "i_assign",
          "i_a_rspd",
          "i_ack",
          "i_unack",
          "i_snooze",
          "i_wake",
          "i_comm",
          "i_r_title",
          "i_r_severity",
          "i_custom",
          "i_rslv",
          "i_reopen"
        ]
      )
      const times = events.map((e) => Webhooks.eventTimeOf(e)!)
      for (let i = 1; i < times.length; i++) assert.isAbove(times[i]!, times[i - 1]!)
      const eventIds = events.map((e) => (e.event_type === "unknown" ? "" : e.event_id))
      assert.isTrue(eventIds.every((eventId) => /^[0-9a-f]{32}$/.test(eventId)))
      assert.strictEqual(new Set(eventIds).size, eventIds.length)

      const byType = (type: string) => incidentOf(events.find((e) => e.event_type === type))
      assert.strictEqual(byType("i_new")?.progress, "Triggered")
      assert.strictEqual(byType("i_new")?.creator?.person_name, "Avery Operator")
      assert.strictEqual(byType("i_new")?.responders[0]?.person_name, "Blake Oncall")
      assert.deepStrictEqual(incidentOf(events[2])?.responder_ids, [2476444212133])
      assert.deepStrictEqual(byType("i_a_rspd")?.responder_ids, [2476444212133, 2476444212131])
      assert.strictEqual(byType("i_ack")?.progress, "Processing")
      assert.isFalse(byType("i_ack")?.ack_time?.isUnset)
      assert.strictEqual(byType("i_ack")?.ack_time?.unit, "seconds")
      assert.isFalse(byType("i_snooze")?.snoozed_before?.isUnset)
      assert.strictEqual(byType("i_r_title")?.title, "Checkout 5xx: bad deploy")
      assert.strictEqual(byType("i_r_severity")?.incident_severity, "Warning")
      assert.deepStrictEqual(byType("i_custom")?.alerts, [])
      assert.strictEqual(byType("i_rslv")?.progress, "Closed")
      assert.strictEqual(byType("i_rslv")?.closer?.email, "avery@standin.example")
      assert.strictEqual(byType("i_rslv")?.root_cause, "bad deploy")
      assert.strictEqual(byType("i_reopen")?.progress, "Triggered")
      for (const event of events) {
        assert.strictEqual(
          event.event_type === "unknown" ? undefined : event.person?.person_id,
          2476444212131
        )
      }

      const deliveries = yield* test.webhookDeliveries
      assert.strictEqual(deliveries.length, events.length)
      for (const delivery of deliveries) {
        assert.strictEqual(delivery.outcome, 200)
        assert.strictEqual(delivery.incidentId, id)
        const body = delivery.body as Record<string, any>
        assert.includeMembers(Object.keys(body), [
          "event_id",
          "event_time",
          "event_type",
          "person",
          "incident"
        ])
        assert.includeMembers(Object.keys(body.incident), documentedRequired)
        assert.isAbove(body.event_time, 1e12, "event_time is in milliseconds")
        assert.isBelow(body.incident.updated_at, 1e11, "incident times are in seconds")
        assert.notInclude(JSON.stringify(delivery), SECRET_TEXT, "no header is recorded")
      }
      assert.deepStrictEqual(
        (yield* test.comments).map((c) => [c.incident_id, c.comment]),
        [[id, "Rolling back the deploy"]]
      )
    }).pipe(withStandIn)
  )

  it.effect("without a target nothing is queued; a target set later gets only what happens later", () =>
    Effect.gen(function* () {
      const test = yield* FlashdutyTest
      const fd = yield* Flashduty
      yield* fd.incidents.create({ title: "before", incident_severity: "Info" })
      yield* test.webhooksDelivered
      const { settle, handled } = yield* wiredReceiver()
      yield* fd.incidents.create({ title: "after", incident_severity: "Info" })
      yield* settle
      assert.deepStrictEqual(
        (yield* handled).map((e) => incidentOf(e)?.title),
        ["after"]
      )
      yield* test.setWebhookTarget(undefined)
      yield* fd.incidents.create({ title: "unset again", incident_severity: "Info" })
      yield* settle
      assert.strictEqual((yield* handled).length, 1)
    }).pipe(withStandIn)
  )

  it.effect("sendWebhook: any body through the same deliveries (the documented alert example)", () =>
    Effect.gen(function* () {
      const { test, settle, handled } = yield* wiredReceiver()
      yield* test.sendWebhook(fixture("alert-a_merge"))
      yield* settle
      const [event] = yield* handled
      assert.strictEqual(event?.event_type, "a_merge")
    }).pipe(withStandIn)
  )

  it.effect("a refusing receiver (wrong secret) is recorded with its status, not retried", () =>
    Effect.gen(function* () {
      const { test, settle, handled, receiver } = yield* wiredReceiver()
      yield* test.setWebhookTarget({ handler: receiver.handler, headers: { [SECRET_HEADER]: "wrong" } })
      yield* (yield* Flashduty).incidents.create({ title: "x", incident_severity: "Info" })
      yield* settle
      assert.deepStrictEqual(
        (yield* test.webhookDeliveries).map((d) => [d.attempt, d.outcome]),
        [[1, 401]]
      )
      assert.strictEqual((yield* handled).length, 0)
    }).pipe(withStandIn)
  )
})

describe("webhook faults by rule", () => {
  it.effect("duplicate delivery: the copies arrive together, the receiver processes the event once", () =>
    Effect.gen(function* () {
      const { test, settle, handled } = yield* wiredReceiver()
      yield* test.addWebhookFault({ eventType: "i_new", fault: WebhookFault.duplicate(3) })
      yield* (yield* Flashduty).incidents.create({ title: "twice", incident_severity: "Critical" })
      yield* settle
      const deliveries = yield* test.webhookDeliveries
      assert.deepStrictEqual(deliveries.map((d) => d.copy).sort(), [0, 1, 2, 3])
      assert.strictEqual(new Set(deliveries.map((d) => d.eventId)).size, 1)
      assert.isTrue(deliveries.every((d) => d.outcome === 200))
      assert.strictEqual((yield* handled).length, 1)
    }).pipe(withStandIn)
  )

  it.effect(
    "unknown event type: the receiver answers 200 and hands over an unknown event with the raw body",
    () =>
      Effect.gen(function* () {
        const { test, settle, handled } = yield* wiredReceiver()
        yield* test.addWebhookFault({ times: 1, fault: WebhookFault.unknownEventType("i_postmortem_done") })
        yield* (yield* Flashduty).incidents.create({ title: "renamed", incident_severity: "Info" })
        yield* settle
        const [event] = yield* handled
        assert.strictEqual(event?.event_type, "unknown")
        if (event?.event_type !== "unknown") return
        assert.strictEqual(event.raw.event_type, "i_postmortem_done")
        assert.strictEqual((event.raw.incident as { title?: string }).title, "renamed")
        assert.strictEqual((yield* test.webhookDeliveries)[0]?.outcome, 200)
      }).pipe(withStandIn)
  )

  it.effect(
    "slow receiver: the attempt times out (2 s), is retried with the same event_id, processed once",
    () =>
      Effect.gen(function* () {
        const { test, settle, handled } = yield* wiredReceiver()
        yield* test.addWebhookFault({
          eventType: "i_new",
          times: 1,
          fault: WebhookFault.slowReceiver("3 seconds")
        })
        yield* (yield* Flashduty).incidents.create({ title: "slow", incident_severity: "Warning" })
        const waiting = yield* Effect.forkChild(settle)
        yield* TestClock.adjust("1999 millis")
        assert.isUndefined(waiting.pollUnsafe(), "still in the first attempt")
        yield* TestClock.adjust("10 seconds")
        yield* Fiber.join(waiting)
        const deliveries = yield* test.webhookDeliveries
        assert.deepStrictEqual(
          deliveries.map((d) => [d.attempt, d.outcome]),
          [
            [1, "timeout"],
            [2, 200]
          ]
        )
        assert.strictEqual(deliveries[0]?.eventId, deliveries[1]?.eventId)
        assert.strictEqual((yield* handled).length, 1, "the receiver saw it twice, processed it once")
      }).pipe(withStandIn)
  )

  it.effect("a custom action's deliveries time out after 1 second, incident events' after 2", () =>
    Effect.gen(function* () {
      const { test, settle } = yield* wiredReceiver()
      yield* test.addWebhookFault({ times: 2, fault: WebhookFault.slowReceiver("1500 millis") })
      const fd = yield* Flashduty
      const { data } = yield* fd.incidents.create({ title: "actions", incident_severity: "Info" })
      yield* fd.incidents.customActionDo({ incident_id: data.incident_id!, integration_id: 1 })
      const waiting = yield* Effect.forkChild(settle)
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(waiting)
      assert.deepStrictEqual(
        (yield* test.webhookDeliveries).map((d) => [d.eventType, d.attempt, d.outcome]),
        [
          ["i_new", 1, 200],
          ["i_custom", 1, "timeout"],
          ["i_custom", 2, 200]
        ]
      )
    }).pipe(withStandIn)
  )

  // Each run on a stand-in of its own, one after the other (not nested: `Flashduty.layer` shares
  // its service layer, so a nested build would reuse the outer client).
  const duplicatedAtRandom = Effect.gen(function* () {
    const { test, settle } = yield* wiredReceiver()
    yield* test.addWebhookFault({ probability: 0.5, fault: WebhookFault.duplicate() })
    const fd = yield* Flashduty
    for (let i = 0; i < 12; i++) yield* fd.incidents.create({ title: `n${i}`, incident_severity: "Info" })
    yield* settle
    return (yield* test.webhookDeliveries).filter((d) => d.copy === 1).map((d) => String(d.eventId))
  }).pipe(withStandIn)

  it.effect("probabilities are drawn from the seeded generator: a run replays", () =>
    Effect.gen(function* () {
      const first = yield* duplicatedAtRandom
      const second = yield* duplicatedAtRandom
      assert.isAbove(first.length, 0)
      assert.isBelow(first.length, 12)
      assert.deepStrictEqual(second, first)
    })
  )

  it.effect(
    "rules match by event type and incident, let the first through (skip), fire a number of times",
    () =>
      Effect.gen(function* () {
        const { test, settle } = yield* wiredReceiver()
        yield* test.addWebhookFault({
          eventType: "i_new",
          skip: 1,
          times: 1,
          fault: WebhookFault.duplicate()
        })
        const fd = yield* Flashduty
        const ids: Array<string> = []
        for (let i = 0; i < 3; i++)
          ids.push(
            (yield* fd.incidents.create({ title: `m${i}`, incident_severity: "Info" })).data.incident_id!
          )
        yield* settle // rules apply when an event is delivered
        yield* test.addWebhookFault({ incidentId: ids[2]!, fault: WebhookFault.duplicate() })
        yield* fd.incidents.ack({ incident_ids: ids })
        yield* settle
        const copies = (yield* test.webhookDeliveries).filter((d) => d.copy === 1)
        assert.deepStrictEqual(
          copies.map((d) => [d.eventType, d.incidentId]),
          [
            ["i_new", ids[1]],
            ["i_ack", ids[2]]
          ]
        )
        yield* test.clearWebhookFaults
        yield* test.clearWebhookDeliveries
        yield* fd.incidents.resolve({ incident_ids: ids })
        yield* settle
        assert.isTrue((yield* test.webhookDeliveries).every((d) => d.copy === 0))
      }).pipe(withStandIn)
  )
})

/** A port nothing listens on. */
const closedPort = Effect.promise(
  () =>
    new Promise<number>((resolve) => {
      const server = Http.createServer()
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        server.close(() => resolve(port))
      })
    })
)

describe("over loopback", () => {
  it.live(
    "the loopback stand-in posts to a receiver served on loopback; the receiver calls the SDK back",
    () =>
      Effect.gen(function* () {
        const acked = yield* Deferred.make<string>()
        const types = yield* Ref.make<ReadonlyArray<string>>([])
        const standIn = yield* FlashdutyStandIn.serve({ port: 0, incidents: { count: 0 } })
        const client = Flashduty.layer({ baseUrl: standIn.url, appKey: yield* standIn.control.appKey }).pipe(
          Layer.provide(FetchHttpClient.layer)
        )
        const context = yield* Layer.build(client)
        const receiver = yield* Webhooks.makeReceiver({
          secret,
          allowedSources: ["127.0.0.1", "::1"],
          handle: (event) =>
            Effect.gen(function* () {
              yield* Ref.update(types, (all) => [...all, event.event_type])
              if (event.event_type !== "i_new" || event.incident.incident_severity !== "Critical") return
              const fd = yield* Flashduty
              yield* fd.incidents.ack({ incident_ids: [event.incident.incident_id] })
              yield* Deferred.succeed(acked, event.incident.incident_id)
            })
        }).pipe(Effect.provideContext(context))
        const { url } = yield* FlashdutyStandIn.serveReceiver(receiver.handler)
        yield* standIn.control.setWebhookTarget({ url: `${url}/hook`, headers })

        const fd = yield* Effect.provideContext(Effect.service(Flashduty), context)
        const { data } = yield* fd.incidents.create({ title: "over the wire", incident_severity: "Critical" })
        assert.strictEqual(yield* Deferred.await(acked), data.incident_id)
        yield* standIn.control.webhooksDelivered
        yield* receiver.drain
        yield* standIn.control.webhooksDelivered
        assert.deepStrictEqual(yield* Ref.get(types), ["i_new", "i_ack"])
        const [incident] = (yield* standIn.control.incidents).filter(
          (i) => i.incident_id === data.incident_id
        )
        assert.strictEqual(incident?.progress, "Processing")
        assert.isTrue((yield* standIn.control.webhookDeliveries).every((d) => d.outcome === 200))
      })
  )

  it.live("over a real socket, refusals are answers (not cut connections): 413, 401, 400", () =>
    Effect.gen(function* () {
      const runs = yield* Ref.make(0)
      const receiver = yield* Webhooks.makeReceiver({
        secret,
        maxBodyBytes: 64 * 1024,
        handle: () => Ref.update(runs, (n) => n + 1)
      })
      const { url } = yield* FlashdutyStandIn.serveReceiver(receiver.handler)
      const post = (body: BodyInit, extra: Record<string, string> = {}, stream = false) =>
        Effect.promise(() =>
          fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json", ...extra },
            body: stream
              ? new ReadableStream({
                  start(controller) {
                    controller.enqueue(new TextEncoder().encode(String(body)))
                    controller.close()
                  }
                })
              : body,
            duplex: "half"
          } as RequestInit).then(
            (response) => response.status,
            (error) => `failed: ${String(error)}`
          )
        )
      const big = "x".repeat(5 * 1024 * 1024)
      assert.strictEqual(yield* post(big, { [SECRET_HEADER]: SECRET_TEXT }), 413)
      assert.strictEqual(yield* post(big, { [SECRET_HEADER]: SECRET_TEXT }, true), 413, "no content-length")
      assert.strictEqual(yield* post(big), 401)
      assert.strictEqual(yield* post("{not json", { [SECRET_HEADER]: SECRET_TEXT }), 400)
      assert.strictEqual(
        yield* post(JSON.stringify(fixture("incident-i_new")), { [SECRET_HEADER]: SECRET_TEXT }),
        200
      )
      yield* receiver.drain
      assert.strictEqual(yield* Ref.get(runs), 1)
    })
  )

  it.live("a receiver that cannot be reached: the delivery is retried once, then given up", () =>
    Effect.gen(function* () {
      const port = yield* closedPort
      const standIn = yield* FlashdutyStandIn.serve({
        port: 0,
        webhook: { url: `http://127.0.0.1:${port}/hook`, timeout: "5 seconds" }
      })
      yield* standIn.control.sendWebhook(fixture("incident-i_new"))
      yield* standIn.control.webhooksDelivered
      assert.deepStrictEqual(
        (yield* standIn.control.webhookDeliveries).map((d) => [d.attempt, d.outcome]),
        [
          [1, "connectionError"],
          [2, "connectionError"]
        ]
      )
    })
  )

  it.live("effect-flashduty-standin --webhook-url: headers from the environment, never printed", () =>
    Effect.gen(function* () {
      const received = yield* Deferred.make<Webhooks.WebhookEvent>()
      const receiver = yield* Webhooks.makeReceiver({
        secret,
        handle: (event) => Deferred.succeed(received, event)
      })
      const { url: receiverUrl } = yield* FlashdutyStandIn.serveReceiver(receiver.handler)
      const bin = fileURLToPath(new URL("../../bin/effect-flashduty-standin.js", import.meta.url))
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        FLASHDUTY_STANDIN_WEBHOOK_HEADERS: `${SECRET_HEADER}: ${SECRET_TEXT}`
      }
      delete env.FLASHDUTY_STANDIN_APP_KEY
      const child: ChildProcess = yield* Effect.acquireRelease(
        Effect.sync(() =>
          spawn(
            process.execPath,
            [bin, "--port", "0", "--incidents", "0", "--webhook-url", `${receiverUrl}/hook?x=1`],
            {
              stdio: ["ignore", "pipe", "pipe"],
              env
            }
          )
        ),
        (child) => Effect.sync(() => child.kill("SIGTERM"))
      )
      let output = ""
      child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()))
      child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()))
      const standInUrl = yield* Effect.callback<string, Error>((resume) => {
        child.stdout?.on("data", () => {
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
          if (match?.[1] !== undefined && output.includes("webhooks to")) resume(Effect.succeed(match[1]))
        })
        child.once("exit", (code) => resume(Effect.fail(new Error(`exited (${code}): ${output}`))))
      })
      const created = yield* Effect.promise(() =>
        fetch(`${standInUrl}/incident/create?app_key=standin-app-key`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ title: "from the command line", incident_severity: "Warning" })
        })
      )
      assert.strictEqual(created.status, 200)
      const event = yield* Deferred.await(received)
      assert.strictEqual(incidentOf(event)?.title, "from the command line")
      assert.include(output, `webhooks to ${receiverUrl}/hook\n`)
      assert.notInclude(output, "x=1")
      assert.notInclude(output, SECRET_TEXT)
    })
  )
})

describe("effect-flashduty-standin's webhook options refuse what cannot work", () => {
  const bin = fileURLToPath(new URL("../../bin/effect-flashduty-standin.js", import.meta.url))
  const runToExit = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
    Effect.callback<{ code: number | null; output: string }>((resume) => {
      const child = spawn(process.execPath, [bin, "--port", "0", ...args], {
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, ...env }
      })
      let output = ""
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()))
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()))
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000)
      child.once("exit", (code) => {
        clearTimeout(timer)
        resume(Effect.succeed({ code, output }))
      })
    })

  it.live(
    "a header line without a name, a URL that is not http(s), headers without a URL: exit 2, no value shown",
    () =>
      Effect.gen(function* () {
        const cases: ReadonlyArray<readonly [ReadonlyArray<string>, Record<string, string>, RegExp]> = [
          [
            ["--webhook-url", "http://127.0.0.1:9/h", "--webhook-header", `no-colon-${SECRET_TEXT}`],
            {},
            /Name: value/
          ],
          [["--webhook-url", `ftp://127.0.0.1/${SECRET_TEXT}`], {}, /http:\/\/ or https:\/\//],
          [[], { FLASHDUTY_STANDIN_WEBHOOK_HEADERS: `X-Secret: ${SECRET_TEXT}` }, /need --webhook-url/]
        ]
        for (const [args, env, message] of cases) {
          const { code, output } = yield* runToExit(args, env)
          assert.strictEqual(code, 2, output)
          assert.match(output, message)
          assert.notInclude(output, SECRET_TEXT)
        }
      })
  )
})

describe("the stand-in's bodies decode with the SDK's own schemas", () => {
  it.effect(
    "each posted body is a WebhookEvent of its type (the receiver's view and the raw body agree)",
    () =>
      Effect.gen(function* () {
        const { test, settle } = yield* wiredReceiver()
        const fd = yield* Flashduty
        const { data } = yield* fd.incidents.create({ title: "shape", incident_severity: "Critical" })
        yield* fd.incidents.resolve({ incident_ids: [data.incident_id!] })
        yield* settle
        for (const delivery of yield* test.webhookDeliveries) {
          const event = Schema.decodeUnknownSync(Webhooks.WebhookEvent)(delivery.body)
          assert.strictEqual(event.event_type, delivery.eventType)
          assert.strictEqual(Redacted.isRedacted(SECRET), true)
        }
      }).pipe(withStandIn)
  )
})
