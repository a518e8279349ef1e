/**
 * What the stand-in answers once a request has passed routing, credentials, limits and
 * validation: a table of answerers by operation for the operations that hold state (the
 * incidents), that make something up (an automation trigger's session), that check what
 * validation cannot see (an upload's file part) or that do not answer a JSON envelope (the
 * transcript export, file downloads), and the spec's own example for every other operation.
 * An answerer that changes an incident emits the matching incident webhook event.
 */
import type { OperationInfo } from "../runtime/Operation.js"
import { failure, success } from "./Envelope.js"
import type { Fault } from "./Fault.js"
import { type EditableField, type Incident, type IncidentStore, keyOwner } from "./IncidentStore.js"
import type { RecordedFile } from "./RecordedRequest.js"
import { type StandInResponse, textResponse } from "./StandInHttp.js"
import type { StandInSpec } from "./StandInSpec.js"
import { type TranscriptOptions, transcriptStream } from "./Transcript.js"

/** Everything an answerer may look at. */
export interface AnswerContext {
  readonly operation: OperationInfo
  /**
   * The validated request as an object: the query's fields, then the JSON body's or the form's
   * fields on top (a file part by its file name), then the path parameters.
   */
  readonly body: Record<string, unknown>
  /** The file parts of a multipart request (none for any other). */
  readonly files: ReadonlyArray<RecordedFile>
  /** The next number (from 1) of this stand-in's counter `name`, for the ids it makes up. */
  readonly sequence: (name: string) => number
  readonly nowMillis: number
  readonly requestId: string
  /** The fault chosen for this request, if any (the export acts on `ExportErrorLine`). */
  readonly fault: Fault | undefined
  readonly store: IncidentStore
  readonly transcript: TranscriptOptions
  readonly spec: StandInSpec
  /** Posts the incident webhook `eventType` (`i_ack`, …) with the incident as it is now. */
  readonly emit: (eventType: string, incident: Incident) => void
}

export type Answerer = (context: AnswerContext) => StandInResponse

/** The JSON text of a multipart form field, or the text itself when it is not JSON. */
export const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

const seconds = (context: AnswerContext) => Math.floor(context.nowMillis / 1000)

const idsOf = (body: Record<string, unknown>): ReadonlyArray<string> =>
  Array.isArray(body.incident_ids) ? body.incident_ids.map(String) : []

/** `incident_ids`, else `incident_id` (the operations that take one or the other). */
const oneOrManyIds = (body: Record<string, unknown>): ReadonlyArray<string> => {
  const many = idsOf(body)
  if (many.length > 0) return many
  return typeof body.incident_id === "string" && body.incident_id !== "" ? [body.incident_id] : []
}

const notFound = (context: AnswerContext, id: string) =>
  failure(context.requestId, 400, "ResourceNotFound", `The resource you request is not found: incident ${id}`)

/**
 * Applies `apply` to each incident of `ids(body)`, or `ResourceNotFound` naming the first missing
 * one (nothing applied); emits `eventType` for each incident `apply` changed.
 */
const eachIncident =
  (
    eventType: string | undefined,
    apply: (context: AnswerContext, incident: Incident) => boolean,
    ids: (body: Record<string, unknown>) => ReadonlyArray<string> = idsOf,
    data: unknown = {}
  ): Answerer =>
  (context) => {
    const chosen = ids(context.body)
    const missing = chosen.find((id) => context.store.get(id) === undefined)
    if (missing !== undefined) return notFound(context, missing)
    for (const id of chosen) {
      const incident = context.store.get(id)!
      if (apply(context, incident) && eventType !== undefined) context.emit(eventType, incident)
    }
    return success(context.requestId, data)
  }

/** The webhook event of a changed field (`incidents.reset`). */
const fieldEvents: Readonly<Record<EditableField, string>> = {
  title: "i_r_title",
  description: "i_r_desc",
  impact: "i_r_impact",
  root_cause: "i_r_rc",
  resolution: "i_r_rsltn",
  incident_severity: "i_r_severity"
}

