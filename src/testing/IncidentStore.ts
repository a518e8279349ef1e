/**
 * The stand-in's incidents: a seeded set of generated incidents plus whatever a
 * script creates, moved through Triggered → Processing → Closed by ack/resolve the
 * way the API does, listed with the API's filters, `p`/`limit` paging and a
 * `search_after_ctx` cursor. Field names follow the spec's `IncidentInfo`. Also their
 * assignment (assign, add responders), their comments, their editable fields (title,
 * description, impact, root cause, resolution, severity) and the people behind them, which
 * the incident webhooks carry (`WebhookPayloads.ts`). Each change answers whether it changed
 * anything, so that only real changes post a webhook.
 *
 * The incidents are kept sorted by id (ids sort like their start times) as they are added and
 * removed, so that a list request costs one pass over them at most (none without filters) and
 * never a sort or a copy of the whole set: a test that walks 20,000 incidents is bound by the
 * latency and limits it configures, not by the stand-in.
 */
import type * as Random from "effect/Random"

/** One incident as the API returns it (`IncidentInfo`). */
export type Incident = Record<string, unknown> & {
  incident_id: string
  num: string
  title: string
  progress: "Triggered" | "Processing" | "Closed"
  incident_severity: string
  start_time: number
  snoozed_before: number
}

export interface IncidentStoreOptions {
  /** How many incidents exist before the first request; default 30. */
  readonly count?: number
  /** Generated incidents started within this many seconds before start-up; default 7 days. */
  readonly spreadSeconds?: number
  /** Also hold the spec's example incidents (`69da451ef77b1b51f40e83ee`, …); default true. */
  readonly specExamples?: boolean
}

/** A comment on an incident (`incidents.comment`). */
export interface IncidentComment {
  readonly incident_id: string
  readonly comment: string
  /** Who wrote it: the key's owner. */
  readonly person_id: number
  /** Seconds. */
  readonly created_at: number
}

/** A member of the stand-in's account, as webhooks name people. */
export interface StandInPerson {
  readonly person_id: number
  readonly person_name: string
  readonly email: string
}

/** The editable fields of an incident (`incidents.reset`). */
export const editableFields = [
  "title",
  "description",
  "impact",
  "root_cause",
  "resolution",
  "incident_severity"
] as const

export type EditableField = (typeof editableFields)[number]

export interface IncidentPage {
  readonly total: number
  readonly has_next_page: boolean
  readonly search_after_ctx?: string
  readonly items: ReadonlyArray<Incident>
}

const ACCOUNT_ID = 2451002751131
const PERSON_IDS = [2476444212131, 2476444212132, 2476444212133]
const PEOPLE: ReadonlyArray<StandInPerson> = [
  { person_id: PERSON_IDS[0]!, person_name: "Avery Operator", email: "avery@standin.example" },
  { person_id: PERSON_IDS[1]!, person_name: "Blake Oncall", email: "blake@standin.example" },
  { person_id: PERSON_IDS[2]!, person_name: "Casey Lead", email: "casey@standin.example" }
]

/** The member an API call acts as: the app key's owner. */
export const keyOwner: StandInPerson = PEOPLE[0]!

/** A member of the stand-in's account by id (a made-up one for an id it does not know). */
export const personOf = (personId: number): StandInPerson =>
  PEOPLE.find((p) => p.person_id === personId) ?? {
    person_id: personId,
    person_name: `Member ${personId}`,
    email: `member-${personId}@standin.example`
  }
const CHANNELS = [
  { id: 2551105804131, name: "Ops Channel" },
  { id: 2551105804132, name: "Payments" },
  { id: 2551105804133, name: "Data Platform" }
]
const SEVERITIES = ["Critical", "Warning", "Info"] as const
const CHECKS = [
  ["CPU usage high", "cpu_usage_high"],
  ["Disk almost full", "disk_usage_high"],
  ["HTTP 5xx ratio above 5%", "http_5xx_ratio"],
  ["Replication lag over 30s", "replication_lag"],
  ["Pod crash looping", "pod_crashloop"]
] as const
const HOSTS = ["web-server-01", "web-server-02", "api-gw-01", "prod-db-01", "worker-07"]

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0").slice(-width)

