/**
 * Trace context on the wire: each attempt carries the W3C `traceparent` and the `b3` header of
 * the call's own span (`Flashduty.<operationId>`, see `callSpan.ts`), so that a distributed
 * trace continues through the API, as a plain Effect `HttpClient` call's would.
 *
 * Effect's HTTP client would send them from a span of its own, one per attempt; the SDK turns
 * that span off (its span says it all, `clientTransform.ts`) and sends the headers itself.
 * Off when the client's `traceContext` option is `false`, and wherever Effect's own switches
 * say so: `Tracer.DisablePropagation`, or `HttpClient.TracerPropagationEnabled` set to `false`.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as Tracer from "effect/Tracer"

/** The trace headers of the current span, `undefined` when there is none or propagation is off. */
export const traceHeaders: Effect.Effect<Readonly<Record<string, string>> | undefined> =
  Effect.withFiberSucceed((fiber) => {
    if (fiber.getRef(Tracer.DisablePropagation) || !fiber.getRef(HttpClient.TracerPropagationEnabled))
      return undefined
    const span = Context.getOrUndefined(fiber.context, Tracer.ParentSpan)
    if (span === undefined) return undefined
    const sampled = span.sampled ? "1" : "0"
    const parent = span._tag === "Span" && span.parent._tag === "Some" ? `-${span.parent.value.spanId}` : ""
    return {
      traceparent: `00-${span.traceId.padStart(32, "0")}-${span.spanId}-0${sampled}`,
      b3: `${span.traceId}-${span.spanId}-${sampled}${parent}`
    }
  })
