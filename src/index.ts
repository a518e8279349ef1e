/**
 * effect-flashduty: the Effect-native SDK for the Flashduty Open API.
 *
 * `Flashduty` (every service), each service on its own (`Incidents`, `Sessions`, …), the
 * `operations` index, the typed errors, timestamps, retry and rate-limit policies, and the
 * building blocks of the operations that are not one JSON in, one JSON out (exports,
 * uploads, transcripts). Every name is listed here on purpose: `test/core/publicSurface.test.ts`
 * snapshots them, so a change to the surface is a visible, reviewed diff. The module paths say
 * where each comes from: the client's own modules, `generated/` services, `nonJsonOperations/`,
 * `sessionTranscript/` and `streaming/` (files and byte streams). It imports no `node:` module
 * (`test/core/portableEntries.test.ts`): the Node file system is `effect-flashduty/node`.
 */

export type { Answer } from "./Answer.js"
export type { ApiResponse, RateLimitHeaders, ResponseMeta } from "./ApiResponse.js"
export * as CircuitBreaking from "./CircuitBreaking.js"
export {
  AccessDenied,
  ApiError,
  CircuitOpen,
  DecodeError,
  type FlashdutyError,
  type FlashdutyErrorTag,
  GatewayError,
  InvalidParameter,
  isFlashdutyError,
  NotFound,
  RateLimited,
  ServerError,
  TransportError,
  Unauthorized
} from "./Errors.js"
export { FlashdutyClient, type FlashdutyClientService } from "./FlashdutyClient.js"
export { type ConfigOf, defaultConfig, type FlashdutyConfig } from "./FlashdutyConfig.js"
export {
  type CallOptions,
  ConfigurationError,
  defaultBaseUrl,
  type FlashdutyOptions,
  type SecretInput
} from "./FlashdutyOptions.js"
export * from "./generated/index.js"
export * as Metrics from "./Metrics.js"
export { downloadExport, type ExportOperationId } from "./nonJsonOperations/downloadExportById.js"
export type { ExportAnswer } from "./nonJsonOperations/fileExportMethods.js"
export {
  type IncidentCreateMultipartMethods,
  MAX_INCIDENT_REQUEST_BYTES
} from "./nonJsonOperations/incidentCreateMultipart.js"
export {
  MAX_MAPPING_FILE_BYTES,
  type MappingDataUploadInput,
  type MappingDataUploadMethods
} from "./nonJsonOperations/mappingDataUpload.js"
export type {
  ExportOptions,
  ExportToFileOptions,
  SessionExportMethods
} from "./nonJsonOperations/sessionExportMethods.js"
export type {
  SegmentRecords,
  SegmentsOptions,
  SegmentsPage,
  SegmentUrls,
  SessionReplaySegmentsMethods
} from "./nonJsonOperations/sessionReplaySegments.js"
export {
  MAX_SKILL_ARCHIVE_BYTES,
  type SkillUploadInput,
  type SkillUploadMethods
} from "./nonJsonOperations/skillUpload.js"
export {
  defaultConcurrency,
  defaultMaxPages,
  type Page,
  type PaginateOptions,
  paginate,
  type Walk,
  type WalkOptions
} from "./Pagination.js"
export * as RateLimit from "./RateLimit.js"
export * as RateLimitStore from "./RateLimitStore.js"
export type { RawRequest } from "./RawRequest.js"
export * as Retry from "./Retry.js"
export type { Endpoint } from "./runtime/Endpoint.js"
export type { OperationInfo, OperationKind, RateLimitSpec } from "./runtime/Operation.js"
export {
  AgentTextLine,
  ErrorEventLine,
  ExportLine,
  type ExportLineOf,
  exportLineTypes,
  FinalAnswerLine,
  type KnownExportLineType,
  LlmCallLine,
  SessionMetaLine,
  SubagentDispatchLine,
  sessionIdOf,
  ToolCallLine,
  UnknownLine,
  UserMessageLine
} from "./sessionTranscript/ExportLine.js"
export { ExportTruncated } from "./sessionTranscript/ExportTruncated.js"
export { type OwnedExportLine, withOwners } from "./sessionTranscript/LineOwner.js"
export { checkRawTranscript } from "./sessionTranscript/RawTranscript.js"
export {
  decodeTranscript,
  type TranscriptError,
  type TranscriptOptions
} from "./sessionTranscript/SessionTranscript.js"
export type { FileDownload } from "./streaming/FileDownload.js"
export { type FieldValue, type MultipartForm, multipartBody } from "./streaming/MultipartBody.js"
export {
  DEFAULT_MAX_LINE_BYTES,
  decodeNdjson,
  NdjsonLineError,
  type NdjsonOptions
} from "./streaming/NdjsonLines.js"
export type { BytesFile, StreamedFile } from "./streaming/UploadFile.js"
export * as UploadFile from "./streaming/UploadFile.js"
export {
  type WriteProgress,
  type WriteToFileOptions,
  type WrittenFile,
  writeStreamToFile
} from "./streaming/WriteToFile.js"
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
export * as Webhooks from "./webhooks/Webhooks.js"
