/**
 * What every successful call returns: the decoded `data` and the response metadata.
 */
import type * as Duration from "effect/Duration"

/** Rate-limit headers of a response, parsed when present. */
export interface RateLimitHeaders {
  /** `X-RateLimit-Limit` */
  readonly limit?: number
  /** `X-RateLimit-Remaining` */
  readonly remaining?: number
  /** `X-RateLimit-Reset` as sent (epoch seconds or seconds to wait, as the server chose). */
  readonly reset?: number
  /** `Retry-After` (seconds or HTTP date). */
  readonly retryAfter?: Duration.Duration
}

export interface ResponseMeta {
  /** `request_id` of the envelope, else the `Flashcat-Request-Id` header; give it to support. */
  readonly requestId: string | undefined
  readonly status: number
  /** Response headers, lower-cased names. */
  readonly headers: Readonly<Record<string, string>>
  /** `data.total`, when the operation pages. */
  readonly total?: number
  /** `data.has_next_page`, when the operation pages. */
  readonly hasNextPage?: boolean
  /** `data.search_after_ctx`: pass it back as `search_after_ctx` for the next page. */
  readonly searchAfterCtx?: string
  readonly rateLimit: RateLimitHeaders
}

export interface ApiResponse<A> {
  readonly data: A
  readonly meta: ResponseMeta
}
