/**
 * What Flashduty posts to a webhook endpoint, as Schemas: incident events (`i_*`), alert events
 * (`a_*`) and custom actions (`i_custom`), in one union tagged on `event_type`, with an
 * `unknown` case that keeps the object as sent, so that an event type added after this SDK was
 * built never fails a receiver.
 *
 * Flashduty documents the payloads (not in the Open API spec): `event_time` is in milliseconds,
 * every time of the incident or alert in Unix seconds. They decode to the SDK's `Timestamp`s
 * (`TimestampMillis` / `Timestamp`). Decoding is tolerant the way every response of the SDK is
 * (the sender is written in Go): `null` maps and lists decode empty, an optional field or object
 * that is `null` or missing as absent, an enum value this SDK does not know as its string, unknown
 * fields are dropped. A field Flashduty's tables mark required is required in the
 * type and, when the sender omits it (or sends `null`), decodes to Go's zero value (`""`, `0`, an
 * unset `Timestamp`; the event's `incident` or `alert` made of such values); the others stay
 * optional. The documented custom-action example carries its `event_id` inside `incident`: it is
 * lifted to the top, where the field table puts it.
 */
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"
import * as Tolerant from "../runtime/Tolerant.js"
import { Timestamp, TimestampMillis } from "../Timestamp.js"

/** The incident event types Flashduty documents, `i_custom` aside (see {@link CustomActionEvent}). */
export const incidentEventTypes = [
  "i_new",
  "i_assign",
  "i_a_rspd",
  "i_snooze",
  "i_wake",
  "i_ack",
  "i_unack",
  "i_storm",
  "i_rslv",
  "i_reopen",
  "i_merge",
  "i_comm",
  "i_r_title",
  "i_r_desc",
  "i_r_impact",
  "i_r_rc",
  "i_r_rsltn",
  "i_r_severity",
  "i_r_field"
] as const

/** The alert event types Flashduty documents. */
export const alertEventTypes = ["a_new", "a_update", "a_merge", "a_close"] as const

/** Every event type this SDK knows: the incident ones, `i_custom`, the alert ones. */
export const eventTypes = [...incidentEventTypes, "i_custom", ...alertEventTypes] as const

export type IncidentEventType = (typeof incidentEventTypes)[number]
export type AlertEventType = (typeof alertEventTypes)[number]
export type KnownEventType = (typeof eventTypes)[number]

/** A severity: the documented values, or any other string the sender starts using. */
export type Severity = "Critical" | "Warning" | "Info" | (string & {})
/** A status: a severity, or `Ok` once recovered. */
export type Status = "Critical" | "Warning" | "Info" | "Ok" | (string & {})

/** Who did it (only for human actions), who created or closed an incident. */
export interface Person {
  readonly person_id: number
  readonly person_name: string
  readonly email: string
}

/** A responder of an incident. */
export interface Responder extends Person {
  /** Seconds. */
  readonly assigned_at?: Timestamp
  /** Seconds; unset until this responder acknowledges. */
  readonly acknowledged_at?: Timestamp
}

/** How the incident was assigned (`assigned_to`, in the documented examples). */
export interface Assignment {
  readonly id?: string
  readonly type?: "assign" | "reassign" | "escalate" | "reopen" | (string & {})
  /** Seconds. */
  readonly assigned_at?: Timestamp
  readonly escalate_rule_id?: string
  readonly escalate_rule_name?: string
  readonly layer_idx?: number
  readonly person_ids: ReadonlyArray<number>
}

/** The incident an alert was merged into (alert events). */
export interface AlertIncident {
  readonly incident_id: string
  readonly title: string
}

/** An alert: the `alert` of an alert event, or an item of a custom action's `incident.alerts`. */
export interface Alert {
  readonly alert_id: string
  readonly alert_key: string
  readonly alert_severity: Severity
  readonly alert_status: Status
  readonly progress: "Triggered" | "Closed" | (string & {})
  readonly title: string
  readonly title_rule?: string
  readonly description?: string
  readonly account_id?: number
  /** The integration that sent it. */
  readonly data_source_id: number
  readonly data_source_name: string
  readonly data_source_type: string
  readonly data_source_ref_id?: string
  readonly channel_id: number
  readonly channel_name: string
  /** Seconds, as every time below. */
  readonly created_at: Timestamp
  readonly updated_at: Timestamp
  /** First event received. */
  readonly start_time: Timestamp
  /** Latest event received. */
  readonly last_time: Timestamp
  /** Recovery; unset while firing. */
  readonly end_time?: Timestamp
  /** Closed (progress), not necessarily recovered; unset while open. */
  readonly close_time?: Timestamp
  readonly labels: { readonly [key: string]: string }
  readonly event_cnt?: number
  readonly incident?: AlertIncident
  readonly responder_id?: number
  readonly responder_name?: string
  readonly responder_email?: string
}

