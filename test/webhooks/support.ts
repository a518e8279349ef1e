/**
 * What the webhook tests share: the documented example payloads (fixtures copied from Flashduty's
 * reference pages), a delivery to a receiver's handler in memory (an `HttpServerRequest`, no
 * socket), and a logger that keeps every line.
 */
import { readFileSync } from "node:fs"
import { Cause, Effect, Logger, Option, Redacted, References, Stream } from "effect"
import { HttpClientRequest, HttpServerRequest, HttpServerResponse } from "effect/http"

/** The documented examples, by file name (`test/webhooks/fixtures/<name>.json`). */
export const fixtureNames = ["incident-i_new", "alert-a_merge", "custom-action-i_custom"] as const
export type FixtureName = (typeof fixtureNames)[number]

/** A fresh copy of a documented example payload. */
export const fixture = (name: FixtureName): Record<string, any> =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8"))

/** The shared secret of the tests: a sentinel searched for in every log line. */
export const SECRET_TEXT = "whsec-SENTINEL-7f3e9a1c5b"
export const SECRET = Redacted.make(SECRET_TEXT)
export const SECRET_HEADER = "X-Flashduty-Secret"

export interface Delivery {
  readonly body?: string | Uint8Array | object
  /** A body that fails the test if it is ever read (a request refused before reading). */
  readonly unreadBody?: boolean
  readonly headers?: Record<string, string>
  readonly remoteAddress?: string | undefined
  readonly method?: "POST" | "GET" | "PUT"
  /** Sent with the secret header unless `false`. */
  readonly withSecret?: boolean
}

export interface Answer {
  readonly status: number
  readonly text: string
}

const encoder = new TextEncoder()

/** The request a receiver sees, as a server would build it. */
export const serverRequest = (delivery: Delivery): HttpServerRequest.HttpServerRequest => {
  const body = delivery.body
  const bytes =
    body === undefined
      ? new Uint8Array()
      : body instanceof Uint8Array
        ? body
        : encoder.encode(typeof body === "string" ? body : JSON.stringify(body))
  const headers: Record<string, string> = {
    "content-type": "application/json",
    ...(delivery.withSecret === false ? {} : { [SECRET_HEADER]: SECRET_TEXT }),
    ...delivery.headers
  }
  let request = HttpClientRequest.make(delivery.method ?? "POST")("http://receiver.test/webhooks/flashduty")
  if (delivery.unreadBody === true) {
    request = HttpClientRequest.bodyStream(
      request,
      Stream.die("the receiver read a body it should have refused unread")
    )
  } else if ((delivery.method ?? "POST") !== "GET") {
    request = HttpClientRequest.bodyUint8Array(request, bytes, "application/json")
  }
  // After the body, which would drop a content-length of ours.
  request = HttpClientRequest.setHeaders(request, headers)
  return HttpServerRequest.fromClientRequest(request).modify({
    remoteAddress: delivery.remoteAddress === undefined ? Option.none() : Option.some(delivery.remoteAddress)
  })
}

/** Runs `handler` for one delivery, as a server would; its answer. */
export const deliver = <E, R>(
  handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>,
  delivery: Delivery
): Effect.Effect<Answer, E, Exclude<R, HttpServerRequest.HttpServerRequest>> =>
  Effect.gen(function* () {
    const response = yield* handler
    const web = HttpServerResponse.toWeb(response)
    return { status: web.status, text: yield* Effect.promise(() => web.text()) }
  }).pipe(Effect.provideService(HttpServerRequest.HttpServerRequest, serverRequest(delivery))) as any

/** Every log line (all levels) as text, and the structured parts, while `effect` runs. */
export const captureLogs = () => {
  const lines: Array<string> = []
  const messages: Array<ReadonlyArray<unknown>> = []
  const logger = Logger.make((options) => {
    const parts = Array.isArray(options.message) ? options.message : [options.message]
    messages.push(parts)
    lines.push(
      `${options.logLevel} ${JSON.stringify(parts)} ${String(parts.map(String))} ${Cause.pretty(options.cause)}`
    )
  })
  const instrument = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    effect.pipe(
      Effect.provide(Logger.layer([logger])),
      Effect.provideService(References.MinimumLogLevel, "All")
    )
  /** The structured log values of one tag (`WebhookRefused`, `WebhookEventHandled`). */
  const tagged = (tag: string): ReadonlyArray<Record<string, unknown>> =>
    messages.flatMap((parts) =>
      parts.filter(
        (part): part is Record<string, unknown> =>
          typeof part === "object" && part !== null && (part as { _tag?: unknown })._tag === tag
      )
    )
  return { lines, messages, instrument, tagged }
}