const pick = <A>(random: Random.Random, items: ReadonlyArray<A>): A =>
  items[Math.floor(random.nextDoubleUnsafe() * items.length)]!

const splitList = (value: unknown): ReadonlyArray<string> | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.split(",").map((s) => s.trim()) : undefined

const numbers = (value: unknown): ReadonlyArray<number> | undefined =>
  Array.isArray(value) && value.length > 0 ? value.map(Number) : undefined

const strings = (value: unknown): ReadonlyArray<string> | undefined =>
  Array.isArray(value) && value.length > 0 ? value.map(String) : undefined

/** Ids compare by UTF-16 code units (as the cursor does): hex ids sort like their start times. */
const byId = (a: Incident, b: Incident): number =>
  a.incident_id < b.incident_id ? -1 : a.incident_id > b.incident_id ? 1 : 0

export class IncidentStore {
  private readonly byId = new Map<string, Incident>()
  /** Every incident, ascending by id: kept sorted on every add and removal (ids never change). */
  private readonly ascending: Array<Incident> = []
  private readonly commentLog: Array<IncidentComment> = []
  private counter = 0
  /** Like an ObjectID's machine part: fixed per store, so ids of one second sort by creation. */
  private readonly machine: string

  constructor(random: Random.Random, nowSeconds: number, options: IncidentStoreOptions = {}) {
    this.machine = hex(Math.floor(random.nextDoubleUnsafe() * 0xffffffffff), 10)
    const count = options.count ?? 30
    const spread = options.spreadSeconds ?? 7 * 86_400
    for (let i = 0; i < count; i++) {
      const start = Math.max(0, nowSeconds - Math.floor(random.nextDoubleUnsafe() * spread))
      const roll = random.nextDoubleUnsafe()
      const progress = roll < 0.4 ? "Triggered" : roll < 0.65 ? "Processing" : "Closed"
      const [check, checkKey] = pick(random, CHECKS)
      const host = pick(random, HOSTS)
      const incident = this.make({
        start,
        severity: pick(random, SEVERITIES),
        title: `${check} - ${host}`,
        channel: pick(random, CHANNELS),
        labels: { check: checkKey, resource: host, env: "production" },
        personIds: [pick(random, PERSON_IDS)],
        creatorId: 0
      })
      if (progress !== "Triggered") this.ackOne(incident, Math.min(nowSeconds, start + 120))
      if (progress === "Closed") this.closeOne(incident, Math.min(nowSeconds, start + 900), {})
      this.byId.set(incident.incident_id, incident)
      this.ascending.push(incident)
    }
    // Sorted once here; from now on each add and removal keeps the order.
    this.ascending.sort(byId)
  }

  /** Adds an incident as given (a copy), e.g. one of the spec's examples; an existing id is kept. */
  adopt(incident: Incident): void {
    if (!this.byId.has(incident.incident_id)) this.insert(structuredClone(incident))
  }

  /** Every incident, newest first (a copy: callers cannot change the store). */
  all(): ReadonlyArray<Incident> {
    const all: Array<Incident> = []
    for (let i = this.ascending.length - 1; i >= 0; i--) all.push(structuredClone(this.ascending[i]!))
    return all
  }

  get(id: string): Incident | undefined {
    return this.byId.get(id)
  }

  /** `incidentInfo`: by `incident_id`, else the most recent with that `num`. */
  info(request: Record<string, unknown>): Incident | undefined {
    if (typeof request.incident_id === "string") return this.byId.get(request.incident_id)
    if (typeof request.num === "string") {
      const num = request.num.toUpperCase()
      for (let i = this.ascending.length - 1; i >= 0; i--) {
        if (this.ascending[i]!.num === num) return this.ascending[i]
      }
    }
    return undefined
  }

