/**
 * "The latest `event_time` per incident wins": Flashduty pushes the events of one incident in
 * order, but a retry can overtake a later event, and each push carries the incident's latest
 * complete state. A receiver that mirrors that state can therefore drop an event older than one it
 * has already taken for the same incident (or alert), as Flashduty's docs suggest.
 *
 * Not for a receiver that reacts to each kind of event: an `i_new` arriving after its `i_assign`
 * (a retry) would be dropped. In this process's memory, bounded; replicas each keep their own.
 */
import * as Effect from "effect/Effect"
import type { ConfigurationError } from "../FlashdutyOptions.js"
import { checkCapacity } from "./DedupStore.js"
import { eventTimeOf, subjectOf, type WebhookEvent } from "./WebhookEvent.js"

/** Keeps the latest `event_time` seen per incident and per alert. */
export interface LatestWins {
  /**
   * `true` when `event` is not older than the latest event taken for its incident (or alert), and
   * records it; `false` when a later one was taken already. An event that names no incident or
   * alert, or has no `event_time`, is always taken. Atomic under concurrent deliveries.
   */
  readonly admit: (event: WebhookEvent) => Effect.Effect<boolean>
}

export interface LatestWinsOptions {
  /** How many incidents and alerts it remembers (the least recently seen go first); default 10,000. */
  readonly capacity?: number
}

/**
 * An ordering guard in this process's memory.
 *
 * @example
 * ```ts
 * const latest = yield* Webhooks.makeLatestWins()
 * const receiver = yield* Webhooks.makeReceiver({ handle: syncIncident, secret, latestWins: latest })
 * // or, in a handler of your own: if (yield* latest.admit(event)) { … }
 * ```
 */
export const makeLatestWins = (
  options: LatestWinsOptions = {}
): Effect.Effect<LatestWins, ConfigurationError> =>
  Effect.gen(function* () {
    const capacity = yield* Effect.fromResult(checkCapacity(options.capacity, "capacity"))
    const latest = new Map<string, number>()
    const admit = (event: WebhookEvent): boolean => {
      const subject = subjectOf(event)
      const time = eventTimeOf(event)
      if (subject === undefined || time === undefined) return true
      const key = `${subject.kind}:${subject.id}`
      const seen = latest.get(key)
      if (seen !== undefined && time < seen) return false
      latest.delete(key)
      latest.set(key, Math.max(time, seen ?? time))
      for (const oldest of latest.keys()) {
        if (latest.size <= capacity) break
        latest.delete(oldest)
      }
      return true
    }
    return { admit: (event) => Effect.sync(() => admit(event)) } satisfies LatestWins
  })
