/**
 * The SDK's debug log lines: one per request sent (`flashduty → POST /incident/list`) and one
 * per body read whole (`flashduty ← 200 /incident/list`), bodies redacted and capped
 * (`logBody`). Nothing is built unless the fiber's minimum log level lets debug lines through.
 */
import * as Effect from "effect/Effect"
import * as LogLevel from "effect/LogLevel"
import * as References from "effect/References"
import type { OperationInfo } from "../runtime/Operation.js"
import type { RequestPayload } from "./buildRequest.js"
import { logBody, preview } from "./redact.js"

const isDebugEnabled = Effect.withFiber((fiber) =>
  Effect.succeed(LogLevel.isGreaterThanOrEqualTo("Debug", fiber.getRef(References.MinimumLogLevel)))
)

/** Logs the request about to be sent (once per call, not per attempt). */
export const logRequest = (
  operation: OperationInfo,
  payload: RequestPayload,
  secrets: ReadonlyArray<string>
): Effect.Effect<void> =>
  Effect.flatMap(isDebugEnabled, (debug) =>
    debug
      ? Effect.logDebug(`flashduty → ${operation.httpMethod} ${operation.path}`, {
          operationId: operation.operationId,
          body: payload._tag === "Body" ? "<binary body>" : logBody(payload.encoded, secrets)
        })
      : Effect.void
  )

/** Logs a body read whole: its JSON redacted, or a scrubbed preview of its text. */
export const logAnswer = (
  operation: OperationInfo,
  status: number,
  text: string,
  secrets: ReadonlyArray<string>
): Effect.Effect<void> =>
  Effect.flatMap(isDebugEnabled, (debug) => {
    if (!debug) return Effect.void
    let body: unknown
    try {
      body = logBody(JSON.parse(text), secrets)
    } catch {
      body = preview(text, secrets, 500)
    }
    return Effect.logDebug(`flashduty ← ${status} ${operation.path}`, {
      operationId: operation.operationId,
      body
    })
  })
