/**
 * The app key (a sentinel) must never appear in an error, a log line or a span, even at
 * debug level and even when the server echoes it back.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Logger, References, Tracer } from "effect"
import { incidentAck, incidentList } from "./endpoints.js"
import { apiError, json, ok, text } from "./fakeHttp.js"
import { SENTINEL_KEY, withClient } from "./harness.js"

const listInput = { start_time: 1, end_time: 2 }

/** Captures every log line (message and annotations, as JSON) and every span with its attributes. */
const capture = () => {
  const logs: Array<string> = []
  const spans: Array<Tracer.NativeSpan> = []
  const logger = Logger.make((options) => {
    logs.push(
      JSON.stringify({
        level: options.logLevel,
        message: options.message,
        cause: Cause.pretty(options.cause)
      })
    )
  })
  const tracer = Tracer.make({
    span(options) {
      const span = new Tracer.NativeSpan(options)
      spans.push(span)
      return span
    }
  })
  const spanText = () =>
    JSON.stringify(
      spans.map((span) => ({
        name: span.name,
        attributes: Object.fromEntries(span.attributes),
        events: span.events,
        status:
          span.status._tag === "Ended"
            ? String(Exit.isFailure(span.status.exit) ? Cause.pretty(span.status.exit.cause) : "")
            : ""
      }))
    )
  const instrument = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    effect.pipe(
      Effect.provide(Logger.layer([logger])),
      Effect.provideService(References.MinimumLogLevel, "All"),
      Effect.withTracer(tracer)
    )
  return { logs, spans, spanText, instrument }
}

const assertClean = (label: string, value: string) =>
  assert.notInclude(value, SENTINEL_KEY, `${label} leaks the app key`)

describe("the app key never leaks", () => {
  const answers: ReadonlyArray<readonly [string, () => Response]> = [
    ["success", () => ok({ items: [] })],
    [
      "an error whose message echoes the key",
      () => apiError("Unauthorized", `bad app_key=${SENTINEL_KEY}`, 401)
    ],
    [
      "an HTML page quoting the URL",
      () => text(`<html>GET /incident/list?app_key=${SENTINEL_KEY} failed</html>`, 502)
    ],
    [
      "a JSON body with the key in a field",
      () => json({ request_id: "r", data: { items: [], app_key: SENTINEL_KEY } })
    ],
    ["an unknown code", () => apiError("Weird", `key ${SENTINEL_KEY}`, 418)],
    ["a body that does not decode", () => ok({ items: [{ incident_id: SENTINEL_KEY, title: 1 }] })]
  ]

  for (const [label, answer] of answers) {
    it.effect(`in errors, logs and spans: ${label}`, () => {
      const { logs, spans, spanText, instrument } = capture()
      return withClient(answer, (client, fake) =>
        Effect.gen(function* () {
          const exit = yield* Effect.exit(client.call(incidentList, listInput))
          // It was sent, in the URL only.
          assert.strictEqual(fake.requests[0]?.url.searchParams.get("app_key"), SENTINEL_KEY)
          if (Exit.isFailure(exit)) {
            const error = Cause.squash(exit.cause)
            assertClean("String(error)", String(error))
            assertClean("JSON.stringify(error)", JSON.stringify(error))
            assertClean("error.message", (error as Error).message)
            assertClean("Cause.pretty", Cause.pretty(exit.cause))
          } else {
            assertClean("JSON.stringify(meta)", JSON.stringify(exit.value.meta))
          }
          assert.isAbove(logs.length, 1, "debug logs were captured")
          assert.isAbove(spans.length, 0, "spans were captured")
          assert.isTrue(spans.some((span) => span.name === "Flashduty.incidentList"))
          for (const line of logs) assertClean("log line", line)
          assertClean("spans", spanText())
        })
      ).pipe(instrument)
    })
  }

  it.effect("request bodies are logged with sensitive fields redacted", () => {
    const { logs, instrument } = capture()
    return withClient(
      () => ok({}),
      (client) =>
        Effect.gen(function* () {
          yield* client.call(incidentAck, { incident_ids: ["i1"], token: SENTINEL_KEY } as never)
          const requestLine = logs.find((line) => line.includes("/incident/ack"))
          assert.isDefined(requestLine)
          assert.include(requestLine!, "i1")
          for (const line of logs) assertClean("log line", line)
        })
    ).pipe(instrument)
  })

  it.effect("a bearer token stays out of spans and errors too", () => {
    const { spanText, instrument } = capture()
    return withClient(
      () => apiError("Unauthorized", "expired", 401),
      (client) =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(client.call(incidentList, listInput))
          assertClean("error", JSON.stringify(error) + String(error))
          assertClean("spans", spanText())
        }),
      { appKey: undefined, accessToken: SENTINEL_KEY } as never
    ).pipe(instrument)
  })

  it.effect("the span carries operation, method, path, status and request id", () => {
    const { spans, instrument } = capture()
    return withClient(
      () => ok({ items: [] }, "req-span"),
      (client) =>
        Effect.gen(function* () {
          yield* client.call(incidentList, listInput)
          const span = spans.find((s) => s.name === "Flashduty.incidentList")!
          assert.strictEqual(span.attributes.get("http.request.method"), "POST")
          assert.strictEqual(span.attributes.get("url.path"), "/incident/list")
          assert.strictEqual(span.attributes.get("http.response.status_code"), 200)
          assert.strictEqual(span.attributes.get("flashduty.request_id"), "req-span")
        })
    ).pipe(instrument)
  })
})
