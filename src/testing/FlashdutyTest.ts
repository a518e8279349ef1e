/**
 * `FlashdutyTest`: the stand-in as an in-memory `HttpClient` layer for unit tests,
 * together with a service to program it (faults, overrides, credentials) and read
 * back the requests it received.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { Flashduty } from "effect-flashduty"
 * import { Fault, FlashdutyTest } from "effect-flashduty/testing"
 *
 * const program = Effect.gen(function* () {
 *   const test = yield* FlashdutyTest
 *   yield* test.addFault({ operationId: "incidentList", times: 1, fault: Fault.rateLimited(2) })
 *   const fd = yield* Flashduty
 *   const { data } = yield* fd.incidents.list({ start_time: 0, end_time: 86_400 })
 *   const requests = yield* test.requests // two: the 429 and the retry
 * }).pipe(
 *   Effect.provide(Flashduty.layer({ appKey: FlashdutyTest.appKey }).pipe(Layer.provideMerge(FlashdutyTest.layer())))
 * )
 * ```
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { generatedSpec } from "./GeneratedSpec.js"
import { inMemoryHttpClient } from "./InMemoryHttpClient.js"
import {
  DEFAULT_APP_KEY,
  makeStandInEngine,
  type StandInControl,
  type StandInOptions
} from "./StandInEngine.js"
import type { StandInSpec } from "./StandInSpec.js"

export interface FlashdutyTestOptions extends StandInOptions {
  /** What the stand-in knows of the API; default: the whole generated API. */
  readonly spec?: StandInSpec
}

export class FlashdutyTest extends Context.Service<FlashdutyTest, StandInControl>()(
  "effect-flashduty/testing/FlashdutyTest"
) {
  /** The app key the stand-in accepts by default. */
  static readonly appKey: Redacted.Redacted<string> = Redacted.make(DEFAULT_APP_KEY)

  /**
   * A fresh in-memory stand-in of the whole API, provided as the `HttpClient` and as
   * `FlashdutyTest`. Each build of the layer has its own state.
   *
   * @example
   * ```ts
   * const TestLayer = Flashduty.layer({ appKey: FlashdutyTest.appKey }).pipe(
   *   Layer.provideMerge(FlashdutyTest.layer({ incidents: { count: 100 }, rateLimits: true }))
   * )
   * ```
   */
  static layer(options: FlashdutyTestOptions = {}): Layer.Layer<FlashdutyTest | HttpClient.HttpClient> {
    return FlashdutyTest.layerFromSpec(options.spec ?? generatedSpec, options)
  }

  /**
   * A fresh stand-in over `spec`, provided as the `HttpClient` and as `FlashdutyTest`.
   * Each build of the layer has its own state.
   */
  static layerFromSpec(
    spec: StandInSpec,
    options: StandInOptions = {}
  ): Layer.Layer<FlashdutyTest | HttpClient.HttpClient> {
    return Layer.effectContext(
      Effect.map(makeStandInEngine(spec, options), (engine) =>
        Context.make(FlashdutyTest, engine.control).pipe(
          Context.add(HttpClient.HttpClient, inMemoryHttpClient(engine))
        )
      )
    )
  }
}
