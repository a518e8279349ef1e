import { Config, Effect, Layer } from "effect"
import { Flashduty, Webhooks } from "effect-flashduty"

export const WebhookRoute = Layer.unwrap(
  Effect.gen(function* () {
    const fd = yield* Flashduty
    return Webhooks.route("/webhooks/flashduty", {
      // Flashduty does not sign webhooks: add a custom header with a secret to the webhook.
      secret: { header: "X-Flashduty-Secret", value: yield* Config.Redacted("FLASHDUTY_WEBHOOK_SECRET") },
      handle: (event) => {
        switch (event.event_type) {
          case "i_new":
            return event.incident.incident_severity === "Critical"
              ? fd.incidents.ack({ incident_ids: [event.incident.incident_id] })
              : Effect.void
          case "unknown": // an event type newer than this SDK: event.raw is the body as sent
            return Effect.logInfo("new kind of Flashduty event", event.raw.event_type)
          default:
            return Effect.void
        }
      }
    })
  })
)

// Node: HttpRouter.serve(WebhookRoute) with NodeHttpServer.layer (@effect/platform-node);
// Bun, Deno, Workers: HttpRouter.toWebHandler(WebhookRoute) gives a (Request) => Promise<Response>.