/** The incident operations, over the stand-in's incident store. */
const incidentAnswerers: Readonly<Record<string, Answerer>> = {
  incidentList: (context) => success(context.requestId, context.store.list(context.body, seconds(context))),
  incidentInfo: (context) => {
    const incident = context.store.info(context.body)
    return incident === undefined
      ? failure(context.requestId, 400, "ResourceNotFound")
      : success(context.requestId, structuredClone(incident))
  },
  incidentListByIds: (context) => {
    const items = idsOf(context.body).flatMap((id) => {
      const incident = context.store.get(id)
      return incident === undefined ? [] : [structuredClone(incident)]
    })
    return success(context.requestId, { total: items.length, has_next_page: false, items })
  },
  incidentCreate: (context) => {
    // Multipart carries the JSON request in its `data` field.
    const fromForm = typeof context.body.data === "string" ? safeJson(context.body.data) : context.body
    const request = (typeof fromForm === "object" && fromForm !== null ? fromForm : {}) as Record<
      string,
      unknown
    >
    const incident = context.store.create(request, seconds(context))
    context.emit("i_new", incident)
    if ((incident.responders as ReadonlyArray<unknown>).length > 0) context.emit("i_assign", incident)
    return success(context.requestId, { incident_id: incident.incident_id, title: incident.title })
  },
  incidentAck: eachIncident("i_ack", (context, i) => context.store.ack(i, seconds(context))),
  incidentUnack: eachIncident("i_unack", (context, i) => context.store.unack(i, seconds(context))),
  incidentResolve: eachIncident("i_rslv", (context, i) =>
    context.store.resolve(i, seconds(context), context.body)
  ),
  incidentReopen: eachIncident("i_reopen", (context, i) => context.store.reopen(i, seconds(context))),
  incidentSnooze: eachIncident("i_snooze", (context, i) =>
    context.store.snooze(
      i,
      seconds(context),
      typeof context.body.minutes === "number" ? context.body.minutes : 0
    )
  ),
  incidentWake: eachIncident("i_wake", (context, i) => context.store.wake(i, seconds(context))),
  incidentRemove: eachIncident(undefined, (context, i) => {
    context.store.remove(i.incident_id)
    return false
  }),
  incidentAssign: eachIncident(
    "i_assign",
    (context, i) =>
      context.store.assign(
        i,
        seconds(context),
        (typeof context.body.assigned_to === "object" && context.body.assigned_to !== null
          ? context.body.assigned_to
          : {}) as Record<string, unknown>
      ),
    oneOrManyIds
  ),
  incidentResponderAdd: eachIncident(
    "i_a_rspd",
    (context, i) =>
      context.store.addResponders(
        i,
        seconds(context),
        Array.isArray(context.body.person_ids) ? context.body.person_ids.map(Number) : []
      ),
    oneOrManyIds
  ),
  incidentComment: eachIncident("i_comm", (context, i) => {
    context.store.comment(
      i,
      seconds(context),
      typeof context.body.comment === "string" ? context.body.comment : "",
      keyOwner.person_id
    )
    return true
  }),
  incidentReset: (context) => {
    const id = typeof context.body.incident_id === "string" ? context.body.incident_id : ""
    const incident = context.store.get(id)
    if (incident === undefined) return notFound(context, id)
    for (const field of context.store.update(incident, seconds(context), context.body))
      context.emit(fieldEvents[field], incident)
    return success(context.requestId, {})
  },
  incidentCustomActionDo: eachIncident("i_custom", () => true, oneOrManyIds, { message: "" })
}

/** `sessions.export`: the transcript as NDJSON, cut by an `ExportErrorLine` fault when one applies. */
const exportAnswer: Answerer = (context) => ({
  status: 200,
  headers: { "content-type": "application/x-ndjson", "flashcat-request-id": context.requestId },
  body: transcriptStream(context.transcript, {
    sessionId: typeof context.body.session_id === "string" ? context.body.session_id : "",
    requestId: context.requestId,
    includeSubagents: context.body.include_subagents === true,
    startedAtMillis: context.nowMillis,
    ...(context.fault?._tag === "ExportErrorLine"
      ? {
          failAfterLines: context.fault.afterLines,
          failure: { code: context.fault.code, message: context.fault.message }
        }
      : {})
  })
})

