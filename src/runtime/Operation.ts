/**
 * Static description of one Flashduty Open API operation, as listed in the
 * generated `operations` index. The client's retry policy (reads vs writes) and
 * rate limiter (documented per-operation limits) read it.
 */

/** A documented rate limit, e.g. `1,000 requests/minute; 50 requests/second`. */
export interface RateLimitSpec {
  /** The text as the API reference states it. */
  readonly text: string
  readonly perSecond?: number
  readonly perMinute?: number
  readonly perHour?: number
  readonly perDay?: number
}

/** How an operation's request and answer travel. */
export type OperationKind = "json" | "ndjson" | "multipart" | "file"

export interface OperationInfo {
  /** The spec's operationId, e.g. `incidentList` or `mcp-read-server-get`. */
  readonly operationId: string
  /** The camelCase service field on `Flashduty`, e.g. `incidents`. */
  readonly service: string
  /** The method name within the service, e.g. `list`. */
  readonly method: string
  readonly httpMethod: "GET" | "POST"
  /** Path below the base URL, e.g. `/incident/list`. */
  readonly path: string
  /** `read` operations may be retried after an unknown outcome; `write` ones never are. */
  readonly access: "read" | "write"
  readonly rateLimit: RateLimitSpec | undefined
  readonly kind: OperationKind
}
