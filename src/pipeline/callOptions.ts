/**
 * A call's options (`CallOptions`, the last argument of every method), checked once before
 * anything is sent by the same rules as the client's (`optionRules.ts`): a clear
 * `InvalidParameter` naming the option, never a defect, never a silently disabled limit.
 */

import type * as Duration from "effect/Duration"
import type * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import { InvalidParameter } from "../Errors.js"
import type { RetryPolicy } from "../Retry.js"
import {
  bearerTokenRule,
  booleanRule,
  byteCapRule,
  describeValue,
  headersRule,
  retryRule,
  timeoutRule
} from "./optionRules.js"

/** The options one call may carry, checked and parsed; `undefined` means "the client's". */
export interface CheckedCallOptions {
  /** Replaces the client's retry policy; `false` for none. */
  readonly retry: RetryPolicy | false | undefined
  /** Replaces the client's per-attempt timeout; positive and finite, already parsed. */
  readonly timeout: Duration.Duration | undefined
  /** Extra headers, names lower-cased, values checked. */
  readonly headers: Readonly<Record<string, string>> | undefined
  /** Replaces the client's response size cap. */
  readonly maxResponseBytes: number | undefined
  /** The line cap of the operations that stream lines (only when asked for through `extra`). */
  readonly maxLineBytes: number | undefined
  /** Replaces the client's `retryIdempotentWrites`. */
  readonly retryIdempotentWrites: boolean | undefined
  /** The per-call bearer token of an operation that authenticates with one (automation triggers). */
  readonly bearerToken: Redacted.Redacted<string> | undefined
}

/** The names a call's options may hold. */
type CallOptionName = keyof CheckedCallOptions

/** A call without options: one shared, frozen constant. */
export const noCallOptions: CheckedCallOptions = Object.freeze({
  retry: undefined,
  timeout: undefined,
  headers: undefined,
  maxResponseBytes: undefined,
  maxLineBytes: undefined,
  retryIdempotentWrites: undefined,
  bearerToken: undefined
})

const noCallOptionsResult: Result.Result<CheckedCallOptions, InvalidParameter> = Result.succeed(noCallOptions)

/** The error of a refused call option: `<operationId>: invalid call option <name>: <why> (nothing was sent)`. */
const invalidCallOption = (operationId: string, name: string, why: string): InvalidParameter =>
  new InvalidParameter({
    message: `${operationId}: invalid call option ${name}: ${why} (nothing was sent)`,
    operationId,
    path: `options.${name}`
  })

/**
 * Checks a call's options once, before anything is sent, with the same rules as the client's
 * options. `undefined` (the common case) answers a shared constant without allocating.
 * Unknown keys are ignored (special operations carry options of their own); `maxLineBytes`
 * is checked only where `extra` names it, i.e. for operations that take it.
 */
export const checkCallOptions = (
  operationId: string,
  options: unknown,
  extra?: ReadonlyArray<"maxLineBytes">
): Result.Result<CheckedCallOptions, InvalidParameter> => {
  if (options === undefined) return noCallOptionsResult
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    return Result.fail(
      new InvalidParameter({
        message: `${operationId}: invalid call options: must be an object, got ${describeValue(options)} (nothing was sent)`,
        operationId,
        path: "options"
      })
    )
  }
  const record = options as Record<string, unknown>
  // No closures and one try: this runs on every call that passes options (often `{}`).
  let name: CallOptionName = "retry"
  try {
    const retry = record.retry
    name = "timeout"
    const timeout = record.timeout
    name = "headers"
    const headers = record.headers
    name = "maxResponseBytes"
    const maxResponseBytes = record.maxResponseBytes
    name = "maxLineBytes"
    const maxLineBytes = extra?.includes("maxLineBytes") ? record.maxLineBytes : undefined
    name = "retryIdempotentWrites"
    const retryIdempotentWrites = record.retryIdempotentWrites
    name = "bearerToken"
    const bearerToken = record.bearerToken
    if (
      retry === undefined &&
      timeout === undefined &&
      headers === undefined &&
      maxResponseBytes === undefined &&
      maxLineBytes === undefined &&
      retryIdempotentWrites === undefined &&
      bearerToken === undefined
    ) {
      return noCallOptionsResult
    }
    name = "retry"
    const checkedRetry = retry === undefined ? undefined : retryRule(retry)
    if (checkedRetry !== undefined && Result.isFailure(checkedRetry))
      return refuse(operationId, name, checkedRetry)
    name = "timeout"
    const checkedTimeout = timeout === undefined ? undefined : timeoutRule(timeout)
    if (checkedTimeout !== undefined && Result.isFailure(checkedTimeout)) {
      return refuse(operationId, name, checkedTimeout)
    }
    name = "headers"
    const checkedHeaders = headers === undefined ? undefined : headersRule(headers)
    if (checkedHeaders !== undefined && Result.isFailure(checkedHeaders)) {
      return refuse(operationId, name, checkedHeaders)
    }
    name = "maxResponseBytes"
    const checkedMaxResponseBytes = maxResponseBytes === undefined ? undefined : byteCapRule(maxResponseBytes)
    if (checkedMaxResponseBytes !== undefined && Result.isFailure(checkedMaxResponseBytes)) {
      return refuse(operationId, name, checkedMaxResponseBytes)
    }
    name = "maxLineBytes"
    const checkedMaxLineBytes = maxLineBytes === undefined ? undefined : byteCapRule(maxLineBytes)
    if (checkedMaxLineBytes !== undefined && Result.isFailure(checkedMaxLineBytes)) {
      return refuse(operationId, name, checkedMaxLineBytes)
    }
    name = "retryIdempotentWrites"
    const checkedRetryIdempotent =
      retryIdempotentWrites === undefined ? undefined : booleanRule(retryIdempotentWrites)
    if (checkedRetryIdempotent !== undefined && Result.isFailure(checkedRetryIdempotent)) {
      return refuse(operationId, name, checkedRetryIdempotent)
    }
    name = "bearerToken"
    const checkedBearer = bearerToken === undefined ? undefined : bearerTokenRule(bearerToken)
    if (checkedBearer !== undefined && Result.isFailure(checkedBearer))
      return refuse(operationId, name, checkedBearer)
    return Result.succeed({
      retry: checkedRetry?.success,
      timeout: checkedTimeout?.success,
      headers: checkedHeaders?.success,
      maxResponseBytes: checkedMaxResponseBytes?.success,
      maxLineBytes: checkedMaxLineBytes?.success,
      retryIdempotentWrites: checkedRetryIdempotent?.success,
      bearerToken: checkedBearer?.success
    })
  } catch {
    // A getter or proxy that throws (reading an option, or a header of the record).
    return Result.fail(invalidCallOption(operationId, name, "could not be read (reading it threw)"))
  }
}

const refuse = (
  operationId: string,
  name: CallOptionName,
  verdict: Result.Failure<unknown, string>
): Result.Result<never, InvalidParameter> =>
  Result.fail(invalidCallOption(operationId, name, verdict.failure))