/** The incident of an incident event or custom action: its latest complete information. */
export interface Incident {
  readonly incident_id: string
  /** The short number shown in the console (`56E25B`). */
  readonly num?: string
  readonly title: string
  readonly description?: string
  readonly impact?: string
  readonly root_cause?: string
  readonly resolution?: string
  readonly incident_severity: Severity
  readonly incident_status: Status
  readonly progress: "Triggered" | "Processing" | "Closed" | (string & {})
  /** Seconds, as every time below. */
  readonly created_at: Timestamp
  readonly updated_at: Timestamp
  /** Triggered. */
  readonly start_time: Timestamp
  /** Latest event of its alerts. */
  readonly last_time?: Timestamp
  /** Recovered (all its alerts); unset while firing. */
  readonly end_time?: Timestamp
  /** First acknowledgement; unset until then. */
  readonly ack_time?: Timestamp
  /** Closed (progress); unset while open. */
  readonly close_time?: Timestamp
  /** Notifications snoozed until then; unset when not snoozed. */
  readonly snoozed_before?: Timestamp
  /** Empty for a manually created incident; else the labels of its first alert. */
  readonly labels: { readonly [key: string]: string }
  /** Custom fields, each of the field's own type. */
  readonly fields: { readonly [key: string]: unknown }
  /** Only for an incident created by a person. */
  readonly creator?: Person
  readonly creator_id?: number
  /** Only for an incident closed by a person. */
  readonly closer?: Person
  /** Empty until assigned. */
  readonly responders: ReadonlyArray<Responder>
  readonly responder_ids: ReadonlyArray<number>
  readonly assigned_to?: Assignment
  /** Its alerts (custom actions carry them). */
  readonly alerts: ReadonlyArray<Alert>
  readonly alert_cnt?: number
  /** `0`: in no channel. */
  readonly channel_id?: number
  readonly channel_name?: string
  readonly account_id?: number
  readonly account_name?: string
  readonly data_source_id?: number
  readonly dedup_key?: string
  readonly equals_md5?: string
  readonly detail_url: string
  /** `n` no grouping, `p` by rule, `i` intelligent. */
  readonly group_method?: "n" | "p" | "i" | (string & {})
}

/** What every known event carries. */
interface EventFields {
  /**
   * The event's id: a retry (Flashduty retries on timeouts) carries the same one, so a receiver
   * deduplicates by it. `""` only when the sender left it out (see {@link eventKey}).
   */
  readonly event_id: string
  /** When it happened, in **milliseconds**; unset when the sender left it out. */
  readonly event_time: TimestampMillis
  /** Who did it; only for human actions. */
  readonly person?: Person
}

/** An incident event (`i_new`, `i_ack`, `i_rslv`, …): the incident as it is after the change. */
export interface IncidentEvent extends EventFields {
  readonly event_type: IncidentEventType
  readonly incident: Incident
}

/** A custom action: a person pressed the action's button on an incident (`i_custom`). */
export interface CustomActionEvent extends EventFields {
  readonly event_type: "i_custom"
  readonly incident: Incident
}

/** An alert event (`a_new`, `a_update`, `a_merge`, `a_close`). */
export interface AlertEvent extends EventFields {
  readonly event_type: AlertEventType
  readonly alert: Alert
}

/** An event whose type this SDK does not know (or that has none); `raw` is the object as sent. */
export interface UnknownEvent {
  readonly event_type: "unknown"
  readonly raw: { readonly [key: string]: unknown }
}

/** Anything Flashduty posts to a webhook endpoint, tagged on `event_type`. */
export type WebhookEvent = IncidentEvent | CustomActionEvent | AlertEvent | UnknownEvent

/** The event of one `event_type`. */
export type WebhookEventOf<T extends WebhookEvent["event_type"]> = Extract<
  WebhookEvent,
  { readonly event_type: T }
>

// ---- preparing the wire object -----------------------------------------------------------

