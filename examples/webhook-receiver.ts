/**
 * Receiving Flashduty's webhooks: a receiver on loopback that, when a Critical incident is
 * created (`i_new`), acknowledges it through the SDK and comments on it.
 *
 * The receiver is `Webhooks.makeReceiver`: an `effect/http` handler that checks the shared secret
 * (a custom header of the webhook, compared in constant time), decodes the event, drops a second
 * delivery of the same `event_id`, answers 200 at once and runs the handler in the background.
 * Here the stand-in plays Flashduty: the example points its incident webhook at the receiver (what
 * you would configure in the console), creates incidents through the SDK, and the stand-in posts
 * `i_new`, then `i_ack` and `i_comm` for what the receiver did. One `i_new` is delivered twice (a
 * webhook fault, as a retry after a timeout would): the receiver acts on it once.
 *
 *   npx tsx examples/webhook-receiver.ts
 *
 * Flashduty cannot reach a receiver on your machine, so against the real API (`FLASHDUTY_APP_KEY`
 * set) this example only explains what to deploy; see the README's "Receiving webhooks".
 */
import { Console, Effect, Option, Redacted, Ref, type Scope } from "effect"
import { Flashduty, Webhooks } from "effect-flashduty"
import {
  FlashdutyStandIn,
  FlashdutyTest,
  type ReceiverHandler,
  WebhookFault,
  type WebhookTarget
} from "effect-flashduty/testing"
import { defineExample, runMain } from "./runtime.js"

/** How the stand-in reaches the receiver: a URL on loopback, or (in the tests) the handler itself. */
export type ServeReceiver = (handler: ReceiverHandler) => Effect.Effect<WebhookTarget, Error, Scope.Scope>

/** A real HTTP server on 127.0.0.1 (what `npm run examples` uses). */
export const overLoopback: ServeReceiver = (handler) =>
  Effect.map(FlashdutyStandIn.serveReceiver(handler), ({ url }) => ({ url: `${url}/webhooks/flashduty` }))

/** No socket: the stand-in calls the handler (the in-memory `FlashdutyTest`). */
export const inMemory: ServeReceiver = (handler) => Effect.succeed({ handler })

/** The incidents the example opens. */
const incidents = [
  { title: "Checkout 5xx ratio above 5%", incident_severity: "Critical" },
  { title: "Disk 85% full on worker-07", incident_severity: "Warning" },
  { title: "Primary database unreachable", incident_severity: "Critical" }
] as const

export interface WebhookRun {
  /** Every event the handler ran for: `event_type` and incident title. */
  readonly handled: ReadonlyArray<string>
  /** The incidents the receiver acknowledged. */
  readonly acknowledged: ReadonlyArray<string>
  /** How many POSTs the stand-in made. */
  readonly deliveries: number
}

export const makeProgram = (serve: ServeReceiver) =>
  Effect.gen(function* () {
    const standIn = yield* Effect.serviceOption(FlashdutyTest)
    if (Option.isNone(standIn)) {
      yield* Console.log(
        "Flashduty cannot post to a receiver on this machine: deploy one (see the README's " +
          '"Receiving webhooks"), add an incident webhook pointing at it with a secret header, and run this ' +
          "example without FLASHDUTY_APP_KEY to watch it against the stand-in."
      )
      return { handled: [], acknowledged: [], deliveries: 0 } satisfies WebhookRun
    }
    const control = standIn.value
    const fd = yield* Flashduty
    // In an application: Config.redacted("FLASHDUTY_WEBHOOK_SECRET"), the value set on the webhook.
    const secret = Redacted.make("example-webhook-secret-3f9a1c")
    const handled = yield* Ref.make<ReadonlyArray<string>>([])
    const acknowledged = yield* Ref.make<ReadonlyArray<string>>([])

    const receiver = yield* Webhooks.makeReceiver({
      secret: { header: "X-Flashduty-Secret", value: secret },
      handle: (event) =>
        Effect.gen(function* () {
          if (event.event_type === "unknown" || !("incident" in event)) return
          const { incident } = event
          yield* Ref.update(handled, (all) => [...all, `${event.event_type} ${incident.title}`])
          if (event.event_type !== "i_new" || incident.incident_severity !== "Critical") return
          const id = incident.incident_id
          if (id === "") return
          yield* fd.incidents.ack({ incident_ids: [id] })
          yield* fd.incidents.comment({
            incident_ids: [id],
            comment: "Acknowledged by the webhook receiver: the on-call runbook is running."
          })
          yield* Ref.update(acknowledged, (all) => [...all, id])
          yield* Console.log(`  receiver: "${incident.title}" is Critical: acknowledged and commented`)
        })
    })
    const target = yield* serve(receiver.handler)
    if ("url" in target) yield* Console.log(`receiver listening on ${target.url}`)

    // What you would configure in Flashduty's console: the endpoint and a secret custom header.
    yield* control.setWebhookTarget({ ...target, headers: { "X-Flashduty-Secret": secret } })
    // The first i_new arrives twice, as it would after a timed-out attempt.
    yield* control.addWebhookFault({ eventType: "i_new", times: 1, fault: WebhookFault.duplicate() })

    for (const incident of incidents) {
      const { data } = yield* fd.incidents.create(incident)
      yield* Console.log(
        `opened ${incident.incident_severity} incident ${data.incident_id} "${incident.title}"`
      )
    }

    // Wait until it is quiet: the deliveries, the handlers, then the events their actions caused.
    let posted = -1
    while (posted !== (yield* control.webhookDeliveries).length) {
      posted = (yield* control.webhookDeliveries).length
      yield* control.webhooksDelivered
      yield* receiver.drain
    }

    const deliveries = yield* control.webhookDeliveries
    const events = yield* Ref.get(handled)
    yield* Console.log(
      `the stand-in posted ${deliveries.length} webhooks; the receiver handled ${events.length} events ` +
        `(${deliveries.length - events.length} duplicate dropped): ${events.map((e) => e.split(" ")[0]).join(", ")}`
    )
    const acked = yield* Ref.get(acknowledged)
    for (const id of acked) {
      const { data } = yield* fd.incidents.info({ incident_id: id })
      const comments = (yield* control.comments).filter((c) => c.incident_id === id)
      yield* Console.log(
        `incident ${id}: ${data.progress}, ${comments.length} comment: "${comments[0]?.comment}"`
      )
    }
    return { handled: events, acknowledged: acked, deliveries: deliveries.length } satisfies WebhookRun
  }).pipe(Effect.scoped)

export const program = makeProgram(overLoopback)

export const example = defineExample({
  title: "Receiving webhooks: acknowledge and comment on Critical incidents as they open",
  program,
  writes: true,
  standIn: { incidents: { count: 5 } }
})

runMain(example, import.meta.url)
