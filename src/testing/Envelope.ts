/**
 * The API's answer envelopes: `{"request_id", "data"}` on success and
 * `{"request_id", "error": {"code", "message"}}` on failure, both with a
 * `Flashcat-Request-Id` header, plus the non-API pages a proxy sends.
 */
import { jsonResponse, type StandInResponse, textResponse } from "./StandInHttp.js"

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

const base32 = (value: number, width: number): string => {
  let out = ""
  let rest = Math.max(0, Math.floor(value))
  for (let i = 0; i < width; i++) {
    out = CROCKFORD[rest % 32] + out
    rest = Math.floor(rest / 32)
  }
  return out
}

/** ULID-shaped request ids (time, then a counter), unique within one stand-in. */
export const makeRequestIds = (): ((nowMillis: number) => string) => {
  let counter = 0
  return (nowMillis) => `${base32(nowMillis, 10)}${base32(++counter, 16)}`
}

/** The messages the real API sends with its codes (from the spec's examples). */
const defaultMessages: Readonly<Record<string, string>> = {
  InvalidParameter: "The specified parameter is not valid.",
  Unauthorized: "You are unauthorized.",
  AccessDenied: "Access Denied.",
  ResourceNotFound: "The resource you request is not found",
  RouteNotFound: "The route you request is not found",
  MethodNotAllowed: "The method is not allowed for the route",
  RequestTooFrequently: "Request too frequently.",
  InternalError: "We encountered an internal error, and it has been reported. Please try again later.",
  ServiceUnavailable: "Service is unavailable, please try again later."
}

export const success = (requestId: string, data: unknown): StandInResponse =>
  jsonResponse(200, { request_id: requestId, data }, { "flashcat-request-id": requestId })

export const failure = (
  requestId: string,
  status: number,
  code: string,
  message?: string,
  retryAfter?: number | string
): StandInResponse =>
  jsonResponse(
    status,
    { request_id: requestId, error: { code, message: message ?? defaultMessages[code] ?? code } },
    {
      "flashcat-request-id": requestId,
      ...(retryAfter === undefined ? {} : { "retry-after": String(retryAfter) })
    }
  )

/** What nginx in front of an API sends when the upstream is gone: HTML, no envelope, no request id. */
export const htmlProxyPage = (status: number): StandInResponse => {
  const title = `${status} ${proxyReasons[status] ?? "Error"}`
  return textResponse(
    status,
    "text/html",
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  )
}

const proxyReasons: Readonly<Record<number, string>> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Temporarily Unavailable",
  504: "Gateway Time-out"
}

/** A 200 whose JSON stops mid-way, as when a proxy cuts a buffered body. */
export const malformedBody = (requestId: string): StandInResponse =>
  textResponse(
    200,
    "application/json; charset=utf-8",
    `{"request_id":"${requestId}","data":{"items":[{"incident_id":`,
    {
      "flashcat-request-id": requestId
    }
  )
