/**
 * The caller's input is read (encoded, serialised, framed) before anything is sent, and
 * reading it runs the caller's own code: getters, `toJSON`, `toString`, `Proxy` traps. Any
 * of them may throw; that is the caller's `InvalidParameter`, never a defect, and its text
 * (which may quote a secret) is scrubbed and bounded like any text the SDK reports.
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import { InvalidParameter } from "../Errors.js"
import { clip } from "./clip.js"
import { scrubText } from "./redact.js"

/** The `InvalidParameter` of input that cannot be sent, its message scrubbed of `secrets`. */
export const invalidInput = (
  operationId: string,
  path: string,
  message: string,
  secrets: ReadonlyArray<string>
): InvalidParameter =>
  new InvalidParameter({
    message: `${operationId}: invalid request${path === "" ? "" : ` at ${path}`}: ${clip(scrubText(message, secrets), 300)} (nothing was sent)`,
    operationId,
    path
  })

const messageOf = (defect: unknown): string =>
  defect instanceof Error
    ? `${defect.name}: ${defect.message}`
    : typeof defect === "string"
      ? defect
      : "a value was thrown"

/**
 * `prepare` with any defect it raises (a throwing getter, `toString` or `Proxy` trap in the
 * caller's input) turned into `InvalidParameter`, and the message of any `InvalidParameter`
 * it fails with scrubbed of `secrets`. Interruption is left alone.
 */
export const guardInput = <A, E, R>(
  operationId: string,
  secrets: ReadonlyArray<string>,
  prepare: Effect.Effect<A, E, R>
): Effect.Effect<A, E | InvalidParameter, R> =>
  Effect.catchCause(
    Effect.suspend(() => prepare),
    (cause): Effect.Effect<never, E | InvalidParameter> => {
      if (!Cause.hasDies(cause)) {
        const failure = cause.reasons.find((reason) => reason._tag === "Fail")
        const error = failure?._tag === "Fail" ? (failure.error as { readonly _tag?: unknown }) : undefined
        if (error instanceof InvalidParameter) {
          return Effect.fail(
            new InvalidParameter({
              message: scrubText(error.message, secrets),
              ...(error.operationId === undefined ? {} : { operationId: error.operationId }),
              ...(error.path === undefined ? {} : { path: error.path })
            })
          )
        }
        return Effect.failCause(cause)
      }
      const defect = cause.reasons.find((reason) => reason._tag === "Die")
      return Effect.fail(
        invalidInput(
          operationId,
          "",
          `the input could not be read (${messageOf(defect?._tag === "Die" ? defect.defect : undefined)})`,
          secrets
        )
      )
    }
  )

/**
 * `read()` (which runs the caller's code: spreading a request runs its getters and traps), or
 * the `InvalidParameter` of what it threw. For the few places that build a request from the
 * caller's outside the pipeline (a page's cursor added to it, say).
 */
export const readInput = <A>(operationId: string, read: () => A): Effect.Effect<A, InvalidParameter> =>
  Effect.suspend(() => {
    try {
      return Effect.succeed(read())
    } catch (error) {
      return Effect.fail(
        invalidInput(operationId, "", `the input could not be read (${messageOf(error)})`, [])
      )
    }
  })
