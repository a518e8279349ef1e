/**
 * Spec errata: corrections the generator applies to the OpenAPI document before emitting.
 *
 * Where a request example contradicts its own schema, the example shows what the API
 * accepts, and what the API accepts wins. Each entry names the operation, the JSON pointer
 * it changes, the change, the evidence (the spec's own example) and a one-line reason.
 * The per-endpoint tests prove the result: every spec request example encodes through its
 * method's request codec, and is sent unchanged.
 */
import type { Spec } from "./spec.js"

export type Change =
  /** Drop names from a `required` list. */
  | { readonly op: "unrequire"; readonly properties: ReadonlyArray<string> }
  /** Let a property also be `null` (wrapped as `anyOf: [schema, { type: "null" }]`). */
  | { readonly op: "nullable" }
  /** Replace the schema at the pointer. */
  | { readonly op: "replace"; readonly schema: Record<string, unknown> }
  /**
   * Record that a later `allOf` member's property overrides an earlier one's. The generator
   * merges `allOf` that way; the entry asserts the override is still there.
   */
  | { readonly op: "allOfOverride" }

export interface Erratum {
  /** The operations whose request examples show the contradiction. */
  readonly operationIds: ReadonlyArray<string>
  /** JSON pointer into the spec of the schema the change applies to. */
  readonly pointer: string
  readonly change: Change
  /** The part of the spec's request example that shows what the API accepts. */
  readonly evidence: unknown
  readonly reason: string
}

const schedulePointer = "/components/schemas"

export const errata: ReadonlyArray<Erratum> = [
  {
    operationIds: ["alert-write-pipeline-upsert"],
    pointer: "/components/schemas/AlertPipeline/properties/if",
    change: { op: "nullable" },
    evidence: { rules: [{ kind: "title_reset", if: null, settings: { title: "…" } }] },
    reason: "a rule without a condition is sent as `if: null` (applies to every alert)"
  },
  {
    operationIds: ["scheduleCreate", "schedulePreview"],
    pointer: `${schedulePointer}/ScheduleLayer`,
    change: {
      op: "unrequire",
      properties: ["account_id", "schedule_id", "create_at", "create_by", "update_at", "update_by"]
    },
    evidence: { layers: [{ layer_name: "…", mode: 0, groups: ["…"], layer_start: 1712000000 }] },
    reason: "server-assigned layer fields; a new (or previewed) schedule cannot know them"
  },
  {
    operationIds: ["scheduleCreate"],
    pointer: `${schedulePointer}/ScheduleNotify/properties/fixed_time`,
    change: { op: "nullable" },
    evidence: { notify: { fixed_time: null } },
    reason: "no fixed-time notification is sent as `null`"
  },
  {
    operationIds: ["scheduleCreate"],
    pointer: `${schedulePointer}/ScheduleNotify/properties/webhooks`,
    change: { op: "nullable" },
    evidence: { notify: { webhooks: null } },
    reason: "no IM webhook is sent as `null` (a Go nil slice)"
  },
  {
    operationIds: ["scheduleCreate"],
    pointer: `${schedulePointer}/ScheduleNotifyBy/properties/personal_channels`,
    change: { op: "nullable" },
    evidence: { notify: { by: { follow_preference: true, personal_channels: null } } },
    reason: "no personal channel is sent as `null` (a Go nil slice)"
  },
  {
    operationIds: ["insightTopkAlertsByLabel"],
    pointer: "/components/schemas/InsightTopkAlertByLabelRequest/allOf/1/properties/orderby",
    change: { op: "allOfOverride" },
    evidence: { label: "check", orderby: "total_alert_cnt" },
    reason: "the base InsightQueryRequest allows only `created_at`; the top-k ordering fields win"
  },
  {
    operationIds: ["incidentList"],
    pointer: "/components/schemas/ListIncidentsRequest",
    change: { op: "unrequire", properties: ["start_time", "end_time"] },
    evidence: { progress: "Triggered", limit: 20 },
    reason:
      "go-flashduty's quick start (and DESIGN.md's contract) list incidents by progress and limit alone; the window is optional"
  },
  {
    operationIds: ["statusPageCreate"],
    pointer: "/components/schemas/CreateStatusPageRequest",
    change: { op: "unrequire", properties: ["date_view", "display_uptime_mode"] },
    evidence: { name: "…", url_name: "…", type: "public" },
    reason: "display settings have server defaults; the example creates a page without them"
  },
  {
    operationIds: ["statusPageUpdate"],
    pointer: "/paths/~1status-page~1update/post/requestBody/content/application~1json/schema",
    change: {
      op: "replace",
      schema: {
        type: "object",
        description: "The status page to update and the settings to change.",
        required: ["page_id"],
        properties: {
          page_id: { type: "integer", format: "int64", description: "Status page ID." },
          name: { type: "string", description: "Status page name." },
          page_header: { type: "string", description: "Header text of the page." },
          contact_info: { type: "string", description: "Contact link, e.g. `mailto:…`." }
        }
      }
    },
    evidence: {
      page_id: 5750613685214,
      name: "…",
      page_header: "…",
      contact_info: "mailto:support@example.com"
    },
    reason:
      "the body is `EmptyRequest` (`additionalProperties: false`), which forbids the page id it must carry"
  },
  {
    operationIds: ["statusPageDelete"],
    pointer: "/paths/~1status-page~1delete/post/requestBody/content/application~1json/schema",
    change: {
      op: "replace",
      schema: {
        type: "object",
        description: "The status page to delete.",
        required: ["page_id"],
        properties: { page_id: { type: "integer", format: "int64", description: "Status page ID." } }
      }
    },
    evidence: { page_id: 5750613685214 },
    reason:
      "the body is `EmptyRequest` (`additionalProperties: false`), which forbids the page id it must carry"
  }
]

const at = (root: unknown, pointer: string): any => {
  let node: any = root
  for (const raw of pointer.split("/").slice(1)) {
    const token = raw.replace(/~1/g, "/").replace(/~0/g, "~")
    node = node?.[token]
    if (node === undefined) throw new Error(`erratum pointer ${pointer} does not resolve at ${token}`)
  }
  return node
}

/** Applies the errata to a deep copy of the spec; fails loudly when one no longer applies. */
export const applyErrata = (spec: Spec, list: ReadonlyArray<Erratum> = errata): Spec => {
  const copy = structuredClone(spec) as Spec
  for (const e of list) {
    const parentPointer = e.pointer.slice(0, e.pointer.lastIndexOf("/"))
    const last = e.pointer
      .slice(e.pointer.lastIndexOf("/") + 1)
      .replace(/~1/g, "/")
      .replace(/~0/g, "~")
    const node = at(copy, e.pointer)
    const change = e.change
    switch (change.op) {
      case "unrequire": {
        const required: Array<string> | undefined = node.required
        for (const property of change.properties) {
          if (!required?.includes(property)) {
            throw new Error(
              `erratum for ${e.operationIds.join(", ")}: ${property} is not required at ${e.pointer}`
            )
          }
        }
        node.required = required!.filter((r) => !change.properties.includes(r))
        break
      }
      case "nullable":
        at(copy, parentPointer)[last] = {
          anyOf: [node, { type: "null" }],
          ...(node.description === undefined ? {} : { description: node.description })
        }
        break
      case "replace":
        at(copy, parentPointer)[last] = change.schema
        break
      case "allOfOverride":
        break
    }
  }
  return copy
}
