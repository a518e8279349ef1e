/**
 * Faults the stand-in can inject, and the rules that decide when. A rule matches by
 * operationId and/or path, may let the first requests through (`skip`), fire a
 * limited number of `times`, and fire with a `probability` drawn from the stand-in's
 * seeded generator, so a flaky scenario replays identically.
 *
 * @example
 * ```ts
 * import { Fault } from "effect-flashduty/testing"
 *
 * const rules = [
 *   { operationId: "incidentList", times: 2, fault: Fault.error("RequestTooFrequently", { retryAfter: 3 }) },
 *   { path: "/incident/info", probability: 0.1, fault: Fault.dropConnection },
 *   { fault: Fault.latency("200 millis") }
 * ]
 * ```
 */
import type * as Duration from "effect/Duration"
import type { ErrorCode as GeneratedErrorCode } from "../generated/ErrorCode.js"

/** A code a fault may answer with: the API's own (`OK` aside), generated from the spec. */
export type ErrorCode = Exclude<GeneratedErrorCode, "OK">

/** An error envelope with the given status and code (`Retry-After` when set). */
export interface ErrorAnswerFault {
  readonly _tag: "ErrorAnswer"
  readonly status: number
  readonly code: string
  readonly message?: string
  /** Seconds (a number) or an HTTP date (a string), sent as `Retry-After`. */
  readonly retryAfter?: number | string
}

/** Waits (on Effect's `Clock`, so `TestClock` drives it) before answering normally. */
export interface LatencyFault {
  readonly _tag: "Latency"
  readonly duration: Duration.Input
}

/** The connection is cut before any byte of the answer. */
export interface DropConnectionFault {
  readonly _tag: "DropConnection"
}

/** The normal answer's headers, then only part of its body, then the connection is cut. */
export interface TruncatedBodyFault {
  readonly _tag: "TruncatedBody"
  /** Bytes of the body sent before cutting; default: half of it. */
  readonly keepBytes?: number
}

/** HTTP 200, `application/json`, and a body that is not JSON. */
export interface MalformedBodyFault {
  readonly _tag: "MalformedBody"
}

/** An HTML error page, as a proxy or load balancer in front of the API sends. */
export interface HtmlProxyPageFault {
  readonly _tag: "HtmlProxyPage"
  readonly status: number
}

/** For the NDJSON export: the stream ends with the server's error line after `afterLines` lines. */
export interface ExportErrorLineFault {
  readonly _tag: "ExportErrorLine"
  readonly afterLines: number
  readonly code: string
  readonly message: string
}

export type Fault =
  | ErrorAnswerFault
  | LatencyFault
  | DropConnectionFault
  | TruncatedBodyFault
  | MalformedBodyFault
  | HtmlProxyPageFault
  | ExportErrorLineFault

/** The HTTP status the real API pairs with an error code. */
export const statusForCode = (code: string): number => {
  switch (code) {
    case "Unauthorized":
      return 401
    case "AccessDenied":
      return 403
    case "RouteNotFound":
      return 404
    case "MethodNotAllowed":
      return 405
    case "EntityTooLarge":
      return 413
    case "RequestTooFrequently":
      return 429
    case "InternalError":
      return 500
    case "ServiceUnavailable":
      return 503
    default:
      // ResourceNotFound included: Flashduty answers missing entities with 400.
      return 400
  }
}

/** The error code the real API would send with a bare status. */
export const codeForStatus = (status: number): ErrorCode => {
  switch (status) {
    case 401:
      return "Unauthorized"
    case 403:
      return "AccessDenied"
    case 404:
      return "RouteNotFound"
    case 405:
      return "MethodNotAllowed"
    case 413:
      return "EntityTooLarge"
    case 429:
      return "RequestTooFrequently"
    case 503:
      return "ServiceUnavailable"
    default:
      return status >= 500 ? "InternalError" : "BadRequest"
  }
}

interface ErrorOptions {
  readonly message?: string
  readonly retryAfter?: number | string
}

/** Constructors for {@link Fault}s. */
export const Fault = {
  /** An error envelope with `code`, at the status the real API uses for it unless `status` is given. */
  error: (code: ErrorCode | (string & {}), options?: ErrorOptions & { readonly status?: number }): Fault => ({
    _tag: "ErrorAnswer",
    status: options?.status ?? statusForCode(code),
    code,
    ...(options?.message === undefined ? {} : { message: options.message }),
    ...(options?.retryAfter === undefined ? {} : { retryAfter: options.retryAfter })
  }),
  /** An error envelope with this HTTP status and the code the API pairs with it, unless `code` is given. */
  status: (
    status: number,
    options?: ErrorOptions & { readonly code?: ErrorCode | (string & {}) }
  ): Fault => ({
    _tag: "ErrorAnswer",
    status,
    code: options?.code ?? codeForStatus(status),
    ...(options?.message === undefined ? {} : { message: options.message }),
    ...(options?.retryAfter === undefined ? {} : { retryAfter: options.retryAfter })
  }),
  /** `429 RequestTooFrequently` with `Retry-After` (seconds, default 1), as the API's limiter answers. */
  rateLimited: (retryAfter: number | string = 1): Fault => ({
    _tag: "ErrorAnswer",
    status: 429,
    code: "RequestTooFrequently",
    retryAfter
  }),
  latency: (duration: Duration.Input): Fault => ({ _tag: "Latency", duration }),
  dropConnection: { _tag: "DropConnection" } as Fault,
  truncatedBody: (keepBytes?: number): Fault =>
    keepBytes === undefined ? { _tag: "TruncatedBody" } : { _tag: "TruncatedBody", keepBytes },
  malformedBody: { _tag: "MalformedBody" } as Fault,
  htmlProxyPage: (status = 502): Fault => ({ _tag: "HtmlProxyPage", status }),
  exportErrorLine: (options?: {
    readonly afterLines?: number
    readonly code?: ErrorCode | (string & {})
    readonly message?: string
  }): Fault => ({
    _tag: "ExportErrorLine",
    afterLines: options?.afterLines ?? 10,
    code: options?.code ?? "InternalError",
    message: options?.message ?? "export aborted: upstream stream failed"
  })
}

/** When a {@link Fault} applies. Omitted matchers match every request. */
export interface FaultRule {
  readonly operationId?: string | ReadonlyArray<string>
  /** Exact path (`/incident/list`) or a pattern. */
  readonly path?: string | RegExp
  /** Let this many matching requests through before the rule may fire. */
  readonly skip?: number
  /** Fire at most this many times; default: always. */
  readonly times?: number
  /** Chance (0..1) that a matching request gets the fault; default 1. */
  readonly probability?: number
  readonly fault: Fault
}