type JsonObject = { readonly [key: string]: unknown }

const isJsonObject = (u: unknown): u is JsonObject => typeof u === "object" && u !== null && !Array.isArray(u)

const known: ReadonlySet<string> = new Set(eventTypes)

/** Whether `type` is one of the event types this SDK knows. */
export const isKnownEventType = (type: unknown): type is KnownEventType =>
  typeof type === "string" && known.has(type)

/** `alert` for alert events, `incident` for the others. */
const subjectField = (type: KnownEventType): "alert" | "incident" =>
  type.startsWith("a_") ? "alert" : "incident"

/** `{ event_type: "unknown", raw }` already (what encoding an unknown event gives back). */
const isWrappedUnknown = (json: JsonObject): boolean =>
  json.event_type === "unknown" && isJsonObject(json.raw) && Object.keys(json).length === 2

/**
 * The wire object made ready for the variant's schema: an unknown type wrapped as
 * `{ event_type: "unknown", raw }`; for a known one without a top-level `event_id`, the
 * `incident.event_id` (where the documented custom-action example has it). Never modifies its
 * input; returns anything that is not an object as it is (for the schema to refuse).
 */
const prepare = (json: unknown): unknown => {
  if (!isJsonObject(json)) return json
  if (!isKnownEventType(json.event_type))
    return isWrappedUnknown(json) ? json : { event_type: "unknown", raw: json }
  if (typeof json.event_id === "string" && json.event_id !== "") return json
  const nested = isJsonObject(json.incident) ? json.incident.event_id : undefined
  return typeof nested === "string" && nested !== "" ? { ...json, event_id: nested } : json
}

/** `inner`, given the wire object as {@link prepare} leaves it. */
const prepared = <A>(inner: Schema.Top): Schema.Codec<A, unknown> =>
  Schema.Unknown.pipe(
    Schema.decodeTo(inner as Schema.Codec<A, unknown>, {
      decode: SchemaGetter.transform(prepare),
      encode: SchemaGetter.passthrough()
    })
  ) as any

// ---- schemas -----------------------------------------------------------------------------

/** {@link Person} */
export const Person = /*#__PURE__*/ Tolerant.struct<Person>(() => ({
  person_id: Tolerant.required(Schema.Number, 0),
  person_name: Tolerant.required(Schema.String, ""),
  email: Tolerant.required(Schema.String, "")
}))

/** {@link Responder} */
export const Responder = /*#__PURE__*/ Tolerant.struct<Responder>(() => ({
  person_id: Tolerant.required(Schema.Number, 0),
  person_name: Tolerant.required(Schema.String, ""),
  email: Tolerant.required(Schema.String, ""),
  assigned_at: Schema.optionalKey(Timestamp),
  acknowledged_at: Schema.optionalKey(Timestamp)
}))

/** {@link Assignment} */
export const Assignment = /*#__PURE__*/ Tolerant.struct<Assignment>(() => ({
  id: Tolerant.optional(Schema.String),
  type: Tolerant.optional(Schema.String),
  assigned_at: Schema.optionalKey(Timestamp),
  escalate_rule_id: Tolerant.optional(Schema.String),
  escalate_rule_name: Tolerant.optional(Schema.String),
  layer_idx: Tolerant.optional(Schema.Number),
  person_ids: Tolerant.requiredArray(Schema.Number)
}))

/** {@link AlertIncident} */
export const AlertIncident = /*#__PURE__*/ Tolerant.struct<AlertIncident>(() => ({
  incident_id: Tolerant.required(Schema.String, ""),
  title: Tolerant.required(Schema.String, "")
}))

