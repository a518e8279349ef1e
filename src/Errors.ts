/**
 * The typed errors of every Flashduty call.
 *
 * Each is a `Schema.TaggedError`, so it can be caught with `Effect.catchTag`,
 * serialised, and printed without ever holding the app key (errors only carry
 * the operation id and path, never a URL with its query string).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Flashduty } from "effect-flashduty"
 *
 * const info = Effect.gen(function* () {
 *   const fd = yield* Flashduty
 *   return yield* fd.incidents.info({ incident_id: "missing" })
 * }).pipe(
 *   Effect.catchTag("NotFound", (e) => Effect.succeed(`no such incident (request ${e.requestId})`))
 * )
 * ```
 */
import * as Schema from "effect/Schema"

/** Fields shared by every error that came from (or concerns) one API call. */
const CallFields = {
  /** Human-readable description; never contains credentials. */
  message: Schema.String,
  /** The operationId of the call, e.g. `incidentList`. */
  operationId: Schema.optionalKey(Schema.String),
  /** `request_id` from the envelope, else the `Flashcat-Request-Id` header. */
  requestId: Schema.optionalKey(Schema.String),
  /** HTTP status of the answer, when there was one. */
  status: Schema.optionalKey(Schema.Number),
  /** Flashduty `ErrorCode` (`error.code`), verbatim, when the server sent one. */
  code: Schema.optionalKey(Schema.String)
}

/** Fields of an error the API's error envelope described. */
const EnvelopeFields = {
  ...CallFields,
  /** `error.reason` of the envelope, when the API gave one (e.g. `tool_not_supported`). */
  reason: Schema.optionalKey(Schema.String)
}

/** The resource does not exist (`ResourceNotFound`, `RouteNotFound`, or HTTP 404). */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", EnvelopeFields) {}

/** Too many requests (`RequestTooFrequently` or HTTP 429). The request was not processed. */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  ...EnvelopeFields,
  /**
   * How long the server asked to wait before trying again: the `Retry-After` header, sent as
   * delta-seconds (`30`) or an HTTP date, turned into the `Duration` from the moment the
   * answer arrived (a date in the past is a zero wait). Absent when the server sent none.
   */
  retryAfter: Schema.optionalKey(Schema.Duration)
}) {}

/** The app key or token is missing, wrong or expired (`Unauthorized` or HTTP 401). */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", EnvelopeFields) {}

/** The credentials are valid but lack the permission (`AccessDenied` or HTTP 403). */
export class AccessDenied extends Schema.TaggedError<AccessDenied>()("AccessDenied", EnvelopeFields) {}

/**
 * A parameter was rejected: by the server (`InvalidParameter`, `BadRequest`), or by the
 * SDK itself before anything was sent (then `status` and `requestId` are absent and
 * `path` names the offending field).
 */
export class InvalidParameter extends Schema.TaggedError<InvalidParameter>()("InvalidParameter", {
  ...EnvelopeFields,
  /** The field at fault, as a dotted path (`items.0.title`), when known. */
  path: Schema.optionalKey(Schema.String)
}) {}

/** Any other `ErrorCode` the API sent (kept verbatim in `code`, including ones unknown today). */
export class ApiError extends Schema.TaggedError<ApiError>()("ApiError", EnvelopeFields) {}

/** The server failed (`InternalError`, `ServiceUnavailable`, or a 5xx with a JSON envelope). */
export class ServerError extends Schema.TaggedError<ServerError>()("ServerError", EnvelopeFields) {}

/** A non-JSON answer, typically an HTML page from a proxy or an empty body. */
export class GatewayError extends Schema.TaggedError<GatewayError>()("GatewayError", {
  ...CallFields,
  /** The first bytes of the body, credentials redacted, for diagnosis. */
  preview: Schema.String
}) {}

/**
 * No usable answer arrived: the connection failed or timed out, or the body could not be read.
 *
 * `reason` tells whether the request may have reached the server: only
 * `"ConnectionRefused"` proves it did not, which is what makes a write safe to re-send.
 */
export class TransportError extends Schema.TaggedError<TransportError>()("TransportError", {
  ...CallFields,
  reason: Schema.Literals(["ConnectionRefused", "Timeout", "Aborted", "Network", "BodyTooLarge", "Body"]),
  cause: Schema.optionalKey(Schema.Defect())
}) {}

/** The answer did not fit the operation's schema; `path` is where the first problem is. */
export class DecodeError extends Schema.TaggedError<DecodeError>()("DecodeError", {
  ...CallFields,
  path: Schema.String
}) {}

/**
 * The call was refused by the client's open circuit breaker (the `circuitBreaker` option):
 * the API failed repeatedly (5xx, gateway pages, transport failures), so calls fail fast for a
 * cool-down instead of piling onto it. **Nothing was sent.** Never retried by the SDK.
 * `retryAfter` is how long until the breaker lets a probe call through (absent while a probe is
 * already in flight: try again shortly).
 */
export class CircuitOpen extends Schema.TaggedError<CircuitOpen>()("CircuitOpen", {
  ...CallFields,
  /** The circuit's key: the client's base URL (one circuit per API origin and account). */
  key: Schema.String,
  /** Until the next probe is allowed, from when the call was refused. */
  retryAfter: Schema.optionalKey(Schema.DurationFromMillis)
}) {}

/** The union of every error a Flashduty call can fail with. */
export type FlashdutyError =
  | NotFound
  | RateLimited
  | Unauthorized
  | AccessDenied
  | InvalidParameter
  | ApiError
  | ServerError
  | GatewayError
  | TransportError
  | DecodeError
  | CircuitOpen

/** The `_tag`s of {@link FlashdutyError}. */
export type FlashdutyErrorTag = FlashdutyError["_tag"]

const tags: ReadonlySet<string> = new Set<FlashdutyErrorTag>([
  "NotFound",
  "RateLimited",
  "Unauthorized",
  "AccessDenied",
  "InvalidParameter",
  "ApiError",
  "ServerError",
  "GatewayError",
  "TransportError",
  "DecodeError",
  "CircuitOpen"
])

/** Whether `u` is one of the SDK's errors. */
export const isFlashdutyError = (u: unknown): u is FlashdutyError =>
  typeof u === "object" && u !== null && "_tag" in u && tags.has((u as { _tag: string })._tag)
