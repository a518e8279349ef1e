/**
 * From a Flashduty error envelope (or a bare HTTP status) to the SDK's tagged errors.
 *
 * `error.code` decides first (the API answers `ResourceNotFound` with HTTP 400), the HTTP
 * status second. Each `ErrorCode` of the spec maps as follows; `code` is always kept
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
 * | any other code | `ApiError` | kept verbatim, so new codes still surface |
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

/** Every `ErrorCode` of the spec (`components.schemas.ErrorCode`) and the error it becomes. */
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
} as const satisfies Record<string, FlashdutyErrorTag | "OK">

/** A Flashduty `ErrorCode` known to this SDK version. */
export type ErrorCode = keyof typeof errorCodeMapping

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
  readonly retryAfter: Duration.Duration | undefined
}

const tagFor = (code: string | undefined, status: number): FlashdutyErrorTag => {
  if (code !== undefined && code !== "" && code !== "OK") {
    const known = (errorCodeMapping as Record<string, FlashdutyErrorTag | "OK">)[code]
    // A 429 with an unexpected code is still a rate limit: the request was not processed.
    if (known === undefined) return status === 429 ? "RateLimited" : "ApiError"
    if (known !== "OK") return known
  }
  return tagForStatus(status)
}

/** Builds the tagged error of a failed answer. */
export const toFlashdutyError = (answer: FailedAnswer): FlashdutyError => {
  const fields = {
    message: answer.code === undefined ? answer.message : `${answer.code}: ${answer.message}`,
    operationId: answer.operationId,
    status: answer.status,
    ...(answer.requestId === undefined ? {} : { requestId: answer.requestId }),
    ...(answer.code === undefined ? {} : { code: answer.code })
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
