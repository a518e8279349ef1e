/**
 * `effect-flashduty/testing`: a spec-driven Flashduty stand-in, in memory
 * (`FlashdutyTest.layer`, an `HttpClient` layer for unit tests) or on loopback
 * (`FlashdutyStandIn.serve`, a real HTTP server in a `Scope`).
 */
export { DocumentedRateLimiter, type RateLimitVerdict } from "./DocumentedRateLimiter.js"
export {
  codeForStatus,
  type ErrorCode,
  Fault,
  type FaultRule,
  statusForCode
} from "./Fault.js"
export { FlashdutyStandIn, type RunningStandIn, type ServeOptions } from "./FlashdutyStandIn.js"
export { FlashdutyTest, type FlashdutyTestOptions } from "./FlashdutyTest.js"
export { generatedSpec } from "./GeneratedSpec.js"
export type {
  Incident,
  IncidentComment,
  IncidentPage,
  IncidentStoreOptions,
  StandInPerson
} from "./IncidentStore.js"
export { inMemoryHttpClient } from "./InMemoryHttpClient.js"
export type { ReceiverHandler } from "./LoopbackReceiver.js"
export type { LoopbackServer, LoopbackServerOptions } from "./LoopbackServer.js"
export type { CredentialKind, RecordedFile, RecordedRequest } from "./RecordedRequest.js"
export {
  DEFAULT_APP_KEY,
  makeStandInEngine,
  type Override,
  type OverrideAnswer,
  type OverrideRequest,
  type StandInControl,
  type StandInEngine,
  type StandInOptions
} from "./StandInEngine.js"
export { ConnectionDropped, type StandInRequest, type StandInResponse } from "./StandInHttp.js"
export type { OperationExample, StandInSpec, ValidationFailure } from "./StandInSpec.js"
export { type TranscriptOptions, transcriptStream } from "./Transcript.js"
export type {
  WebhookDeliveryRecord,
  WebhookHandlerTarget,
  WebhookHeaders,
  WebhookTarget,
  WebhookUrlTarget
} from "./WebhookDelivery.js"
export {
  type DuplicateFault,
  type SlowReceiverFault,
  type UnknownEventTypeFault,
  WebhookFault,
  type WebhookFaultRule
} from "./WebhookFault.js"
