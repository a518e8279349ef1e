/**
 * The bodies of the stand-in's incident webhooks, in the shape Flashduty documents
 * (`incident-webhook.mdx`, `custom-actions.mdx`): `event_id` (32 hex digits), `event_time` in
 * milliseconds, `event_type`, the acting `person` (an API call acts as the key's owner), and the
 * `incident` as it stands after the change, its times in seconds, its people named
 * (`creator`, `closer`, `responders` with their names and emails).
 */
import { type Incident, personOf, type StandInPerson } from "./IncidentStore.js"

/** An incident event's body, before it is serialised. */
export type IncidentWebhookPayload = {
  readonly event_id: string
  readonly event_time: number
  readonly event_type: string
  readonly person?: StandInPerson
  readonly incident: Record<string, unknown>
}

/** The member behind an id field (`creator_id`, `closer_id`); none for `0` (not a person). */
const personOrNothing = (id: unknown): StandInPerson | undefined =>
  typeof id === "number" && id !== 0 ? personOf(id) : undefined

/** The incident as a webhook carries it (a copy: later changes do not reach a queued event). */
export const webhookIncident = (incident: Incident, options: { readonly withAlerts?: boolean } = {}) => {
  const responders = (incident.responders as ReadonlyArray<Record<string, unknown>>).map((r) => {
    const person = personOf(r.person_id as number)
    return {
      acknowledged_at: r.acknowledged_at ?? 0,
      assigned_at: r.assigned_at ?? 0,
      email: person.email,
      person_id: person.person_id,
      person_name: person.person_name
    }
  })
  const creator = personOrNothing(incident.creator_id)
  const closer = personOrNothing(incident.closer_id)
  return structuredClone({
    account_id: incident.account_id,
    account_name: incident.account_name === "" ? "Stand-in Account" : incident.account_name,
    ack_time: incident.ack_time,
    alert_cnt: incident.alert_cnt,
    assigned_to: incident.assigned_to,
    channel_id: incident.channel_id,
    channel_name: incident.channel_name,
    close_time: incident.close_time,
    created_at: incident.created_at,
    ...(creator === undefined ? {} : { creator }),
    creator_id: incident.creator_id,
    ...(closer === undefined ? {} : { closer }),
    data_source_id: incident.integration_id,
    dedup_key: incident.dedup_key,
    description: incident.description,
    detail_url: incident.detail_url,
    end_time: incident.end_time,
    equals_md5: incident.equals_md5,
    fields: incident.fields,
    group_method: incident.group_method,
    impact: incident.impact,
    incident_id: incident.incident_id,
    incident_severity: incident.incident_severity,
    incident_status: incident.incident_status,
    labels: incident.labels,
    last_time: incident.last_time,
    num: incident.num,
    progress: incident.progress,
    resolution: incident.resolution,
    responder_ids: responders.map((r) => r.person_id),
    responders,
    root_cause: incident.root_cause,
    snoozed_before: incident.snoozed_before,
    start_time: incident.start_time,
    title: incident.title,
    updated_at: incident.updated_at,
    ...(options.withAlerts === true ? { alerts: [] } : {})
  })
}

/** One incident event's body. */
export const incidentPayload = (event: {
  readonly eventId: string
  readonly eventTimeMillis: number
  readonly eventType: string
  readonly incident: Incident
  readonly person?: StandInPerson | undefined
}): IncidentWebhookPayload => ({
  event_id: event.eventId,
  event_time: event.eventTimeMillis,
  event_type: event.eventType,
  ...(event.person === undefined ? {} : { person: { ...event.person } }),
  incident: webhookIncident(event.incident, { withAlerts: event.eventType === "i_custom" })
})