/** {@link Alert} */
export const Alert = /*#__PURE__*/ Tolerant.struct<Alert>(() => ({
  alert_id: Tolerant.required(Schema.String, ""),
  alert_key: Tolerant.required(Schema.String, ""),
  alert_severity: Tolerant.required(Schema.String, ""),
  alert_status: Tolerant.required(Schema.String, ""),
  progress: Tolerant.required(Schema.String, ""),
  title: Tolerant.required(Schema.String, ""),
  title_rule: Tolerant.optional(Schema.String),
  description: Tolerant.optional(Schema.String),
  account_id: Tolerant.optional(Schema.Number),
  data_source_id: Tolerant.required(Schema.Number, 0),
  data_source_name: Tolerant.required(Schema.String, ""),
  data_source_type: Tolerant.required(Schema.String, ""),
  data_source_ref_id: Tolerant.optional(Schema.String),
  channel_id: Tolerant.required(Schema.Number, 0),
  channel_name: Tolerant.required(Schema.String, ""),
  created_at: Tolerant.required(Timestamp, 0),
  updated_at: Tolerant.required(Timestamp, 0),
  start_time: Tolerant.required(Timestamp, 0),
  last_time: Tolerant.required(Timestamp, 0),
  end_time: Schema.optionalKey(Timestamp),
  close_time: Schema.optionalKey(Timestamp),
  labels: Tolerant.requiredRecord(Schema.String),
  event_cnt: Tolerant.optional(Schema.Number),
  incident: Tolerant.optional(AlertIncident),
  responder_id: Tolerant.optional(Schema.Number),
  responder_name: Tolerant.optional(Schema.String),
  responder_email: Tolerant.optional(Schema.String)
}))

/** {@link Incident} */
export const Incident = /*#__PURE__*/ Tolerant.struct<Incident>(() => ({
  incident_id: Tolerant.required(Schema.String, ""),
  num: Tolerant.optional(Schema.String),
  title: Tolerant.required(Schema.String, ""),
  description: Tolerant.optional(Schema.String),
  impact: Tolerant.optional(Schema.String),
  root_cause: Tolerant.optional(Schema.String),
  resolution: Tolerant.optional(Schema.String),
  incident_severity: Tolerant.required(Schema.String, ""),
  incident_status: Tolerant.required(Schema.String, ""),
  progress: Tolerant.required(Schema.String, ""),
  created_at: Tolerant.required(Timestamp, 0),
  updated_at: Tolerant.required(Timestamp, 0),
  start_time: Tolerant.required(Timestamp, 0),
  last_time: Schema.optionalKey(Timestamp),
  end_time: Schema.optionalKey(Timestamp),
  ack_time: Schema.optionalKey(Timestamp),
  close_time: Schema.optionalKey(Timestamp),
  snoozed_before: Schema.optionalKey(Timestamp),
  labels: Tolerant.requiredRecord(Schema.String),
  fields: Tolerant.requiredRecord(Schema.Unknown),
  creator: Tolerant.optional(Person),
  creator_id: Tolerant.optional(Schema.Number),
  closer: Tolerant.optional(Person),
  responders: Tolerant.requiredArray(Responder),
  responder_ids: Tolerant.requiredArray(Schema.Number),
  assigned_to: Tolerant.optional(Assignment),
  alerts: Tolerant.requiredArray(Alert),
  alert_cnt: Tolerant.optional(Schema.Number),
  channel_id: Tolerant.optional(Schema.Number),
  channel_name: Tolerant.optional(Schema.String),
  account_id: Tolerant.optional(Schema.Number),
  account_name: Tolerant.optional(Schema.String),
  data_source_id: Tolerant.optional(Schema.Number),
  dedup_key: Tolerant.optional(Schema.String),
  equals_md5: Tolerant.optional(Schema.String),
  detail_url: Tolerant.required(Schema.String, ""),
  group_method: Tolerant.optional(Schema.String)
}))

const eventFields = () => ({
  event_id: Tolerant.required(Schema.String, ""),
  event_time: Tolerant.required(TimestampMillis, 0),
  person: Tolerant.optional(Person)
})

/** {@link IncidentEvent}, from the wire object. */
export const IncidentEvent = /*#__PURE__*/ Tolerant.lazy<IncidentEvent>(() =>
  prepared(
    Tolerant.struct<IncidentEvent>({
      event_type: Schema.Literals(incidentEventTypes),
      ...eventFields(),
      incident: Tolerant.required(Incident, {})
    })
  )
)

/** {@link CustomActionEvent}, from the wire object. */
export const CustomActionEvent = /*#__PURE__*/ Tolerant.lazy<CustomActionEvent>(() =>
  prepared(
    Tolerant.struct<CustomActionEvent>({
      event_type: Schema.Literal("i_custom"),
      ...eventFields(),
      incident: Tolerant.required(Incident, {})
    })
  )
)

/** {@link AlertEvent}, from the wire object. */
export const AlertEvent = /*#__PURE__*/ Tolerant.lazy<AlertEvent>(() =>
  prepared(
    Tolerant.struct<AlertEvent>({
      event_type: Schema.Literals(alertEventTypes),
      ...eventFields(),
      alert: Tolerant.required(Alert, {})
    })
  )
)

