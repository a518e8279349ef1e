/**
 * Faults of the stand-in's webhook deliveries, by rule: what a receiver must survive from
 * Flashduty's side. A rule matches events by type and/or incident, may let the first ones through
 * (`skip`), fire a limited number of `times`, and fire with a `probability` drawn from the
 * stand-in's seeded generator (so a flaky run replays). Every rule that fires for an event applies.
 *
 * @example
 * ```ts
 * import { WebhookFault } from "effect-flashduty/testing"
 *
 * yield* test.addWebhookFault({ eventType: "i_new", times: 1, fault: WebhookFault.duplicate(2) })
 * yield* test.addWebhookFault({ probability: 0.1, fault: WebhookFault.slowReceiver("3 seconds") })
 * ```
 */
import type * as Duration from "effect/Duration"
import type * as Random from "effect/Random"

/**
 * The receiver's answer reaches the stand-in `delay` late (a slow receiver or network), on the
 * first attempt. Beyond the delivery timeout (2 seconds, 1 for `i_custom`) the attempt counts as
 * timed out and is retried once, as Flashduty does: the receiver has the event twice.
 */
export interface SlowReceiverFault {
  readonly _tag: "SlowReceiver"
  readonly delay: Duration.Input
}

/** The event is sent `copies` more times, concurrently with the first (the same `event_id`). */
export interface DuplicateFault {
  readonly _tag: "Duplicate"
  readonly copies: number
}

/** The event goes out with an `event_type` the receiver does not know (default `i_standin_unknown`). */
export interface UnknownEventTypeFault {
  readonly _tag: "UnknownEventType"
  readonly eventType: string
}

export type WebhookFault = SlowReceiverFault | DuplicateFault | UnknownEventTypeFault

/** Constructors for {@link WebhookFault}s. */
export const WebhookFault = {
  slowReceiver: (delay: Duration.Input): WebhookFault => ({ _tag: "SlowReceiver", delay }),
  duplicate: (copies = 1): WebhookFault => ({ _tag: "Duplicate", copies }),
  unknownEventType: (eventType = "i_standin_unknown"): WebhookFault => ({
    _tag: "UnknownEventType",
    eventType
  })
}

/** When a {@link WebhookFault} applies. Omitted matchers match every event. */
export interface WebhookFaultRule {
  /** The event's type before any fault (`i_new`, …). */
  readonly eventType?: string | ReadonlyArray<string>
  readonly incidentId?: string
  /** Let this many matching events through before the rule may fire. */
  readonly skip?: number
  /** Fire at most this many times; default: always. */
  readonly times?: number
  /** Chance (0..1) that a matching event gets the fault; default 1. */
  readonly probability?: number
  readonly fault: WebhookFault
}

interface LiveRule {
  readonly rule: WebhookFaultRule
  matched: number
  fired: number
}

/** The live webhook fault rules with their counters; deterministic for a seed and an event order. */
export class WebhookFaultRuleSet {
  private rules: Array<LiveRule> = []

  constructor(
    private readonly random: Random.Random,
    initial: ReadonlyArray<WebhookFaultRule> = []
  ) {
    for (const rule of initial) this.add(rule)
  }

  add(rule: WebhookFaultRule): void {
    this.rules.push({ rule, matched: 0, fired: 0 })
  }

  clear(): void {
    this.rules = []
  }

  /** The faults of every rule that fires for this event, in the order the rules were added. */
  decide(eventType: string, incidentId: string | undefined): ReadonlyArray<WebhookFault> {
    const faults: Array<WebhookFault> = []
    for (const live of this.rules) {
      const { rule } = live
      if (rule.eventType !== undefined) {
        const types = typeof rule.eventType === "string" ? [rule.eventType] : rule.eventType
        if (!types.includes(eventType)) continue
      }
      if (rule.incidentId !== undefined && rule.incidentId !== incidentId) continue
      live.matched++
      if (live.matched <= (rule.skip ?? 0)) continue
      if (rule.times !== undefined && live.fired >= rule.times) continue
      const probability = rule.probability ?? 1
      if (probability < 1 && this.random.nextDoubleUnsafe() >= probability) continue
      live.fired++
      faults.push(rule.fault)
    }
    return faults
  }
}
