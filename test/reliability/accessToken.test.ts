/**
 * An `accessToken` given as an `Effect` is evaluated right before each attempt is sent
 * (after the rate limiter's wait, so a token is never fetched long before it is used),
 * inside the per-attempt timeout (a token provider that hangs cannot hang the call), and
 * any failure or defect of it becomes `Unauthorized` without the token's text anywhere:
 * not in the error, its `Cause.pretty`, the SDK's span, or a log line.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber, Logger, References, Tracer } from "effect"
import { TestClock } from "effect/testing"
import { endpoints } from "../../src/generated/Incidents.js"
import * as Retry from "../../src/Retry.js"
import { ok } from "../core/fakeHttp.js"
import { withClient } from "../core/harness.js"
import { failureOf } from "../support/exits.js"

const TOKEN = "SENTINEL-token-in-a-defect-51c7"
const window = { start_time: 0, end_time: 86_400 }

/** Spans and log lines of `effect`, as text. */
const observed = <A, E>(effect: Effect.Effect<A, E>) => {
  const spans: Array<Tracer.NativeSpan> = []
  const logs: Array<string> = []
  const tracer = Tracer.make({
    span(options) {
      const span = new Tracer.NativeSpan(options)
      spans.push(span)
      return span
    }
  })
  const logger = Logger.make((options) => {
    logs.push(`${String(options.message)} ${Cause.pretty(options.cause)}`)
  })
  const run = effect.pipe(
    Effect.withTracer(tracer),
    Effect.provide(Logger.layer([logger])),
    Effect.provideService(References.MinimumLogLevel, "All")
  )
  const text = () =>
    JSON.stringify(
      spans.map((span) => ({
        attributes: Object.fromEntries(span.attributes),
        events: span.events,
        status:
          span.status._tag === "Ended" && Exit.isFailure(span.status.exit)
            ? Cause.pretty(span.status.exit.cause)
            : ""
      }))
    ) + logs.join("\n")
  return { run, text }
}

describe("the accessToken effect", () => {
  it.effect("a defect holding the token: Unauthorized, and the token appears nowhere", () =>
    Effect.gen(function* () {
      const { run, text } = observed(
        withClient(
          () => ok({ items: [] }),
          (client) => Effect.exit(client.call(endpoints.list, window)),
          {
            accessToken: Effect.sync(() => {
              throw new Error(`refresh failed for ${TOKEN}`)
            })
          }
        )
      )
      const exit = yield* run
      const error = failureOf(exit)
      assert.strictEqual(error._tag, "Unauthorized")
      assert.include(error.message, "nothing was sent")
      assert.notInclude(Cause.pretty(Exit.isFailure(exit) ? exit.cause : Cause.empty), TOKEN)
      assert.notInclude(JSON.stringify(error), TOKEN)
      assert.notInclude(text(), TOKEN)
    })
  )

  it.effect("a failure whose value holds the token: Unauthorized without it", () =>
    Effect.gen(function* () {
      const exit = yield* withClient(
        () => ok({ items: [] }),
        (client) => Effect.exit(client.call(endpoints.list, window)),
        { accessToken: Effect.fail({ token: TOKEN }) }
      )
      const error = failureOf(exit)
      assert.strictEqual(error._tag, "Unauthorized")
      assert.notInclude(Cause.pretty(Exit.isFailure(exit) ? exit.cause : Cause.empty), TOKEN)
    })
  )

  it.effect("a token effect that never ends is bounded by the per-attempt timeout", () =>
    Effect.gen(function* () {
      let sent = 0
      const fiber = yield* withClient(
        () => {
          sent++
          return ok({ items: [] })
        },
        (client) => Effect.exit(client.call(endpoints.list, window)),
        { accessToken: Effect.never, timeout: "5 seconds" }
      ).pipe(Effect.forkChild)
      yield* TestClock.adjust("5 seconds")
      const exit = yield* Fiber.join(fiber)
      const error = failureOf(exit)
      assert.strictEqual(error._tag, "Unauthorized")
      assert.include(error.message, "5s")
      assert.strictEqual(sent, 0, "nothing was sent")
    })
  )

  it.effect("the token is evaluated right before the attempt leaves, after the limiter's wait", () =>
    Effect.gen(function* () {
      const evaluatedAt: Array<number> = []
      const fiber = yield* withClient(
        () => ok({ items: [] }),
        (client, http) =>
          Effect.gen(function* () {
            yield* Effect.all([client.call(endpoints.list, window), client.call(endpoints.list, window)], {
              concurrency: 2
            })
            return http.requests.map((request) => request.atMillis)
          }),
        {
          rateLimit: { perSecond: 1 },
          accessToken: Effect.map(
            Effect.clockWith((clock) => clock.currentTimeMillis),
            (now) => {
              evaluatedAt.push(now)
              return `token-at-${now}`
            }
          )
        }
      ).pipe(Effect.forkChild)
      yield* TestClock.adjust("1 second")
      const sentAt = yield* Fiber.join(fiber)
      assert.deepStrictEqual(sentAt, [0, 1000])
      assert.deepStrictEqual(evaluatedAt, [0, 1000], "each token was fetched when its request left")
    })
  )
})

describe("a token effect that yields a value a header cannot carry", () => {
  for (const [label, token] of [
    ["a character beyond Latin-1", "tok€n-123456"],
    ["an emoji", "tok-🙂-123456"],
    ["a control character", "tok\u0001-123456"],
    ["DEL", "tok\u007f-123456"]
  ] as const) {
    it.effect(`${label}: Unauthorized, nothing sent, the effect run once`, () =>
      Effect.gen(function* () {
        let runs = 0
        let sent = 0
        const exit = yield* withClient(
          () => {
            sent++
            return ok({ items: [] })
          },
          (client) => Effect.exit(client.call(endpoints.list, window)),
          {
            accessToken: Effect.sync(() => {
              runs++
              return token
            }),
            retry: Retry.backoff({ base: "1 millis", jitter: "none" })
          }
        )
        assert.strictEqual(failureOf(exit)._tag, "Unauthorized")
        assert.strictEqual(sent, 0)
        assert.strictEqual(runs, 1)
      })
    )
  }
})