  /**
   * `incidentList` filters and paging. The items are the store's own incidents, not copies: the
   * answer is serialized (`success` → JSON text) before anything can change them.
   */
  list(request: Record<string, unknown>, nowSeconds: number): IncidentPage {
    const progress = splitList(request.progress)
    const severities = splitList(request.incident_severity)
    const channelIds = numbers(request.channel_ids)
    const ids = strings(request.incident_ids)
    const nums = strings(request.nums)
    const query = typeof request.query === "string" ? request.query.toLowerCase() : ""
    const from = typeof request.start_time === "number" ? request.start_time : undefined
    const to = typeof request.end_time === "number" ? request.end_time : undefined
    const snoozed = request.is_snoozed === true
    const everMuted = request.ever_muted === true
    const filtered =
      progress !== undefined ||
      severities !== undefined ||
      channelIds !== undefined ||
      ids !== undefined ||
      nums !== undefined ||
      query !== "" ||
      from !== undefined ||
      to !== undefined ||
      snoozed ||
      everMuted
    const matches = (i: Incident): boolean =>
      (progress === undefined || progress.includes(i.progress)) &&
      (severities === undefined || severities.includes(i.incident_severity)) &&
      (channelIds === undefined || channelIds.includes(i.channel_id as number)) &&
      (ids === undefined || ids.includes(i.incident_id)) &&
      (nums === undefined || nums.includes(i.num)) &&
      (query === "" || i.title.toLowerCase().includes(query)) &&
      (from === undefined || i.start_time >= from) &&
      (to === undefined || i.start_time <= to) &&
      (!snoozed || i.snoozed_before > nowSeconds) &&
      (!everMuted || i.ever_muted === true)
    const asc = request.asc === true
    const limit = typeof request.limit === "number" && request.limit > 0 ? request.limit : 20
    const all = this.ascending
    const n = all.length
    // The list in the order asked for: position k is `all[at(k)]`.
    const at = asc ? (k: number) => k : (k: number) => n - 1 - k
    const cursor = request.search_after_ctx
    const byCursor = typeof cursor === "string" && cursor !== ""
    // Where the page starts in the ordered (unfiltered) list: after the cursor, which is the last
    // id of the previous page (the first id beyond it in the order asked for), else by `p`.
    let start: number
    if (byCursor) {
      if (asc) start = this.upperBound(cursor)
      else start = n - this.lowerBound(cursor)
    } else {
      const p = typeof request.p === "number" && request.p > 0 ? request.p : 1
      start = (p - 1) * limit
    }
    const items: Array<Incident> = []
    let total: number
    let offset: number
    if (!filtered) {
      total = n
      offset = Math.min(start, n)
      for (let k = offset; k < n && items.length < limit; k++) items.push(all[at(k)]!)
    } else {
      // One pass: the count of matches (total), those before the page (offset), the page's items.
      total = 0
      offset = 0
      for (let k = 0; k < n; k++) {
        const incident = all[at(k)]!
        if (!matches(incident)) continue
        total++
        if (byCursor ? k < start : total <= start) offset++
        else if (items.length < limit) items.push(incident)
      }
    }
    const last = items.at(-1)
    return {
      total,
      has_next_page: offset + items.length < total,
      ...(last === undefined ? {} : { search_after_ctx: last.incident_id }),
      items
    }
  }

  /** `incidentCreate`. */
  create(request: Record<string, unknown>, nowSeconds: number): Incident {
    const channelId = typeof request.channel_id === "number" ? request.channel_id : 0
    const assigned = (request.assigned_to ?? {}) as Record<string, unknown>
    const incident = this.make({
      start: nowSeconds,
      severity: typeof request.incident_severity === "string" ? request.incident_severity : "Info",
      title: typeof request.title === "string" ? request.title : "",
      channel: CHANNELS.find((c) => c.id === channelId) ?? { id: channelId, name: "" },
      labels: {},
      personIds: numbers(assigned.person_ids) ?? [],
      creatorId: PERSON_IDS[0]!
    })
    if (typeof request.description === "string") incident.description = request.description
    if (typeof request.fields === "object" && request.fields !== null) incident.fields = request.fields
    this.insert(incident)
    return incident
  }

  /** `true` when it changed the incident (here and below): only a change posts a webhook. */
  ack(incident: Incident, nowSeconds: number): boolean {
    if (incident.progress !== "Triggered") return false
    this.ackOne(incident, nowSeconds)
    return true
  }

  unack(incident: Incident, nowSeconds: number): boolean {
    if (incident.progress !== "Processing") return false
    incident.progress = "Triggered"
    incident.ack_time = 0
    for (const r of incident.responders as Array<Record<string, unknown>>) r.acknowledged_at = 0
    incident.updated_at = nowSeconds
    return true
  }

  resolve(incident: Incident, nowSeconds: number, notes: Record<string, unknown>): boolean {
    if (incident.progress === "Closed") return false
    this.closeOne(incident, nowSeconds, notes)
    return true
  }

