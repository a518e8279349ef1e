/**
 * What every example shares: where it runs. Each example file holds the code a user
 * would write (its `program`, which only needs `Flashduty`) and hands it to
 * {@link runMain}, which picks the target:
 *
 * - by default, the Flashduty stand-in on loopback (`FlashdutyStandIn.serve`), reached
 *   over real HTTP with `FetchHttpClient`, so nothing leaves the machine (its control is
 *   provided as `FlashdutyTest`, which an example may look for with `Effect.serviceOption`:
 *   the webhook receiver points the stand-in's webhooks at itself);
 * - the real API when `FLASHDUTY_APP_KEY` is set (`Flashduty.layerConfig`, which also
 *   reads `FLASHDUTY_BASE_URL`), with `FetchHttpClient.layer`.
 *
 * The test suite runs the same `program`s against the in-memory `FlashdutyTest.layer`
 * (see `test/examples/`), and `examples/all.ts` runs them all in one process.
 */
import * as NodePath from "node:path"
import { fileURLToPath } from "node:url"
import { Cause, Config, Console, Effect, Exit, Layer, Option, type Scope } from "effect"
import { FetchHttpClient } from "effect/http"
import { Flashduty, type FlashdutyClient, type FlashdutyOptions } from "effect-flashduty"
import {
  FlashdutyStandIn,
  FlashdutyTest,
  type StandInControl,
  type StandInOptions
} from "effect-flashduty/testing"

/** Client options an example may set; the credentials and base URL come from the target. */
export type ClientOptions = Omit<FlashdutyOptions, "appKey" | "baseUrl">

export interface Example<A, E> {
  /** One line: what the example shows. */
  readonly title: string
  /** The user's code (`Flashduty.layer` provides the services and their `FlashdutyClient`). */
  readonly program: Effect.Effect<A, E, Flashduty | FlashdutyClient>
  /**
   * The program creates or changes data. Against the real API it then runs only with
   * `FLASHDUTY_EXAMPLE_WRITES=true`, so that trying the examples never touches an account by surprise.
   */
  readonly writes?: boolean
  /** How the stand-in starts (faults, data sizes, rate limits); ignored against the real API. */
  readonly standIn?: StandInOptions
  /**
   * The client's options beyond credentials and base URL, built once per run. It sees the
   * stand-in's control when there is one (`undefined` against the real API).
   */
  readonly client?: (standIn: StandInControl | undefined) => Effect.Effect<ClientOptions, never, Scope.Scope>
}

/**
 * Declares an example (an identity that keeps the program's types).
 *
 * @example
 * ```ts
 * export const example = defineExample({ title: "Quick start", program })
 * runMain(example, import.meta.url)
 * ```
 */
export const defineExample = <A, E>(example: Example<A, E>): Example<A, E> => example

/** `true` when `FLASHDUTY_APP_KEY` is set: the examples then talk to the real API. */
const realApiKey = Config.option(Config.Redacted("FLASHDUTY_APP_KEY"))

const writesAllowed = Config.Boolean("FLASHDUTY_EXAMPLE_WRITES").pipe(Config.withDefault(false))

/** The real API, configured from the environment, plus the example's own client options. */
const realApiLayer = (options: ClientOptions) =>
  Object.keys(options).length === 0
    ? Flashduty.layerConfig()
    : Layer.unwrap(
        Effect.gen(function* () {
          const appKey = yield* Config.Redacted("FLASHDUTY_APP_KEY")
          const baseUrl = yield* Config.option(Config.String("FLASHDUTY_BASE_URL"))
          return Flashduty.layer({
            ...options,
            // An example that brings its own access token uses it instead of the app key.
            ...(options.accessToken === undefined ? { appKey } : {}),
            ...(Option.isSome(baseUrl) ? { baseUrl: baseUrl.value } : {})
          })
        })
      )

/**
 * Runs an example against the loopback stand-in, or against the real API when
 * `FLASHDUTY_APP_KEY` is set. The stand-in stops when the run ends.
 *
 * @example
 * ```ts
 * await Effect.runPromise(run(example))
 * ```
 */
export const run = <A, E>(example: Example<A, E>) =>
  Effect.scoped(
    Effect.gen(function* () {
      const clientOptions = example.client ?? (() => Effect.succeed<ClientOptions>({}))
      if (Option.isSome(yield* realApiKey)) {
        yield* Console.log("(against the real Flashduty API: FLASHDUTY_APP_KEY is set)")
        if (example.writes === true && !(yield* writesAllowed)) {
          return yield* Effect.fail(
            new Error(
              "this example changes data in your account: set FLASHDUTY_EXAMPLE_WRITES=true to run it"
            )
          )
        }
        const layer = realApiLayer(yield* clientOptions(undefined))
        return yield* Effect.provide(example.program, Layer.provide(layer, FetchHttpClient.layer))
      }
      const standIn = yield* FlashdutyStandIn.serve({ port: 0, ...example.standIn })
      const options = yield* clientOptions(standIn.control)
      const layer = Flashduty.layer({
        ...options,
        baseUrl: standIn.url,
        ...(options.accessToken === undefined ? { appKey: yield* standIn.control.appKey } : {})
      })
      return yield* example.program.pipe(
        Effect.provide(Layer.provide(layer, FetchHttpClient.layer)),
        Effect.provideService(FlashdutyTest, standIn.control)
      )
    })
  )

/** Whether `moduleUrl` is the script node was started with (`npx tsx examples/<name>.ts`). */
const isEntryPoint = (moduleUrl: string): boolean =>
  process.argv[1] !== undefined && NodePath.resolve(process.argv[1]) === fileURLToPath(moduleUrl)

/**
 * Runs `example` and reports its outcome; `true` when it succeeded. Failures are printed
 * (errors never carry the app key).
 */
export const runReported = <A, E>(example: Example<A, E>): Promise<boolean> =>
  Effect.runPromiseExit(run(example)).then((exit) => {
    if (Exit.isSuccess(exit)) return true
    console.error(`example failed:\n${Cause.pretty(exit.cause)}`)
    return false
  })

/**
 * Runs the example when its file is the program node started, e.g.
 * `npx tsx examples/quick-start.ts`; does nothing when the file is imported (by
 * `examples/all.ts` or a test). Sets a non-zero exit code on failure.
 *
 * @example
 * ```ts
 * runMain(example, import.meta.url)
 * ```
 */
export const runMain = <A, E>(example: Example<A, E>, moduleUrl: string): void => {
  if (!isEntryPoint(moduleUrl)) return
  void runReported(example).then((ok) => {
    if (!ok) process.exitCode = 1
  })
}
