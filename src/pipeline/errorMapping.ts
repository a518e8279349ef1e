/**
 * From a Flashduty error envelope (or a bare HTTP status) to the SDK's tagged errors.
 *
 * `error.code` decides first (the API answers `ResourceNotFound` with HTTP 400), the HTTP
 * status second: a code of `""`, `"0"` or `"OK"` (any case) is success, and a code this SDK
 * does not know is classed by the status (`ApiError` on a 2xx). Each `ErrorCode` of the spec maps as follows; `code` is always kept
 * verbatim on the error, so nothing is lost by grouping:
 *
 * | ErrorCode | error | why |
 * | --- | --- | --- |
 * | `InvalidParameter`, `BadRequest` | `InvalidParameter` | the request was rejected as malformed |
 * | `EntityTooLarge`, `InvalidContentType` | `InvalidParameter` | the request body itself is at fault |
 * | `ResourceNotFound`, `RouteNotFound` | `NotFound` | nothing at that id / path |
 * | `Unauthorized` | `Unauthorized` | key or token missing, wrong, expired |
 * | `AccessDenied`, `NoLicense` | `AccessDenied` | valid credentials, not allowed (role or plan) |
 * | `RequestTooFrequently` | `RateLimited` | server-side limit; retry after `Retry-After` |
 * | `InternalError`, `ServiceUnavailable` | `ServerError` | the server failed; reads may retry |
 * | `ReferenceExist`, `BalanceNotEnough`, `MethodNotAllowed`, `UndonedOrderExist`, `RequestLocked`, `RequestVerifyRequired`, `DangerousOperation` | `ApiError` | business refusals a caller handles by `code` |
 * | any other code | by the HTTP status (`ServerError` for a 5xx, `AccessDenied` for a 403, …), `ApiError` on a 2xx | kept verbatim, so new codes still surface; the status says what kind of failure it is |
 */
import type * as Duration from "effect/Duration"
import {
  AccessDenied,
  ApiError,
  type FlashdutyError,
  type FlashdutyErrorTag,
  InvalidParameter,
  NotFound,
  RateLimited,
  ServerError,
  Unauthorized
} from "../Errors.js"
import type { ErrorCode } from "../generated/ErrorCode.js"

/**
 * Every `ErrorCode` of the spec (generated in `src/generated/ErrorCode.ts`) and the error it
 * becomes: a code the spec adds fails to compile here until it is mapped.
 */
export const errorCodeMapping = {
  OK: "OK",
  InvalidParameter: "InvalidParameter",
  BadRequest: "InvalidParameter",
  InvalidContentType: "InvalidParameter",
  ResourceNotFound: "NotFound",
  NoLicense: "AccessDenied",
  ReferenceExist: "ApiError",
  Unauthorized: "Unauthorized",
  BalanceNotEnough: "ApiError",
  AccessDenied: "AccessDenied",
  RouteNotFound: "NotFound",
  MethodNotAllowed: "ApiError",
  UndonedOrderExist: "ApiError",
  RequestLocked: "ApiError",
  EntityTooLarge: "InvalidParameter",
  RequestTooFrequently: "RateLimited",
  RequestVerifyRequired: "ApiError",
  DangerousOperation: "ApiError",
  InternalError: "ServerError",
  ServiceUnavailable: "ServerError"
} as const satisfies Record<ErrorCode, FlashdutyErrorTag | "OK">

/** The error tag for an HTTP status when no (known) code says otherwise. */
const tagForStatus = (status: number): FlashdutyErrorTag => {
  if (status === 400 || status === 413 || status === 415 || status === 422) return "InvalidParameter"
  if (status === 401) return "Unauthorized"
  if (status === 403) return "AccessDenied"
  if (status === 404) return "NotFound"
  if (status === 429) return "RateLimited"
  if (status >= 500) return "ServerError"
  return "ApiError"
}

/** What is known about a failed answer. */
export interface FailedAnswer {
  readonly operationId: string
  readonly status: number
  readonly requestId: string | undefined
  /** `error.code`, when the body had one. */
  readonly code: string | undefined
  /** `error.message` (already scrubbed of credentials), or a description of the status. */
  readonly message: string
  /** `error.reason`, when the body had one (already scrubbed). */
  readonly reason: string | undefined
  readonly retryAfter: Duration.Duration | undefined
}

/**
 * Whether an `error.code` says success: `""`, `"0"` or `"OK"` in any case, as go-flashduty
 * (`isFailureCode`, in flashduty.go) reads the live API.
 */
export const isSuccessCode = (code: string | undefined): boolean =>
  code === undefined || code === "" || code === "0" || code.toUpperCase() === "OK"

const tagFor = (code: string | undefined, status: number): FlashdutyErrorTag => {
  if (!isSuccessCode(code)) {
    const known = (errorCodeMapping as Record<string, FlashdutyErrorTag | "OK">)[code as string]
    // A code this SDK does not know (`timeout`, `access_denied`, `Internal`): the status says
    // what kind of failure it is (a 5xx is still a server error, which a read may retry).
    if (known === undefined) return status >= 200 && status < 300 ? "ApiError" : tagForStatus(status)
    if (known !== "OK") return known
  }
  return tagForStatus(status)
}

/** Builds the tagged error of a failed answer. */
export const toFlashdutyError = (answer: FailedAnswer): FlashdutyError => {
  const fields = {
    message:
      (answer.code === undefined ? answer.message : `${answer.code}: ${answer.message}`) +
      (answer.reason === undefined ? "" : ` (reason: ${answer.reason})`),
    operationId: answer.operationId,
    status: answer.status,
    ...(answer.requestId === undefined ? {} : { requestId: answer.requestId }),
    ...(answer.code === undefined ? {} : { code: answer.code }),
    ...(answer.reason === undefined ? {} : { reason: answer.reason })
  }
  switch (tagFor(answer.code, answer.status)) {
    case "NotFound":
      return new NotFound(fields)
    case "RateLimited":
      return new RateLimited(
        answer.retryAfter === undefined ? fields : { ...fields, retryAfter: answer.retryAfter }
      )
    case "Unauthorized":
      return new Unauthorized(fields)
    case "AccessDenied":
      return new AccessDenied(fields)
    case "InvalidParameter":
      return new InvalidParameter(fields)
    case "ServerError":
      return new ServerError(fields)
    default:
      return new ApiError(fields)
  }
}
