import { Config, Effect } from "effect"
import { Webhooks } from "effect-flashduty"

// Needs Effect's `Redis` service: provide your Redis client's layer (and a Scope).
export const receiver = Effect.gen(function* () {
  const dedup = yield* Webhooks.redisStore({ prefix: "my-app:flashduty:" })
  return yield* Webhooks.makeReceiver({
    secret: { header: "X-Flashduty-Secret", value: yield* Config.Redacted("FLASHDUTY_WEBHOOK_SECRET") },
    handle: (event) => Effect.logInfo(`flashduty ${event.event_type}`),
    dedup
  })
})
