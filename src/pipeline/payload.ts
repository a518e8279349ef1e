/**
 * Step 2 of a call: the caller's input made ready to send, once, before anything is sent.
 * A ready body (multipart) is taken as it is; a body the operation prepares from the caller's
 * input is run; anything else is encoded by the operation's request schema and serialised
 * (JSON text, or query parameters for a GET). Whatever does not fit is the caller's
 * `InvalidParameter`, naming the field.
 */
import * as Effect from "effect/Effect"
import * as HttpBody from "effect/http/HttpBody"
import * as Result from "effect/Result"
import type * as Schema from "effect/Schema"
import type { InvalidParameter } from "../Errors.js"
import type { OperationInfo } from "../runtime/Operation.js"
import { bodyPayload, type PreparedBody, type RequestPayload, serialize } from "./buildRequest.js"
import { guardInput, invalidInput } from "./inputGuard.js"
import { encoderOf } from "./schemaCodec.js"
import { firstProblem } from "./schemaIssue.js"

/**
 * The call's payload. All of it under `guardInput`: even asking what the input is runs the
 * caller's code (a `Proxy`'s traps), and whatever that throws is the caller's
 * `InvalidParameter`, its message scrubbed of `secrets`.
 */
export const payloadOf = (
  operation: OperationInfo,
  schema: Schema.Codec<unknown, unknown> | undefined,
  input: unknown,
  secrets: ReadonlyArray<string>
): Effect.Effect<RequestPayload, InvalidParameter> =>
  guardInput(
    operation.operationId,
    secrets,
    Effect.suspend((): Effect.Effect<RequestPayload, InvalidParameter> => {
      if (HttpBody.isHttpBody(input)) return Effect.succeed(bodyPayload(operation, input))
      // A body the operation prepares from the caller's input (multipart, and its query).
      if (Effect.isEffect(input))
        return Effect.map(input as Effect.Effect<PreparedBody, InvalidParameter>, (prepared) =>
          bodyPayload(operation, prepared)
        )
      const invalid = (path: string, message: string) =>
        invalidInput(operation.operationId, path, message, secrets)
      const encoded =
        schema === undefined
          ? Effect.succeed(input)
          : Effect.mapError(encoderOf(schema)(input), (issue) => {
              const problem = firstProblem(issue)
              return invalid(problem.path, problem.message)
            })
      return Effect.flatMap(encoded, (value) => {
        const serialized = serialize(operation, value)
        return Result.isSuccess(serialized)
          ? Effect.succeed(serialized.success)
          : Effect.fail(invalid(serialized.failure.path, serialized.failure.message))
      })
    })
  )