  reopen(incident: Incident, nowSeconds: number): boolean {
    if (incident.progress !== "Closed") return false
    Object.assign(incident, { progress: "Triggered", ack_time: 0, close_time: 0, end_time: 0, closer_id: 0 })
    incident.updated_at = nowSeconds
    return true
  }

  snooze(incident: Incident, nowSeconds: number, minutes: number): boolean {
    incident.snoozed_before = nowSeconds + minutes * 60
    incident.updated_at = nowSeconds
    return true
  }

  wake(incident: Incident, nowSeconds: number): boolean {
    if (incident.snoozed_before === 0) return false
    incident.snoozed_before = 0
    incident.updated_at = nowSeconds
    return true
  }

  /**
   * `incidentAssign`: the incident goes to `assigned_to.person_ids` (its responders from now,
   * none acknowledged yet) or to an escalation rule; an acknowledged incident is triggered again.
   */
  assign(incident: Incident, nowSeconds: number, assignedTo: Record<string, unknown>): boolean {
    const personIds = numbers(assignedTo.person_ids) ?? []
    const ruleId = typeof assignedTo.escalate_rule_id === "string" ? assignedTo.escalate_rule_id : ""
    incident.assigned_to = {
      person_ids: [...personIds],
      escalate_rule_id: ruleId === "" ? "000000000000000000000000" : ruleId,
      layer_idx: typeof assignedTo.layer_idx === "number" ? assignedTo.layer_idx : 0,
      type: typeof assignedTo.type === "string" ? assignedTo.type : "reassign",
      assigned_at: nowSeconds,
      id: `standin-${incident.incident_id.slice(-8)}-${nowSeconds}`,
      escalate_rule_name: ruleId === "" ? "" : "Stand-in escalation"
    }
    incident.responders = personIds.map((person_id) => ({
      person_id,
      assigned_at: nowSeconds,
      acknowledged_at: 0
    }))
    if (incident.progress === "Processing") {
      incident.progress = "Triggered"
      incident.ack_time = 0
    }
    incident.updated_at = nowSeconds
    return true
  }

  /** `incidentResponderAdd`: `false` when every one of them is a responder already. */
  addResponders(incident: Incident, nowSeconds: number, personIds: ReadonlyArray<number>): boolean {
    const responders = incident.responders as Array<Record<string, unknown>>
    const fresh = personIds.filter((id) => !responders.some((r) => r.person_id === id))
    if (fresh.length === 0) return false
    for (const person_id of fresh) responders.push({ person_id, assigned_at: nowSeconds, acknowledged_at: 0 })
    incident.updated_at = nowSeconds
    return true
  }

  /** `incidentComment`: the comment, written by `personId`. */
  comment(incident: Incident, nowSeconds: number, text: string, personId: number): IncidentComment {
    const comment = {
      incident_id: incident.incident_id,
      comment: text,
      person_id: personId,
      created_at: nowSeconds
    }
    this.commentLog.push(comment)
    return comment
  }

  /** Every comment so far, oldest first. */
  comments(): ReadonlyArray<IncidentComment> {
    return [...this.commentLog]
  }

  /**
   * `incidentReset`: the fields of `changes` that differ from the incident's, applied; returns
   * which (in {@link editableFields} order). A new severity is the status too while the incident
   * has not recovered.
   */
  update(
    incident: Incident,
    nowSeconds: number,
    changes: Record<string, unknown>
  ): ReadonlyArray<EditableField> {
    const changed: Array<EditableField> = []
    for (const field of editableFields) {
      const value = changes[field]
      if (typeof value !== "string" || incident[field] === value) continue
      incident[field] = value
      changed.push(field)
    }
    if (changed.includes("incident_severity") && incident.end_time === 0)
      incident.incident_status = incident.incident_severity
    if (changed.length > 0) incident.updated_at = nowSeconds
    return changed
  }

  remove(id: string): void {
    const incident = this.byId.get(id)
    if (incident === undefined) return
    this.byId.delete(id)
    const at = this.lowerBound(id)
    if (this.ascending[at] === incident) this.ascending.splice(at, 1)
  }

