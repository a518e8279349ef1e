/**
 * Requests carry the trace context of the call's own span: `traceparent` (W3C) and `b3` name
 * the caller's trace and, as parent, the `Flashduty.<operationId>` span, on every attempt; the
 * `traceContext: false` option, `Tracer.DisablePropagation` and
 * `HttpClient.TracerPropagationEnabled` each turn it off; a caller's own header wins.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Tracer } from "effect"
import { HttpClient } from "effect/http"
import type { FlashdutyOptions } from "../../src/FlashdutyOptions.js"
import { endpoints } from "../../src/generated/endpoints.js"
import * as Retry from "../../src/Retry.js"
import type { SeenRequest } from "./fakeHttp.js"
import { json, ok } from "./fakeHttp.js"
import { withClient } from "./harness.js"

const list = endpoints.incidentList!

/** Runs `incidents.list` inside a caller's span, with a tracer that records every span. */
const traced = (
  options: Partial<FlashdutyOptions> = {},
  around: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R> = (effect) => effect,
  respond: (request: SeenRequest) => Response = () => ok({ items: [] }),
  headers: Record<string, string> = {}
) =>
  Effect.gen(function* () {
    const spans: Array<Tracer.NativeSpan> = []
    const tracer = Tracer.make({
      span(spanOptions) {
        const span = new Tracer.NativeSpan(spanOptions)
        spans.push(span)
        return span
      }
    })
    const requests = yield* withClient(
      respond,
      (client, http) =>
        client
          .call(list, {}, { headers })
          .pipe(Effect.ignore, Effect.withSpan("caller"), around, Effect.as(http.requests)),
      options
    ).pipe(Effect.withTracer(tracer))
    const caller = spans.find((s) => s.name === "caller")!
    const sdk = spans.find((s) => s.name === "Flashduty.incidentList")!
    return { requests, caller, sdk, spans }
  })

describe("trace context on the wire", () => {
  it.effect("traceparent and b3 name the caller's trace and the SDK's span as parent", () =>
    Effect.gen(function* () {
      const { requests, caller, sdk } = yield* traced()
      const headers = requests[0]!.headers
      assert.strictEqual(sdk.traceId, caller.traceId)
      assert.strictEqual(headers.traceparent, `00-${caller.traceId.padStart(32, "0")}-${sdk.spanId}-01`)
      assert.strictEqual(headers.b3, `${caller.traceId}-${sdk.spanId}-1-${caller.spanId}`)
    })
  )

  it.live("every attempt carries the same parent: the call's span (no HTTP span per attempt)", () =>
    Effect.gen(function* () {
      let n = 0
      const { requests, sdk, spans } = yield* traced(
        { retry: Retry.backoff({ maxRetries: 2, base: "1 millis" }) },
        undefined,
        () =>
          ++n < 3
            ? json({ request_id: "r", error: { code: "InternalError", message: "x" } }, 500)
            : ok({ items: [] })
      )
      assert.strictEqual(requests.length, 3)
      for (const request of requests) assert.include(request.headers.traceparent, `-${sdk.spanId}-`)
      assert.deepStrictEqual(
        spans.map((s) => s.name),
        ["caller", "Flashduty.incidentList"]
      )
    })
  )

  it.effect("traceContext: false sends none", () =>
    Effect.gen(function* () {
      const { requests } = yield* traced({ traceContext: false })
      assert.isUndefined(requests[0]!.headers.traceparent)
      assert.isUndefined(requests[0]!.headers.b3)
    })
  )

  it.effect("Effect's own switches turn it off", () =>
    Effect.gen(function* () {
      const disabled = yield* traced({}, (effect) =>
        Effect.provideService(effect, Tracer.DisablePropagation, true)
      )
      assert.isUndefined(disabled.requests[0]!.headers.traceparent)
      const off = yield* traced({}, (effect) =>
        Effect.provideService(effect, HttpClient.TracerPropagationEnabled, false)
      )
      assert.isUndefined(off.requests[0]!.headers.traceparent)
    })
  )

  it.effect("a caller's own traceparent header wins", () =>
    Effect.gen(function* () {
      const own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
      const { requests } = yield* traced({}, undefined, undefined, { traceparent: own })
      assert.strictEqual(requests[0]!.headers.traceparent, own)
    })
  )

  it.effect("an invalid traceContext option is a ConfigurationError", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(traced({ traceContext: "yes" as unknown as boolean }))
      assert.strictEqual(error._tag, "ConfigurationError")
    })
  )
})