/** {@link UnknownEvent}, from the wire object (an object of a known type is refused). */
export const UnknownEvent = /*#__PURE__*/ Tolerant.lazy<UnknownEvent>(() =>
  prepared(
    Schema.Struct({
      event_type: Schema.Literal("unknown"),
      raw: Schema.Record(Schema.String, Schema.Unknown)
    })
  )
)

/**
 * Schema of anything Flashduty posts: decodes the parsed JSON body into a {@link WebhookEvent}.
 * Fails only for a body that is not a JSON object, or for an event of a known type whose fields
 * have the wrong types beyond what tolerance repairs (a title that is a number).
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Webhooks } from "effect-flashduty"
 *
 * const event = Schema.decodeUnknownSync(Webhooks.WebhookEvent)(JSON.parse(body))
 * switch (event.event_type) {
 *   case "i_new": console.log(event.incident.title, String(event.event_time)); break
 *   case "a_new": console.log(event.alert.alert_key); break
 *   case "unknown": console.log("new kind of event", event.raw.event_type); break
 * }
 * ```
 */
export const WebhookEvent = /*#__PURE__*/ Tolerant.lazy<WebhookEvent>(() =>
  Schema.Union([IncidentEvent, CustomActionEvent, AlertEvent, UnknownEvent])
)

/** The variant's schema for a wire object, by its `event_type`: one schema tried, one clear issue. */
export const variantSchema = (json: unknown): Schema.Codec<WebhookEvent, unknown> => {
  const type = isJsonObject(json) ? json.event_type : undefined
  if (!isKnownEventType(type)) return UnknownEvent as Schema.Codec<WebhookEvent, unknown>
  if (type === "i_custom") return CustomActionEvent as Schema.Codec<WebhookEvent, unknown>
  return (subjectField(type) === "alert" ? AlertEvent : IncidentEvent) as Schema.Codec<WebhookEvent, unknown>
}

// ---- what identifies an event ----------------------------------------------------------

const nonEmptyString = (u: unknown): string | undefined => (typeof u === "string" && u !== "" ? u : undefined)

/** What an event is about: its incident or its alert. */
export interface EventSubject {
  readonly kind: "incident" | "alert"
  readonly id: string
}

/**
 * The incident or alert an event is about (an unknown event's `raw.incident.incident_id` or
 * `raw.alert.alert_id` when it has one); `undefined` when the payload names none.
 */
export const subjectOf = (event: WebhookEvent): EventSubject | undefined => {
  if (event.event_type === "unknown") {
    const incident = isJsonObject(event.raw.incident)
      ? nonEmptyString(event.raw.incident.incident_id)
      : undefined
    if (incident !== undefined) return { kind: "incident", id: incident }
    const alert = isJsonObject(event.raw.alert) ? nonEmptyString(event.raw.alert.alert_id) : undefined
    return alert === undefined ? undefined : { kind: "alert", id: alert }
  }
  if ("alert" in event) {
    const id = nonEmptyString(event.alert.alert_id)
    return id === undefined ? undefined : { kind: "alert", id }
  }
  const id = nonEmptyString(event.incident.incident_id)
  return id === undefined ? undefined : { kind: "incident", id }
}

/** `event_time` in milliseconds; `undefined` when unset or unknown. */
export const eventTimeOf = (event: WebhookEvent): number | undefined => {
  if (event.event_type !== "unknown") return event.event_time.epochMillis
  const time = event.raw.event_time
  return typeof time === "number" && Number.isFinite(time) && time !== 0 ? time : undefined
}

/**
 * The key a receiver deduplicates by: the `event_id` (for an unknown event, `raw.event_id`);
 * without one (`""`), `<event_type>:<incident or alert id>:<event_time>`, which a retry (the same body
 * sent again) repeats; `undefined` when the payload has neither (such an event is not
 * deduplicated).
 */
export const eventKey = (event: WebhookEvent): string | undefined => {
  const id = nonEmptyString(event.event_type === "unknown" ? event.raw.event_id : event.event_id)
  if (id !== undefined) return id
  const time = eventTimeOf(event)
  if (time === undefined) return undefined
  const type = event.event_type === "unknown" ? String(event.raw.event_type ?? "") : event.event_type
  return `${type}:${subjectOf(event)?.id ?? ""}:${time}`
}
