/**
 * The app key and bearer tokens never leak, end to end over real HTTP: not in any error's
 * message, `String()`, `JSON.stringify` or `Cause.pretty`; not in any log line at any level;
 * not in any span attribute, event or status (the SDK's spans and Effect's HTTP client
 * spans); not in the stand-in's recorded requests; not in URLs quoted by errors. Even when
 * the server echoes the secret back in an error, an HTML page or a JSON body.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Logger, References, Tracer } from "effect"
import type { FlashdutyOptions } from "../../src/FlashdutyOptions.js"
import { Flashduty } from "../../src/generated/Flashduty.js"
import { Fault } from "../../src/testing/Fault.js"
import { FlashdutyStandIn } from "../../src/testing/FlashdutyStandIn.js"
import type { StandInControl } from "../../src/testing/StandInEngine.js"
import { SENTINEL_KEY, SENTINEL_TOKEN, sdkLayer } from "../reliability/support/client.js"
import { closedPort, rawServer } from "../reliability/support/rawServer.js"

const window = { start_time: 0, end_time: 86_400 }

/** Every log line (all levels) and every span (attributes, events, status), as text. */
const capture = () => {
  const logs: Array<string> = []
  const spans: Array<Tracer.NativeSpan> = []
  const logger = Logger.make((options) => {
    logs.push(JSON.stringify({ message: options.message, cause: Cause.pretty(options.cause) }))
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
          span.status._tag === "Ended" && Exit.isFailure(span.status.exit)
            ? Cause.pretty(span.status.exit.cause)
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

/** `secret` is the credential the client holds: what it must protect (it cannot know any other). */
const assertClean = (label: string, text: string, secret: string) =>
  assert.notInclude(text, secret, `${label} leaks the credential`)

/** Checks every printed form of a call's outcome. */
const assertExitClean = (exit: Exit.Exit<unknown, unknown>, secret: string) => {
  if (Exit.isSuccess(exit))
    return assertClean("the value's meta", JSON.stringify((exit.value as { meta: unknown }).meta), secret)
  const error = Cause.squash(exit.cause) as Error & { cause?: unknown }
  assertClean("error.message", error.message, secret)
  assertClean("String(error)", String(error), secret)
  assertClean("JSON.stringify(error)", JSON.stringify(error), secret)
  assertClean("Cause.pretty", Cause.pretty(exit.cause), secret)
  if (error.cause !== undefined)
    assertClean("error.cause", `${String(error.cause)} ${JSON.stringify(error.cause)}`, secret)
}

type Credential = "appKey" | "bearer"
/** The client's credentials: the key, or a bearer token (which takes precedence over the key). */
const credentialOptions = (credential: Credential): Partial<FlashdutyOptions> =>
  credential === "appKey" ? { appKey: SENTINEL_KEY } : { accessToken: SENTINEL_TOKEN }

describe("credentials never leak (real HTTP)", () => {
  for (const credential of ["appKey", "bearer"] as const) {
    const secret = credential === "appKey" ? SENTINEL_KEY : SENTINEL_TOKEN
    const standInCases: ReadonlyArray<
      readonly [string, (control: StandInControl) => Effect.Effect<void>, string]
    > = [
      ["a success", () => Effect.void, "Success"],
      [
        "an error message echoing both secrets",
        (control) =>
          control.override("incidentList", {
            error: {
              code: "InvalidParameter",
              message: `bad app_key=${SENTINEL_KEY}; Authorization: Bearer ${SENTINEL_TOKEN}; raw ${SENTINEL_KEY}`
            }
          }),
        "InvalidParameter"
      ],
      [
        "a JSON body carrying the secrets in fields",
        (control) =>
          control.override("incidentList", {
            data: { items: [], app_key: SENTINEL_KEY, note: `token ${SENTINEL_TOKEN}` }
          }),
        "Success"
      ],
      [
        "a body that does not decode, with the secret where a field should be",
        (control) =>
          control.override("incidentList", { data: { items: [{ incident_id: SENTINEL_KEY, title: 7 }] } }),
        "DecodeError"
      ],
      [
        "rotated credentials (401)",
        (control) => control.setCredentials({ appKey: "another-key", accessTokens: ["another-token"] }),
        "Unauthorized"
      ],
      [
        "a dropped connection",
        (control) => control.addFault({ operationId: "incidentList", fault: Fault.dropConnection }),
        "TransportError"
      ],
      [
        "a truncated body",
        (control) => control.addFault({ operationId: "incidentList", fault: Fault.truncatedBody(12) }),
        "TransportError"
      ]
    ]
    for (const [label, setup, expected] of standInCases) {
      it.live(`${credential}: ${label} → ${expected}`, () => {
        const { logs, spans, spanText, instrument } = capture()
        return Effect.gen(function* () {
          const { url, control } = yield* FlashdutyStandIn.serve({
            appKey: SENTINEL_KEY,
            accessTokens: [SENTINEL_TOKEN]
          })
          yield* setup(control)
          const exit = yield* Effect.gen(function* () {
            const fd = yield* Flashduty
            return yield* fd.incidents.list(window, { retry: false })
          }).pipe(Effect.provide(sdkLayer(url, credentialOptions(credential))), Effect.exit, instrument)
          assert.strictEqual(
            Exit.isSuccess(exit) ? "Success" : (Cause.squash(exit.cause) as { _tag: string })._tag,
            expected
          )
          assertExitClean(exit, secret)
          const recorded = yield* control.requests
          // The credential really went out, in the form chosen.
          assert.strictEqual(recorded[0]?.credential, credential)
          assertClean("the stand-in's recorded requests", JSON.stringify(recorded), secret)
          assert.isAbove(logs.length, 0, "log lines were captured")
          for (const line of logs) assertClean("a log line", line, secret)
          assert.isTrue(spans.some((span) => span.name === "Flashduty.incidentList"))
          assertClean("spans", spanText(), secret)
        })
      })
    }

    it.live(
      `${credential}: an HTML page quoting the request URL and headers → GatewayError, preview scrubbed`,
      () => {
        const { logs, spanText, instrument } = capture()
        return Effect.gen(function* () {
          const server = yield* rawServer((req, res) => {
            res.writeHead(502, { "content-type": "text/html" })
            res.end(
              `<html><body>upstream failed for ${req.url} (authorization: ${req.headers.authorization ?? "none"})</body></html>`
            )
          })
          const exit = yield* Effect.gen(function* () {
            const fd = yield* Flashduty
            return yield* fd.incidents.list(window, { retry: false })
          }).pipe(
            Effect.provide(sdkLayer(server.url, credentialOptions(credential))),
            Effect.exit,
            instrument
          )
          const error = Cause.squash((exit as Exit.Failure<unknown, unknown>).cause) as {
            _tag: string
            preview: string
          }
          assert.strictEqual(error._tag, "GatewayError")
          assert.include(error.preview, "upstream failed for /incident/list")
          assertExitClean(exit, secret)
          for (const line of logs) assertClean("a log line", line, secret)
          assertClean("spans", spanText(), secret)
        })
      }
    )

    it.live(
      `${credential}: a timeout and a refused connection → TransportError, nothing printed leaks`,
      () => {
        const { logs, spanText, instrument } = capture()
        return Effect.gen(function* () {
          const silent = yield* rawServer(() => {
            // never answers
          })
          const port = yield* closedPort
          for (const [url, reason] of [
            [silent.url, "Timeout"],
            [`http://127.0.0.1:${port}`, "ConnectionRefused"]
          ] as const) {
            const exit = yield* Effect.gen(function* () {
              const fd = yield* Flashduty
              return yield* fd.incidents.list(window, { retry: false, timeout: "150 millis" })
            }).pipe(Effect.provide(sdkLayer(url, credentialOptions(credential))), Effect.exit, instrument)
            const error = Cause.squash((exit as Exit.Failure<unknown, unknown>).cause) as { reason: string }
            assert.strictEqual(error.reason, reason)
            assertExitClean(exit, secret)
          }
          for (const line of logs) assertClean("a log line", line, secret)
          assertClean("spans", spanText(), secret)
        })
      }
    )
  }
})
