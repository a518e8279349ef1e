/**
 * The stand-in's webhook deliveries, the way Flashduty makes them: one `POST` per event with a
 * JSON body and the configured headers, the events in the order they happened, one at a time; an
 * attempt that times out (2 seconds, 1 second for a custom action) or whose connection fails is
 * retried once, with the same body (so a receiver that answered late gets the event twice); the
 * HTTP status is recorded but never retried. Faults by rule (`WebhookFault.ts`) make receivers
 * slow, duplicate events, or rename their type.
 *
 * A target is a URL (the loopback stand-in, or any receiver a test runs) or, in memory, the
 * receiver's `effect/http` handler itself, called with an `HttpServerRequest` and no socket.
 * Waits (timeouts, slow receivers) run on Effect's `Clock`, so `TestClock` drives them.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as HttpServerRequest from "effect/http/HttpServerRequest"
import type * as HttpServerResponse from "effect/http/HttpServerResponse"
import * as Latch from "effect/Latch"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import type * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { type WebhookFault, type WebhookFaultRule, WebhookFaultRuleSet } from "./WebhookFault.js"

/** Headers sent with every delivery; a `Redacted` value (a shared secret) is never recorded or printed. */
export type WebhookHeaders = Readonly<Record<string, string | Redacted.Redacted<string>>>

interface TargetOptions {
  /** Sent with every delivery, as the custom headers of a Flashduty webhook (a shared secret). */
  readonly headers?: WebhookHeaders
  /**
   * How long an attempt may take before it is retried; default as Flashduty: 2 seconds, 1 second
   * for a custom action (`i_custom`).
   */
  readonly timeout?: Duration.Input
}

/** Deliveries over HTTP to `url` (`http://127.0.0.1:8080/webhooks/flashduty`). */
export interface WebhookUrlTarget extends TargetOptions {
  readonly url: string
}

/** Deliveries in memory, straight to a receiver's handler (e.g. `Webhooks.makeReceiver(…).handler`). */
export interface WebhookHandlerTarget extends TargetOptions {
  readonly handler: Effect.Effect<
    HttpServerResponse.HttpServerResponse,
    unknown,
    HttpServerRequest.HttpServerRequest | Scope.Scope
  >
  /** The source address the handler sees (`remoteAddress`); default `127.0.0.1`. */
  readonly remoteAddress?: string
  /** The request's path; default `/webhook`. */
  readonly path?: string
}

/** Where the stand-in posts its webhooks. */
export type WebhookTarget = WebhookUrlTarget | WebhookHandlerTarget

/** One attempt to deliver one event. */
export interface WebhookDeliveryRecord {
  /** The body's `event_id` (the same for a retry and for a duplicate fault's copies). */
  readonly eventId: string | undefined
  /** The `event_type` as sent (an `UnknownEventType` fault renames it). */
  readonly eventType: string
  readonly incidentId: string | undefined
  /** `0` for the event itself, `1`, `2`, … for the copies a `Duplicate` fault sends. */
  readonly copy: number
  /** `1`, or `2` for the retry after a timeout or a failed connection. */
  readonly attempt: number
  /** The receiver's HTTP status, or what went wrong (the attempt is then retried once). */
  readonly outcome: number | "timeout" | "connectionError"
  /** When the attempt started (epoch milliseconds, Effect's `Clock`). */
  readonly sentAt: number
  /** The body as sent. */
  readonly body: unknown
}

/** The deliveries' state, owned by a stand-in engine. */
export interface WebhookDeliverer {
  /** Queues one event's body for the current target (none: dropped, as Flashduty without a webhook). */
  readonly enqueue: (payload: Readonly<Record<string, unknown>>) => void
  readonly setTarget: (target: WebhookTarget | undefined) => void
  readonly hasTarget: () => boolean
  readonly addFault: (rule: WebhookFaultRule) => void
  readonly clearFaults: () => void
  readonly records: () => ReadonlyArray<WebhookDeliveryRecord>
  readonly clearRecords: () => void
  /** Waits until every event queued so far has been delivered (or given up after its retry). */
  readonly idle: Effect.Effect<void>
}

const encoder = new TextEncoder()

const reveal = (value: string | Redacted.Redacted<string>): string =>
  typeof value === "string" ? value : Redacted.value(value)

const incidentIdOf = (payload: Readonly<Record<string, unknown>>): string | undefined => {
  const incident = payload.incident
  if (typeof incident !== "object" || incident === null) return undefined
  const id = (incident as Record<string, unknown>).incident_id
  return typeof id === "string" ? id : undefined
}

type Outcome = WebhookDeliveryRecord["outcome"]

/** One POST over HTTP: the status, or `connectionError`. Interrupting it (the timeout) aborts it. */
const postToUrl = (url: string, headers: Record<string, string>, body: Uint8Array): Effect.Effect<Outcome> =>
  Effect.tryPromise({
    try: async (signal) => {
      const response = await fetch(url, { method: "POST", headers, body: body as BodyInit, signal })
      // Read to the end, so the connection is free again.
      await response.arrayBuffer().catch(() => undefined)
      return response.status
    },
    catch: () => "connectionError" as const
  }).pipe(Effect.catch((error) => Effect.succeed(error)))

