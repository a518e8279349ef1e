/**
 * Receiving what Flashduty sends: incident events (`i_new`, `i_ack`, `i_rslv`, …), alert events
 * (`a_new`, …) and custom actions (`i_custom`), typed, authenticated, deduplicated, answered in
 * time. Imported as a namespace: `import { Webhooks } from "effect-flashduty"`.
 *
 * - the payloads: {@link WebhookEvent} (a union tagged on `event_type`, with an `unknown` case),
 *   its variants and their parts, with the SDK's `Timestamp`s;
 * - the receiver: {@link makeReceiver} (an `effect/http` handler) and {@link route} (an
 *   `HttpRouter` layer);
 * - deduplication stores: {@link memoryStore}, {@link redisStore}, or any {@link SetIfAbsent};
 * - ordering: {@link makeLatestWins} ("the latest `event_time` per incident wins").
 *
 * Every name is listed here on purpose (`test/webhooks/surface.test.ts` snapshots them).
 */
export {
  DedupStoreError,
  type MemoryStoreOptions,
  memoryStore,
  type RedisStoreOptions,
  redisStore,
  type SetIfAbsent
} from "./DedupStore.js"
export { type LatestWins, type LatestWinsOptions, makeLatestWins } from "./LatestWins.js"
export {
  type EventOutcome,
  eventOutcomes,
  type HeaderSecret,
  makeReceiver,
  type Receiver,
  type ReceiverMode,
  type ReceiverOptions,
  type RefusalReason,
  refusalReasons,
  route,
  WaitUntil,
  WebhookEventHandled,
  WebhookRefused
} from "./Receiver.js"
export {
  Alert,
  AlertEvent,
  type AlertEventType,
  AlertIncident,
  Assignment,
  alertEventTypes,
  CustomActionEvent,
  type EventSubject,
  eventKey,
  eventTimeOf,
  eventTypes,
  Incident,
  IncidentEvent,
  type IncidentEventType,
  incidentEventTypes,
  isKnownEventType,
  type KnownEventType,
  Person,
  Responder,
  type Severity,
  type Status,
  subjectOf,
  UnknownEvent,
  WebhookEvent,
  type WebhookEventOf
} from "./WebhookEvent.js"
