import { Effect, Layer, Redacted } from "effect"
import { Flashduty, Webhooks } from "effect-flashduty"
import { FlashdutyTest, WebhookFault } from "effect-flashduty/testing"

const secret = Redacted.make("test-secret")

export const program = Effect.gen(function* () {
  const fd = yield* Flashduty
  const test = yield* FlashdutyTest
  const seen: Array<string> = []
  const receiver = yield* Webhooks.makeReceiver({
    secret: { header: "X-Flashduty-Secret", value: secret },
    handle: (event) => Effect.sync(() => seen.push(event.event_type))
  })
  // In memory: the stand-in calls the handler, no socket.
  yield* test.setWebhookTarget({ handler: receiver.handler, headers: { "X-Flashduty-Secret": secret } })
  yield* test.addWebhookFault({ eventType: "i_new", fault: WebhookFault.duplicate() }) // or slowReceiver, unknownEventType
  yield* fd.incidents.create({ title: "disk full", incident_severity: "Critical" })
  yield* test.webhooksDelivered
  yield* receiver.drain
  // seen: ["i_new"], once though it came twice; test.webhookDeliveries: every attempt and its outcome
  return seen
}).pipe(
  Effect.scoped,
  Effect.provide(
    Flashduty.layer({ appKey: FlashdutyTest.appKey }).pipe(Layer.provideMerge(FlashdutyTest.layer()))
  )
)
