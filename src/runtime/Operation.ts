/**
 * Static description of one Flashduty Open API operation, as listed in the
 * generated `operations` index. The client's retry policy (reads vs writes, idempotent
 * writes), rate limiter (documented per-operation limits) and request building (path
 * parameters, the credential an operation authenticates with) read it.
 *
 * The optional fields are present only when they differ from the default, so that the
 * index stays small: `idempotent` only on the reviewed idempotent writes, `auth` only on
 * operations that do not authenticate with the client's credentials, `pathParams` only on
 * paths with `{placeholders}`.
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
  /**
   * `true` on a `write` that is safe to send again when its outcome is unknown (setting a
   * value, acknowledging an incident): the client may retry it like a read. Absent on every
   * other operation. The list, one reason each, is reviewed in
   * `scripts/generator/idempotentWrites.ts` (generated summary: `src/generated/IDEMPOTENT_WRITES.md`).
   */
  readonly idempotent?: true
  /**
   * How the operation authenticates when it is not with the client's app key or access token:
   * `"automationTrigger"`, a bearer token given per call (the `AutomationTriggerBearerAuth`
   * scheme of an Automation rule's HTTP POST trigger). Such a call never sends the client's
   * own credentials. Absent: the client's credentials.
   */
  readonly auth?: "automationTrigger"
  /**
   * The path parameters, in the order they appear in {@link path}: each `{name}` is filled
   * from the request field of the same name (URL-encoded), which is then not sent in the body
   * or query. E.g. `["trigger_id"]` for `/safari/automation/triggers/{trigger_id}/fire`.
   * Absent when the path has no parameter.
   */
  readonly pathParams?: ReadonlyArray<string>
}
