/**
 * effect-flashduty: the Effect-native SDK for the Flashduty Open API.
 *
 * `Flashduty` (every service), each service on its own (`Incidents`, `Sessions`, …),
 * the `operations` index, the typed errors, timestamps, retry and rate-limit policies.
 */
export type { ApiResponse, RateLimitHeaders, ResponseMeta } from "./ApiResponse.js"
export type { Endpoint } from "./Endpoint.js"
export * from "./Errors.js"
export { FlashdutyClient, type FlashdutyClientService } from "./FlashdutyClient.js"
export {
  type CallOptions,
  ConfigurationError,
  defaultBaseUrl,
  type FlashdutyOptions,
  type SecretInput
} from "./FlashdutyOptions.js"
export * from "./generated/index.js"
export type { OperationInfo, OperationKind, RateLimitSpec } from "./Operation.js"
export { defaultMaxPages, type Page, type PaginateOptions, paginate } from "./Pagination.js"
export * as RateLimit from "./RateLimit.js"
export * as Retry from "./Retry.js"
export * from "./special/index.js"
export * from "./streaming/index.js"
export {
  type EpochUnit,
  TimeInput,
  TimeInputMillis,
  type TimeInputValue,
  Timestamp,
  TimestampMillis,
  TimestampValue,
  type TimestampWire
} from "./Timestamp.js"
export { version } from "./version.js"
