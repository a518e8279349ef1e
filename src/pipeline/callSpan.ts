/**
 * The one span of a call, `Flashduty.<operationId>`: operation, service, method and path,
 * then the answer's status and request id, or the error's tag, status, request id and code
 * (all scrubbed of secrets before they get here).
 */
import * as Effect from "effect/Effect"
import type * as Tracer from "effect/Tracer"
import type { FlashdutyError } from "../Errors.js"
import type { OperationInfo } from "../runtime/Operation.js"

// Built once per operation. Its stack trace would only ever point at the executor, so it is
// not captured (a `new Error()` per call).
const spanOptions = new WeakMap<OperationInfo, Tracer.SpanOptions>()

const spanOptionsOf = (operation: OperationInfo): Tracer.SpanOptions => {
  let options = spanOptions.get(operation)
  if (options === undefined) {
    options = {
      kind: "client",
      captureStackTrace: false,
      attributes: {
        "flashduty.operation_id": operation.operationId,
        "flashduty.service": operation.service,
        "http.request.method": operation.httpMethod,
        "url.path": operation.path
      }
    }
    spanOptions.set(operation, options)
  }
  return options
}

/**
 * Runs `effect` in the call's span.
 *
 * Data-first on purpose: effect 4.1's data-last `withSpan(name, options)` reads the stack
 * option from the wrong argument and captures a stack per call despite `captureStackTrace: false`.
 */
export const traced = <A, R>(
  operation: OperationInfo,
  effect: Effect.Effect<A, FlashdutyError, R>
): Effect.Effect<A, FlashdutyError, R> =>
  Effect.withSpan(
    Effect.tapError(effect, (error) =>
      Effect.annotateCurrentSpan({
        "flashduty.error": error._tag,
        ...(error.status === undefined ? {} : { "http.response.status_code": error.status }),
        ...(error.requestId === undefined ? {} : { "flashduty.request_id": error.requestId }),
        ...(error.code === undefined ? {} : { "flashduty.error_code": error.code })
      })
    ),
    `Flashduty.${operation.operationId}`,
    spanOptionsOf(operation)
  )

/** Records an answer's status and (scrubbed) request id on the current span. */
export const annotateAnswer = (status: number, requestId: string | undefined): Effect.Effect<void> =>
  Effect.annotateCurrentSpan(
    requestId === undefined
      ? { "http.response.status_code": status }
      : { "http.response.status_code": status, "flashduty.request_id": requestId }
  )
