/**
 * Error handling: every failure is a tagged error in the error channel, so a program
 * handles the ones it expects with `Effect.catchTag` / `Effect.catchTags` and lets the
 * rest through, typed. Errors carry the request id, HTTP status and Flashduty error
 * code, never the app key.
 *
 *   npx tsx examples/error-handling.ts
 */
import { Console, Effect, Option } from "effect"
import { Flashduty } from "effect-flashduty"
import { Fault } from "effect-flashduty/testing"
import { defineExample, runMain } from "./runtime.js"

export const program = Effect.gen(function* () {
  const fd = yield* Flashduty

  // 1. A missing incident is an answer for this program, not a failure.
  const incident = yield* fd.incidents.info({ incident_id: "000000000000000000000000" }).pipe(
    Effect.map(({ data }) => Option.some(data)),
    Effect.catchTag("NotFound", (error) =>
      Console.log(`1. no such incident (code ${error.code}, request ${error.requestId})`).pipe(
        Effect.as(Option.none())
      )
    )
  )

  // 2. Several expected errors at once; anything else still fails the program.
  const listing = yield* fd.incidents.list({ progress: "Triggered", limit: 1 }).pipe(
    Effect.map(({ data }) => `${data.items.length} incident(s) listed`),
    Effect.catchTags({
      AccessDenied: (error) => Effect.succeed(`not allowed to list incidents (HTTP ${error.status})`),
      Unauthorized: () => Effect.succeed("the app key was refused: check FLASHDUTY_APP_KEY")
    })
  )
  yield* Console.log(`2. ${listing}`)

  // 3. A proxy's HTML error page is a GatewayError with a preview of the body. `retry: false`
  //    turns off the default retries for this call, so the error shows at once.
  const byIds = yield* fd.incidents
    .listByIds({ incident_ids: ["69da451ef77b1b51f40e83ee"] }, { retry: false })
    .pipe(
      Effect.map(({ data }) => `${data.items.length} incident(s) found by id`),
      Effect.catchTag("GatewayError", (error) =>
        Effect.succeed(
          `a proxy answered HTTP ${error.status} instead of the API: ${error.preview.slice(0, 40)}…`
        )
      )
    )
  yield* Console.log(`3. ${byIds}`)

  return { incident, listing, byIds }
})

export const example = defineExample({
  title: "Error handling with catchTag",
  program,
  // On the stand-in, make the second and third calls fail the way a real deployment can.
  standIn: {
    faults: [
      { operationId: "incidentList", times: 1, fault: Fault.error("AccessDenied") },
      { operationId: "incidentListByIds", times: 1, fault: Fault.htmlProxyPage(502) }
    ]
  }
})

runMain(example, import.meta.url)
