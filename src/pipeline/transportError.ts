/**
 * From Effect's `HttpClientError` to the SDK's `TransportError` (or `InvalidParameter` for
 * requests that could not even be built), deciding whether the request may have reached
 * the server.
 */
import type * as HttpClientError from "effect/http/HttpClientError"
import { type FlashdutyError, GatewayError, InvalidParameter, TransportError } from "../Errors.js"
import { scrubText } from "./redact.js"
import { redirectRefused } from "./refuseRedirects.js"

type Reason = TransportError["reason"]

/** Error codes (Node / undici) proving that no connection was made, so nothing was sent. */
const refusedCodes = new Set(["ECONNREFUSED"])
const abortNames = new Set(["AbortError"])
const timeoutCodes = new Set([
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT"
])

interface Found {
  readonly code: string | undefined
  readonly name: string | undefined
  readonly message: string | undefined
}

/** Walks `cause` chains (fetch: `TypeError: fetch failed` → `Error { code: "ECONNREFUSED" }`). */
const findRoot = (cause: unknown): Found => {
  let code: string | undefined
  let name: string | undefined
  let message: string | undefined
  let current: unknown = cause
  for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth++) {
    const c = current as {
      code?: unknown
      name?: unknown
      message?: unknown
      cause?: unknown
      errors?: unknown
    }
    if (typeof c.code === "string") code = c.code
    if (typeof c.name === "string" && (name === undefined || abortNames.has(c.name))) name = c.name
    if (typeof c.message === "string" && c.message !== "") message = c.message
    // AggregateError (happy eyeballs): look at the first attempt.
    const next = c.cause ?? (Array.isArray(c.errors) ? c.errors[0] : undefined)
    current = next
  }
  return { code, name, message }
}

/** Classifies a network failure's cause. */
const reasonOfCause = (cause: unknown): Reason => {
  const root = findRoot(cause)
  if (root.code !== undefined && refusedCodes.has(root.code)) return "ConnectionRefused"
  if (root.code !== undefined && timeoutCodes.has(root.code)) return "Timeout"
  if (root.name !== undefined && abortNames.has(root.name)) return "Aborted"
  return "Network"
}

/** A cause safe to keep on an error: only code and (scrubbed) message of the root cause. */
const safeCause = (cause: unknown, secrets: ReadonlyArray<string>): Error | undefined => {
  if (cause === undefined) return undefined
  const root = findRoot(cause)
  const text = [root.code, root.message].filter((s) => s !== undefined).join(": ")
  return new Error(scrubText(text === "" ? "unknown cause" : text, secrets))
}

/** Where a redirect pointed, as an origin only (a `Location` may carry the query, and so the key). */
const originOf = (location: string | undefined, base: string): string | undefined => {
  if (location === undefined) return undefined
  try {
    return new URL(location, base).origin
  } catch {
    return undefined
  }
}

/** A status the client refused to treat as an answer: a redirect (see `refuseRedirects.ts`), or one a user's `transformClient` failed on. */
const refusedStatus = (reason: HttpClientError.StatusCodeError, operationId: string): FlashdutyError => {
  const status = reason.response.status
  if (reason.description === redirectRefused) {
    const origin = originOf(reason.response.headers.location, reason.request.url)
    return new GatewayError({
      message:
        status === 0
          ? `${operationId}: an opaque redirect (status 0) was refused: the Flashduty API never redirects (a proxy or a wrong baseUrl?); it was not followed`
          : `${operationId}: HTTP ${status} redirect${origin === undefined ? "" : ` to ${origin}`} refused: the Flashduty API never redirects (a proxy or a wrong baseUrl?); it was not followed`,
      operationId,
      status,
      preview: ""
    })
  }
  return new GatewayError({
    message: `${operationId}: HTTP ${status} refused by the HttpClient (a transformClient status filter?)`,
    operationId,
    status,
    preview: ""
  })
}

/** Maps an `HttpClientError` raised while sending or reading. */
export const fromHttpClientError = (
  error: HttpClientError.HttpClientError,
  operationId: string,
  secrets: ReadonlyArray<string>
): FlashdutyError => {
  const reason = error.reason
  switch (reason._tag) {
    case "TransportError": {
      const kind = reasonOfCause(reason.cause)
      const cause = safeCause(reason.cause, secrets)
      const description =
        kind === "ConnectionRefused"
          ? "connection refused"
          : kind === "Timeout"
            ? "connection timed out"
            : kind === "Aborted"
              ? "request aborted"
              : "network error"
      return new TransportError({
        message: `${description} (${operationId})${cause === undefined ? "" : `: ${cause.message}`}`,
        operationId,
        reason: kind,
        ...(cause === undefined ? {} : { cause })
      })
    }
    case "StatusCodeError":
      return refusedStatus(reason, operationId)
    case "EncodeError":
    case "InvalidUrlError":
      return new InvalidParameter({
        message: `the request could not be built (${reason._tag}) for ${operationId}`,
        operationId
      })
    default: {
      // Reading the body failed after the status arrived.
      const cause = safeCause(reason.cause, secrets)
      return new TransportError({
        message: `the response body could not be read (${operationId})`,
        operationId,
        status: reason.response.status,
        reason: "Body",
        ...(cause === undefined ? {} : { cause })
      })
    }
  }
}
