/**
 * `ResponseMeta` from a response: request id, status, headers, paging fields of `data`,
 * and the rate-limit headers.
 */
import type * as Duration from "effect/Duration"
import * as Headers from "effect/http/Headers"
import * as Result from "effect/Result"
import type { RateLimitHeaders, ResponseMeta } from "../ApiResponse.js"
import { scrubHeaders, scrubValue } from "./redact.js"

const numberHeader = (value: string | undefined): number | undefined => {
  if (value === undefined || value.trim() === "") return undefined
  const n = Number(value)
  return Number.isFinite(n) ? n : undefined
}

/** `Retry-After` as a wait from `nowMillis`: delta-seconds or an HTTP date. */
export const parseRetryAfter = (
  value: string | undefined,
  nowMillis: number
): Duration.Duration | undefined => {
  if (value === undefined) return undefined
  const parsed = Headers.parseRetryAfter(value.trim())
  return Result.isSuccess(parsed) ? Headers.retryAfterDelay(parsed.success, nowMillis) : undefined
}

/** The rate-limit headers that are present. */
const parseRateLimitHeaders = (headers: Headers.Headers, nowMillis: number): RateLimitHeaders => {
  const limit = numberHeader(headers["x-ratelimit-limit"])
  const remaining = numberHeader(headers["x-ratelimit-remaining"])
  const reset = numberHeader(headers["x-ratelimit-reset"])
  const retryAfter = parseRetryAfter(headers["retry-after"], nowMillis)
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(reset === undefined ? {} : { reset }),
    ...(retryAfter === undefined ? {} : { retryAfter })
  }
}

/** A request id is short (a UUID or so); a longer one is cut, so no error or span carries megabytes of it. */
const boundedId = (id: string): string => (id.length <= 200 ? id : `${id.slice(0, 200)}…`)

/** The request id: the envelope's, else the `Flashcat-Request-Id` header; scrubbed of `secrets`. */
export const requestIdOf = (
  body: unknown,
  headers: Headers.Headers,
  secrets: ReadonlyArray<string>
): string | undefined => {
  if (typeof body === "object" && body !== null) {
    const id = (body as { request_id?: unknown }).request_id
    if (typeof id === "string" && id !== "") return boundedId(scrubValue(id, secrets))
  }
  const header = headers["flashcat-request-id"]
  return header === undefined ? undefined : boundedId(scrubValue(header, secrets))
}

/**
 * Builds the metadata of a successful answer; `data` is the raw (wire) payload, `requestId`
 * already scrubbed. The headers kept are scrubbed of `secrets` (a proxy may echo them).
 */
export const buildMeta = (
  status: number,
  headers: Headers.Headers,
  requestId: string | undefined,
  data: unknown,
  nowMillis: number,
  secrets: ReadonlyArray<string>
): ResponseMeta => {
  const meta: {
    requestId: string | undefined
    status: number
    headers: Readonly<Record<string, string>>
    rateLimit: RateLimitHeaders
    total?: number
    hasNextPage?: boolean
    searchAfterCtx?: string
  } = {
    requestId,
    status,
    headers: scrubHeaders(headers, secrets),
    rateLimit: parseRateLimitHeaders(headers, nowMillis)
  }
  if (typeof data === "object" && data !== null && !Array.isArray(data)) {
    const paging = data as { total?: unknown; has_next_page?: unknown; search_after_ctx?: unknown }
    if (typeof paging.total === "number") meta.total = paging.total
    if (typeof paging.has_next_page === "boolean") meta.hasNextPage = paging.has_next_page
    if (typeof paging.search_after_ctx === "string")
      meta.searchAfterCtx = scrubValue(paging.search_after_ctx, secrets)
  }
  return meta
}