/**
 * A download (`kind: "file"`): the real API streams a CSV attachment, not an envelope.
 * The body is the spec's example when it is text, else a small CSV.
 */
const fileAnswer: Answerer = ({ operation, requestId, spec }) => {
  const example = (spec.examples[operation.operationId]?.response as { data?: unknown } | undefined)?.data
  const name = `${operation.path.split("/").filter(Boolean).slice(-2).join("-")}.csv`
  return textResponse(
    200,
    "text/csv; charset=utf-8",
    typeof example === "string" && example !== "" ? example : "id,name\n1,standin\n",
    { "flashcat-request-id": requestId, "content-disposition": `attachment; filename="${name}"` }
  )
}

/** The spec's example `data` verbatim (even `null`); an empty object where the spec has none. */
const exampleAnswer: Answerer = ({ operation, requestId, spec }) => {
  const example = spec.examples[operation.operationId]?.response as { data?: unknown } | undefined
  return success(requestId, example !== undefined && "data" in example ? example.data : {})
}

const invalidFile = (context: AnswerContext, field: string, problem: string): StandInResponse =>
  failure(
    context.requestId,
    400,
    "InvalidParameter",
    `The specified parameter is not valid (field "${field}"): ${problem}`
  )

/**
 * `alertEnrichment.mappingDataUpload`: the CSV must come as a non-empty `file` part (a text
 * field of that name is not a file); the answer is the example's (`{}`). `schema_id` and
 * `do_not_truncate_first` were validated from the query string.
 */
const mappingUploadAnswer: Answerer = (context) => {
  const file = context.files.find((f) => f.field === "file")
  if (file === undefined) return invalidFile(context, "file", "the CSV file part is missing")
  if (file.bytes === 0) return invalidFile(context, "file", "the CSV file is empty")
  return exampleAnswer(context)
}

/**
 * `automations.triggerFire`: a run started, in a session the stand-in names `sess_<n>` (`n`
 * counts the runs this stand-in started, from 1: the first one is the spec's example, `sess_1`).
 */
const triggerFireAnswer: Answerer = (context) => {
  const sessionId = `sess_${context.sequence("session")}`
  return success(context.requestId, {
    type: "routine_fire",
    session_id: sessionId,
    session_url: `/safari/session/${sessionId}`
  })
}

/** The answerers of the operations that are not answered by their example, by operationId. */
export const answerers: Readonly<Record<string, Answerer>> = {
  ...incidentAnswerers,
  "session-read-export": exportAnswer,
  "mapping-data-write-upload": mappingUploadAnswer,
  "automation-trigger-write-fire": triggerFireAnswer
}

/** The answer of an operation: its answerer, a file for downloads, else the spec's example. */
export const answerOf = (context: AnswerContext): StandInResponse =>
  (
    answerers[context.operation.operationId] ??
    (context.operation.kind === "file" ? fileAnswer : exampleAnswer)
  )(context)

/** The spec's example incidents, so the documentation's ids work against the stand-in too. */
export const exampleIncidents = (spec: StandInSpec): ReadonlyArray<Incident> => {
  const dataOf = (operationId: string) =>
    (spec.examples[operationId]?.response as { data?: unknown } | undefined)?.data as
      | Record<string, unknown>
      | undefined
  const candidates = [
    dataOf("incidentInfo"),
    ...((dataOf("incidentListByIds")?.items as Array<unknown>) ?? [])
  ]
  return candidates.filter(
    (c): c is Incident =>
      typeof c === "object" && c !== null && typeof (c as Incident).incident_id === "string"
  )
}

/**
 * The trigger token of the spec's example automation rule (`http_post_token` of the example
 * answer of `automation-rule-write-create`), so that the documented example fires; none when
 * the spec has no such example.
 */
export const exampleTriggerTokens = (spec: StandInSpec): ReadonlyArray<string> => {
  const data = (spec.examples["automation-rule-write-create"]?.response as { data?: unknown } | undefined)
    ?.data as { http_post_token?: unknown } | undefined
  const token = data?.http_post_token
  return typeof token === "string" && token !== "" ? [token] : []
}
