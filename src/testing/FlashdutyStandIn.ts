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
 *     const { url, control } = yield* FlashdutyStandIn.serveFromSpec(spec, { port: 0 })
 *     // point Flashduty.layer({ baseUrl: url, appKey: yield* control.appKey }) at it
 *   })
 * )
 * ```
 */
import { Effect, type Scope } from "effect"
import { type LoopbackServerOptions, listenLoopback } from "./LoopbackServer.js"
import { makeStandInEngine, type StandInControl, type StandInOptions } from "./StandInEngine.js"
import type { StandInSpec } from "./StandInSpec.js"

export interface ServeOptions extends StandInOptions, LoopbackServerOptions {}

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

export const FlashdutyStandIn = { serveFromSpec }