  /** Adds a new incident in its place in the order (a new one is usually the newest: last). */
  private insert(incident: Incident): void {
    this.byId.set(incident.incident_id, incident)
    const newest = this.ascending.at(-1)
    if (newest === undefined || newest.incident_id < incident.incident_id) this.ascending.push(incident)
    else this.ascending.splice(this.lowerBound(incident.incident_id), 0, incident)
  }

  /** The position of the first incident whose id is not below `id`. */
  private lowerBound(id: string): number {
    let low = 0
    let high = this.ascending.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (this.ascending[mid]!.incident_id < id) low = mid + 1
      else high = mid
    }
    return low
  }

  /** The position of the first incident whose id is above `id`. */
  private upperBound(id: string): number {
    let low = 0
    let high = this.ascending.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (this.ascending[mid]!.incident_id <= id) low = mid + 1
      else high = mid
    }
    return low
  }

  private ackOne(incident: Incident, at: number): void {
    incident.progress = "Processing"
    incident.ack_time = at
    incident.updated_at = at
    for (const r of incident.responders as Array<Record<string, unknown>>) r.acknowledged_at = at
  }

  private closeOne(incident: Incident, at: number, notes: Record<string, unknown>): void {
    Object.assign(incident, {
      progress: "Closed",
      close_time: at,
      end_time: at,
      updated_at: at,
      active_alert_cnt: 0,
      closer_id: PERSON_IDS[0]
    })
    for (const field of ["root_cause", "resolution", "description"] as const) {
      if (typeof notes[field] === "string") incident[field] = notes[field]
    }
  }

  /** An ObjectID-like id: 8 hex digits of the start second, then a per-store counter, so ids sort by time. */
  private nextId(startSeconds: number): string {
    this.counter++
    return `${hex(startSeconds, 8)}${this.machine}${hex(this.counter, 6)}`
  }

  private make(seed: {
    readonly start: number
    readonly severity: string
    readonly title: string
    readonly channel: { readonly id: number; readonly name: string }
    readonly labels: Record<string, string>
    readonly personIds: ReadonlyArray<number>
    readonly creatorId: number
  }): Incident {
    const id = this.nextId(seed.start)
    const integrationId = seed.creatorId === 0 ? 2490562293131 : 0
    return {
      incident_id: id,
      account_id: ACCOUNT_ID,
      channel_id: seed.channel.id,
      integration_id: integrationId,
      integration_ids: integrationId === 0 ? [] : [integrationId],
      integration_types: integrationId === 0 ? [] : ["monit.alert"],
      dedup_key: integrationId === 0 ? "" : `standin:${id}`,
      equals_md5: "",
      start_time: seed.start,
      end_time: 0,
      last_time: seed.start,
      ack_time: 0,
      close_time: 0,
      creator_id: seed.creatorId,
      closer_id: 0,
      owner_id: 0,
      incident_status: seed.severity,
      incident_severity: seed.severity,
      progress: "Triggered",
      title: seed.title,
      description: "",
      ai_summary: "",
      impact: "",
      root_cause: "",
      resolution: "",
      num: id.slice(-6).toUpperCase(),
      frequency: "frequent",
      created_at: seed.start,
      updated_at: seed.start,
      snoozed_before: 0,
      group_method: "n",
      ever_muted: false,
      labels: seed.labels,
      fields: {},
      assigned_to: {
        person_ids: [...seed.personIds],
        escalate_rule_id: "000000000000000000000000",
        layer_idx: 0,
        type: "assign",
        assigned_at: seed.start,
        id: `standin-${id.slice(-8)}`,
        escalate_rule_name: ""
      },
      alert_cnt: integrationId === 0 ? 0 : 1,
      active_alert_cnt: integrationId === 0 ? 0 : 1,
      alert_event_cnt: integrationId === 0 ? 0 : 1,
      responders: seed.personIds.map((person_id) => ({
        person_id,
        assigned_at: seed.start,
        acknowledged_at: 0
      })),
      account_name: "",
      account_locale: "",
      account_time_zone: "",
      channel_name: seed.channel.name,
      channel_status: "enabled",
      detail_url: `https://app.flashcat.cloud/incident/detail/${id}`,
      silence_url: "",
      integration_type: integrationId === 0 ? "" : "monit.alert",
      post_mortem_id: "",
      images: null,
      manual_overrides: []
    }
  }
}