/** One delivery in memory: the handler run with the request, in a scope of its own. */
const callHandler = (
  target: WebhookHandlerTarget,
  headers: Record<string, string>,
  body: Uint8Array
): Effect.Effect<Outcome> => {
  const clientRequest = HttpClientRequest.post(`http://standin.invalid${target.path ?? "/webhook"}`).pipe(
    HttpClientRequest.setHeaders({ ...headers, "content-length": String(body.byteLength) }),
    HttpClientRequest.bodyUint8Array(body, "application/json")
  )
  const request = HttpServerRequest.fromClientRequest(clientRequest).modify({
    remoteAddress: Option.some(target.remoteAddress ?? "127.0.0.1")
  })
  return target.handler.pipe(
    Effect.provideService(HttpServerRequest.HttpServerRequest, request),
    Effect.scoped,
    Effect.map((response): Outcome => response.status),
    // A handler that fails is a 500, as an HTTP server would answer it.
    Effect.catchCause(() => Effect.succeed<Outcome>(500))
  )
}

interface Queued {
  readonly payload: Readonly<Record<string, unknown>>
  readonly target: WebhookTarget
}

/**
 * The deliverer of a stand-in: a worker fiber in the current scope sends the queued events one
 * by one.
 */
export const makeWebhookDeliverer = (
  random: Random.Random,
  options: { readonly target?: WebhookTarget | undefined; readonly faults?: ReadonlyArray<WebhookFaultRule> }
): Effect.Effect<WebhookDeliverer, never, Scope.Scope> =>
  Effect.gen(function* () {
    let target = options.target
    const faults = new WebhookFaultRuleSet(random, options.faults)
    const log: Array<WebhookDeliveryRecord> = []
    const queue = yield* Queue.unbounded<Queued>()
    const idleLatch = Latch.makeUnsafe(true)
    let pending = 0

    const send = (to: WebhookTarget, body: Uint8Array): Effect.Effect<Outcome> => {
      const headers: Record<string, string> = { "user-agent": "effect-flashduty-standin (webhook)" }
      for (const [name, value] of Object.entries(to.headers ?? {}))
        headers[name.toLowerCase()] = reveal(value)
      headers["content-type"] = "application/json"
      return "url" in to ? postToUrl(to.url, headers, body) : callHandler(to, headers, body)
    }

    /** One copy of an event: an attempt, and one retry after a timeout or a failed connection. */
    const deliverCopy = (
      to: WebhookTarget,
      body: Readonly<Record<string, unknown>>,
      copy: number,
      timeout: Duration.Duration,
      slow: Duration.Duration | undefined
    ) =>
      Effect.gen(function* () {
        const bytes = encoder.encode(JSON.stringify(body))
        for (let attempt = 1; attempt <= 2; attempt++) {
          const sentAt = yield* Clock.currentTimeMillis
          const late = attempt === 1 && slow !== undefined ? Effect.sleep(slow) : Effect.void
          const outcome = yield* send(to, bytes).pipe(
            Effect.tap(() => late),
            Effect.timeoutOption(timeout),
            Effect.map((done): Outcome => (Option.isSome(done) ? done.value : "timeout"))
          )
          log.push({
            eventId: typeof body.event_id === "string" ? body.event_id : undefined,
            eventType: String(body.event_type),
            incidentId: incidentIdOf(body),
            copy,
            attempt,
            outcome,
            sentAt,
            body
          })
          if (outcome !== "timeout" && outcome !== "connectionError") return
        }
      })

    const deliver = ({ payload, target: to }: Queued) => {
      const originalType = String(payload.event_type)
      const chosen: ReadonlyArray<WebhookFault> = faults.decide(originalType, incidentIdOf(payload))
      let body = payload
      let copies = 0
      let slow: Duration.Duration | undefined
      for (const fault of chosen) {
        switch (fault._tag) {
          case "UnknownEventType":
            body = { ...body, event_type: fault.eventType }
            break
          case "Duplicate":
            copies += Math.max(0, Math.floor(fault.copies))
            break
          case "SlowReceiver":
            slow = Duration.sum(slow ?? Duration.zero, Duration.fromInputUnsafe(fault.delay))
            break
        }
      }
      const timeout = Duration.fromInputUnsafe(
        to.timeout ?? (originalType === "i_custom" ? "1 second" : "2 seconds")
      )
      return Effect.forEach(
        Array.from({ length: copies + 1 }, (_, copy) => copy),
        (copy) => deliverCopy(to, body, copy, timeout, copy === 0 ? slow : undefined),
        { concurrency: "unbounded", discard: true }
      )
    }

    const done = Effect.sync(() => {
      pending--
      if (pending === 0) idleLatch.openUnsafe()
    })

    yield* Effect.forkScoped(
      Effect.forever(
        Effect.flatMap(Queue.take(queue), (queued) =>
          deliver(queued).pipe(
            Effect.catchCause(() => Effect.void),
            Effect.ensuring(done)
          )
        )
      )
    )

    return {
      enqueue: (payload) => {
        if (target === undefined) return
        pending++
        idleLatch.closeUnsafe()
        Queue.offerUnsafe(queue, { payload, target })
      },
      setTarget: (next) => {
        target = next
      },
      hasTarget: () => target !== undefined,
      addFault: (rule) => faults.add(rule),
      clearFaults: () => faults.clear(),
      records: () => [...log],
      clearRecords: () => void log.splice(0, log.length),
      idle: idleLatch.await
    } satisfies WebhookDeliverer
  })
