/**
 * `FlashdutyStandIn`: the stand-in as a real HTTP server on loopback, for examples,
 * benchmarks and fault tests that need a socket. It lives as long as its `Scope`.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { Flashduty } from "effect-flashduty"
 * import { FlashdutyStandIn } from "effect-flashduty/testing"
 *
 * const program = Effect.scoped(
 *   Effect.gen(function* () {
 *     const { url, control } = yield* FlashdutyStandIn.serve({ port: 0 })
 *     const incidents = yield* Effect.gen(function* () {
 *       const fd = yield* Flashduty
 *       return yield* fd.incidents.list({ start_time: 0, end_time: 86_400 })
 *     }).pipe(
 *       Effect.provide(Flashduty.layer({ baseUrl: url, appKey: yield* control.appKey })),
 *       Effect.provide(FetchHttpClient.layer)
 *     )
 *   })
 *   })
 * )
 * ```
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { generatedSpec } from "./GeneratedSpec.js"
import { serveReceiver } from "./LoopbackReceiver.js"
import { type LoopbackServerOptions, listenLoopback } from "./LoopbackServer.js"
import { makeStandInEngine, type StandInControl, type StandInOptions } from "./StandInEngine.js"
import type { StandInSpec } from "./StandInSpec.js"

export interface ServeOptions extends StandInOptions, LoopbackServerOptions {
  /** What the stand-in knows of the API; default: the whole generated API. */
  readonly spec?: StandInSpec
}

export interface RunningStandIn {
  /** Base URL, e.g. `http://127.0.0.1:54321` (no trailing slash). */
  readonly url: string
  readonly port: number
  readonly control: StandInControl
}

/** Starts a stand-in over `spec` on loopback; it stops when the scope closes. */
const serveFromSpec = (
  spec: StandInSpec,
  options: ServeOptions = {}
): Effect.Effect<RunningStandIn, Error, Scope.Scope> =>
  Effect.gen(function* () {
    const engine = yield* makeStandInEngine(spec, options)
    const { url, port } = yield* listenLoopback(engine, options)
    return { url, port, control: engine.control }
  })

/**
 * Starts a stand-in of the whole API on loopback (`port: 0` picks a free port); it
 * stops when the scope closes.
 */
const serve = (options: ServeOptions = {}): Effect.Effect<RunningStandIn, Error, Scope.Scope> =>
  serveFromSpec(options.spec ?? generatedSpec, options)

export const FlashdutyStandIn = {
  serve,
  serveFromSpec,
  /**
   * Serves an `effect/http` handler (a webhook receiver's) on loopback until the scope closes, so
   * that the stand-in can post its webhooks to it over a socket (see `LoopbackReceiver.ts`).
   */
  serveReceiver
}
