/**
 * Retrying an attempt by the call's policy, only where it is safe: the error must be
 * retryable for the operation's access (`Retry.isRetryable`; a write marked idempotent counts
 * as a read unless `retryIdempotentWrites` is off), and the request body must be one that can
 * be sent again exactly. A one-shot body is sent once; an error that would otherwise have
 * been retried says so in its message.
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import type { FlashdutyError } from "../Errors.js"
import { isRetryable, type RetryPolicy } from "../Retry.js"
import type { OperationInfo } from "../runtime/Operation.js"

const notReplayed =
  "not retried: the request body is a one-shot stream that could not be replayed (upload from bytes or a file path, or mark the stream replayable, to let it be retried)"

/** `error` with a note appended to its message (same tag and fields). */
const withNote = (error: FlashdutyError, note: string): FlashdutyError => {
  const Constructor = error.constructor as new (fields: object) => FlashdutyError
  // `message` and `cause` are not enumerable on an Error: carried over by hand.
  const { _tag: _, ...fields } = { ...error }
  const cause = (error as { readonly cause?: unknown }).cause
  return new Constructor({
    ...fields,
    ...(cause === undefined ? {} : { cause }),
    message: `${error.message} (${note})`
  })
}

/** The access the retry rule applies: an idempotent write is retried like a read, when allowed. */
const retryAccess = (operation: OperationInfo, retryIdempotentWrites: boolean): OperationInfo["access"] =>
  operation.access === "write" && operation.idempotent === true && retryIdempotentWrites
    ? "read"
    : operation.access

/** `attempt` retried by `policy`, as safe. */
export const withRetry = <A, R>(
  operation: OperationInfo,
  policy: RetryPolicy | false,
  retryIdempotentWrites: boolean,
  replayable: boolean,
  attempt: Effect.Effect<A, FlashdutyError, R>
): Effect.Effect<A, FlashdutyError, R> => {
  if (policy === false) return attempt
  const access = retryAccess(operation, retryIdempotentWrites)
  if (!replayable) {
    return Effect.mapError(attempt, (error) =>
      isRetryable(error, access) ? withNote(error, notReplayed) : error
    )
  }
  // The safety rule gates before the policy: an error that will not be retried (a write's
  // 5xx, a 4xx) passes the retry as a value, so the user's schedule (its taps, counters)
  // only ever sees errors that it may retry. `Effect.retry`'s `while` would step the
  // schedule first.
  const gated = attempt.pipe(
    Effect.map(Result.succeed),
    Effect.catchIf(
      (error) => !isRetryable(error, access),
      (error) => Effect.succeed(Result.fail(error))
    )
  )
  return Effect.flatMap(Effect.retry(gated, policy), Effect.fromResult)
}
