/**
 * The checks every runtime runs against the package as a user installs it (bundled or
 * transpiled by `test/runtimes/run.ts` inside a fresh project: `effect-flashduty` here is the
 * packed tarball, not `src/`). Each check is the code of a README section, asserting what a
 * user would see; it needs only `Flashduty`, so the same checks run over the loopback stand-in
 * (`FetchHttpClient`) and over the in-memory one (`FlashdutyTest.layer`).
 *
 * Web-standard only (no `node:*`, no `process`): the worker bundles this file too.
 */
import { Cause, Effect, type Layer, Stream } from "effect"
import { Flashduty } from "effect-flashduty"

/** What one check found: `ok` with a short detail, or the failure's message. */
export interface CheckResult {
  readonly target: string
  readonly check: string
  readonly ok: boolean
  readonly detail: string
}

/** One line of output, parsed back by the runner: `RUNTIME-CHECK <json>`. */
export const marker = "RUNTIME-CHECK"

export const formatResult = (result: CheckResult): string => `${marker} ${JSON.stringify(result)}`

const expect = (condition: boolean, message: string): Effect.Effect<void, Error> =>
  condition ? Effect.void : Effect.fail(new Error(message))

/** (a) The README's quick start. */
const quickStart = Effect.gen(function* () {
  const fd = yield* Flashduty
  const { data, meta } = yield* fd.incidents.list({ progress: "Triggered", limit: 20 })
  yield* expect(data.items.length > 0, "no triggered incident listed")
  yield* expect(
    data.items.every((incident) => incident.progress === "Triggered"),
    "an incident that is not Triggered was listed"
  )
  const first = data.items[0]!
  return `${data.items.length} triggered, first [${first.incident_severity}] ${first.title}, request ${meta.requestId}`
})

/** (b) Pagination as a `Stream`, stopped early by `Stream.take`. */
const paginationStream = Effect.gen(function* () {
  const fd = yield* Flashduty
  const incidents = yield* fd.incidents.listStream({ limit: 5 }).pipe(Stream.take(12), Stream.runCollect)
  const ids = new Set(incidents.map((incident) => incident.incident_id))
  yield* expect(incidents.length === 12, `${incidents.length} incidents instead of 12`)
  yield* expect(ids.size === 12, `${ids.size} distinct incidents in 12: pages overlap`)
  return "12 distinct incidents over 3 pages of 5"
})

/** (c) A typed error, handled by its tag. */
const typedError = Effect.gen(function* () {
  const fd = yield* Flashduty
  return yield* fd.incidents.info({ incident_id: "missing" }).pipe(
    Effect.flatMap(() => Effect.fail(new Error("info on a missing incident succeeded"))),
    Effect.catchTag("NotFound", (error) =>
      Effect.succeed(`NotFound caught by catchTag (HTTP ${error.status}, code ${error.code})`)
    )
  )
})

/** (d) A session export read as a `Stream` of decoded lines. */
const sessionExport = Effect.gen(function* () {
  const fd = yield* Flashduty
  const lines = yield* fd.sessions.export({ session_id: "sess_runtime" }).pipe(Stream.runCollect)
  yield* expect(lines.length > 1, `${lines.length} lines`)
  yield* expect(lines[0]?.type === "session_meta", `first line is ${lines[0]?.type}, not session_meta`)
  const toolCalls = lines.filter((line) => line.type === "tool_call").length
  return `${lines.length} decoded lines (session_meta first, ${toolCalls} tool calls)`
})

/** The checks every runtime runs, by name. */
export const checks: ReadonlyArray<readonly [string, Effect.Effect<string, unknown, Flashduty>]> = [
  ["quick start", quickStart],
  ["pagination stream", paginationStream],
  ["typed error", typedError],
  ["session export stream", sessionExport]
]

const messageOf = (error: unknown): string => {
  if (error instanceof Error) return `${error.name}: ${error.message}`
  if (typeof error === "object" && error !== null && "_tag" in error) {
    const e = error as { _tag: string; message?: unknown }
    return `${e._tag}${typeof e.message === "string" && e.message !== "" ? `: ${e.message}` : ""}`
  }
  return String(error)
}

const causeMessage = (cause: Cause.Cause<unknown>): string =>
  cause.reasons
    .map((reason) =>
      Cause.isFailReason(reason)
        ? messageOf(reason.error)
        : Cause.isDieReason(reason)
          ? `defect: ${messageOf(reason.defect)}`
          : "interrupted"
    )
    .join("; ") || "no reason"

/**
 * Runs `list` one by one over `layer` (built once: one stand-in, one client), each under a
 * timeout; `report` sees each result as soon as it is known. Never fails: a failure, a defect or a
 * layer that cannot be built is a result with `ok: false`.
 */
export const runChecks = <E>(
  target: string,
  layer: Layer.Layer<Flashduty, E>,
  list: ReadonlyArray<readonly [string, Effect.Effect<string, unknown, Flashduty>]>,
  report: (result: CheckResult) => void
): Effect.Effect<ReadonlyArray<CheckResult>> =>
  Effect.gen(function* () {
    const results: Array<CheckResult> = []
    for (const [check, program] of list) {
      const exit = yield* program.pipe(Effect.timeout("20 seconds"), Effect.exit)
      const result: CheckResult =
        exit._tag === "Success"
          ? { target, check, ok: true, detail: exit.value }
          : { target, check, ok: false, detail: causeMessage(exit.cause) }
      report(result)
      results.push(result)
    }
    return results
  }).pipe(
    Effect.provide(layer),
    Effect.catchCause((cause) => {
      const results = list.map(([check]) => ({
        target,
        check,
        ok: false,
        detail: `the layer failed: ${causeMessage(cause)}`
      }))
      for (const result of results) report(result)
      return Effect.succeed(results)
    })
  )
