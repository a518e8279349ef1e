/**
 * Spec errata: corrections the generator applies to the OpenAPI document before emitting.
 *
 * Two kinds of evidence count:
 * - the spec's own request examples: where one contradicts its schema, the example shows what
 *   the API accepts, and what the API accepts wins;
 * - the Flashduty ecosystem (go-flashduty, the vendor's flashduty-sdk, flashduty-cli), which runs
 *   against the live API: where its code or its tests' payloads disagree with the spec, they win.
 *
 * Each entry names the operations, the JSON pointer it changes, the change, the evidence, its
 * `source` (the spec's example, or repository + path of the ecosystem's code) and a one-line
 * reason. An entry that no longer applies fails the generator (a pointer that does not
 * resolve, a property no longer required, an `add` whose target now exists, a `describe` whose
 * old text is gone), and so does an `unrequire` that leaves a description still calling the
 * property required: a change to a field must also rewrite the description it contradicts.
 * The per-endpoint tests prove the result: every spec request example encodes through its
 * method's request codec, and is sent unchanged.
 */
import type { JsonSchema, Spec } from "./spec.js"

export type Change =
  /** Drop names from a `required` list. */
  | { readonly op: "unrequire"; readonly properties: ReadonlyArray<string> }
  /** Let a property also be `null` (wrapped as `anyOf: [schema, { type: "null" }]`). */
  | { readonly op: "nullable" }
  /** Replace the schema at the pointer. */
  | { readonly op: "replace"; readonly schema: Record<string, unknown> }
  /**
   * Let a value also take other shapes: `anyOf: [schema, ...alternatives]`, with the new
   * `description` (the old one describes the narrower type) and the schema's
   * `x-flashduty-preserve-absence` kept.
   */
  | {
      readonly op: "widen"
      readonly alternatives: ReadonlyArray<JsonSchema>
      readonly description: string
    }
  /**
   * Rewrite the `description` at the pointer. `was`: a part of the old description, which must
   * still be there (so the entry fails once the spec is corrected).
   */
  | { readonly op: "describe"; readonly was: string; readonly description: string }
  /** Add what the spec lacks (an operation, a schema): the pointer must not resolve yet. */
  | { readonly op: "add"; readonly value: unknown }
  /**
   * Record that a later `allOf` member's property overrides an earlier one's. The generator
   * merges `allOf` that way; the entry asserts the override is still there.
   */
  | { readonly op: "allOfOverride" }

export interface Erratum {
  /** The operations concerned. */
  readonly operationIds: ReadonlyArray<string>
  /** JSON pointer into the spec of the schema the change applies to. */
  readonly pointer: string
  readonly change: Change
  /** What shows the API's real behaviour: the spec's own example, or the ecosystem's payload. */
  readonly evidence: unknown
  /** Where the evidence comes from: `openapi.en.json: …`, or repository + path (+ test name). */
  readonly source: string
  readonly reason: string
}

const GO_FLASHDUTY = "flashcatcloud/go-flashduty"
const FLASHDUTY_SDK = "flashcatcloud/flashduty-sdk"
const FLASHDUTY_CLI = "flashcatcloud/flashduty-cli"

const schedulePointer = "/components/schemas"

export const errata: ReadonlyArray<Erratum> = [
  {
    operationIds: ["alert-write-pipeline-upsert"],
    pointer: "/components/schemas/AlertPipeline/properties/if",
    change: { op: "nullable" },
    source: "openapi.en.json: request example of alert-write-pipeline-upsert",
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
    source: "openapi.en.json: request example of scheduleCreate",
    evidence: { layers: [{ layer_name: "…", mode: 0, groups: ["…"], layer_start: 1712000000 }] },
    reason: "server-assigned layer fields; a new (or previewed) schedule cannot know them"
  },
  {
    operationIds: ["scheduleCreate"],
    pointer: `${schedulePointer}/ScheduleNotify/properties/fixed_time`,
    change: { op: "nullable" },
    source: "openapi.en.json: request example of scheduleCreate",
    evidence: { notify: { fixed_time: null } },
    reason: "no fixed-time notification is sent as `null`"
  },
  {
    operationIds: ["scheduleCreate"],
    pointer: `${schedulePointer}/ScheduleNotify/properties/webhooks`,
    change: { op: "nullable" },
    source: "openapi.en.json: request example of scheduleCreate",
    evidence: { notify: { webhooks: null } },
    reason: "no IM webhook is sent as `null` (a Go nil slice)"
  },
  {
    operationIds: ["scheduleCreate"],
    pointer: `${schedulePointer}/ScheduleNotifyBy/properties/personal_channels`,
    change: { op: "nullable" },
    source: "openapi.en.json: request example of scheduleCreate",
    evidence: { notify: { by: { follow_preference: true, personal_channels: null } } },
    reason: "no personal channel is sent as `null` (a Go nil slice)"
  },
  {
    operationIds: ["insightTopkAlertsByLabel"],
    pointer: "/components/schemas/InsightTopkAlertByLabelRequest/allOf/1/properties/orderby",
    change: { op: "allOfOverride" },
    source: "openapi.en.json: request example of insightTopkAlertsByLabel",
    evidence: { label: "check", orderby: "total_alert_cnt" },
    reason: "the base InsightQueryRequest allows only `created_at`; the top-k ordering fields win"
  },
  {
    operationIds: ["incidentList"],
    pointer: "/components/schemas/ListIncidentsRequest",
    change: { op: "unrequire", properties: ["start_time", "end_time"] },
    source: `${GO_FLASHDUTY} README.md (quick start: Progress "Triggered", Limit 20, no time window)`,
    evidence: { progress: "Triggered", limit: 20 },
    reason:
      "go-flashduty's quick start (and DESIGN.md's contract) list incidents by progress and limit alone; the window is optional"
  },
  {
    operationIds: ["incidentList"],
    pointer: "/components/schemas/ListIncidentsRequest",
    change: {
      op: "describe",
      was: "`start_time` and `end_time` are required",
      description:
        "Filters for the incident list query. `start_time` and `end_time` are optional; when given, the window must not exceed 31 days."
    },
    source: `${GO_FLASHDUTY} README.md (quick start: Progress "Triggered", Limit 20, no time window)`,
    evidence: { progress: "Triggered", limit: 20 },
    reason: "the entry above makes the window optional: the description must not say it is required"
  },
  {
    operationIds: ["statusPageCreate"],
    pointer: "/components/schemas/CreateStatusPageRequest",
    change: { op: "unrequire", properties: ["date_view", "display_uptime_mode"] },
    source: "openapi.en.json: request example of statusPageCreate",
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
    source: "openapi.en.json: request example of statusPageUpdate",
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
    source: "openapi.en.json: request example of statusPageDelete",
    evidence: { page_id: 5750613685214 },
    reason:
      "the body is `EmptyRequest` (`additionalProperties: false`), which forbids the page id it must carry"
  },

  // ---- answers: what the ecosystem's payloads show the API sends ------------------------
  {
    operationIds: ["monit-read-query-rows"],
    pointer: "/components/schemas/QueryRow/properties/values/additionalProperties",
    change: {
      op: "widen",
      alternatives: [{ type: "string" }, { type: "boolean" }, { type: "null" }],
      description: "A column's value: a number, or (SQL rows) a string, a boolean or null."
    },
    source: `${FLASHDUTY_SDK} monit_query_test.go@c51f6f0 TestMonitQueryRows_Roundtrip; monit_query.go (rows kept raw: "the row schema is datasource-specific")`,
    evidence: { data: [{ fields: { col_1: "name", col_2: "value" }, values: { name: "a", value: 1 } }] },
    reason:
      "a SQL row carries its columns' own values, strings as well as numbers (SQL NULL and booleans alike)"
  },
  {
    operationIds: ["monit-read-query-rows"],
    pointer: "/components/schemas/QueryRow/properties/values",
    change: {
      op: "describe",
      was: "Numeric fields.",
      description:
        'Column values by name: numbers, and for SQL rows also strings, booleans or null (e.g. `{"name": "a", "value": 1}`). For metric queries the canonical key is `__value__`. May be `null` for detail-oriented sources.'
    },
    source: `${FLASHDUTY_SDK} monit_query_test.go@c51f6f0 TestMonitQueryRows_Roundtrip`,
    evidence: { values: { name: "a", value: 1 } },
    reason: "the entry above widens the values: the description must not call them numeric"
  },
  {
    operationIds: ["monit-read-tools-invoke"],
    pointer: "/components/schemas/ToolInvokeResponse/properties/results/items/properties/error",
    change: {
      op: "widen",
      alternatives: [{ type: "string", description: "The failure as a plain message." }],
      description:
        'Per-tool failure: an object with `code` and `message`, or a plain message string (e.g. `"command not allowed"`). Present only on failure, and mutually exclusive with `data` / `summary` / `truncated`.'
    },
    source: `${FLASHDUTY_SDK} monit_agent_test.go@3203385 TestMonitAgentInvoke_Roundtrip; monit_agent.go (MonitAgentInvokeResult.Error is a string)`,
    evidence: { results: [{ tool: "ssh_exec", error: "command not allowed" }] },
    reason: "a tool's failure arrives as a plain string as well as an object"
  },
  {
    operationIds: ["monit-read-tools-invoke"],
    pointer: "/components/schemas/ToolInvokeResponse/properties/error",
    change: {
      op: "widen",
      alternatives: [{ type: "string", description: "The failure as a plain message." }],
      description:
        "Request-level business error: an object with `code` and `message` (codes beyond the listed ones may appear), or a plain message string. Omitted on success. Returned with HTTP 200 — do not rely on the status code alone."
    },
    source: `${FLASHDUTY_SDK} monit_agent.go (MonitAgentInvokeResult.Error string; the request-level error is read as a generic DutyError with any code)`,
    evidence: { results: [{ tool: "ssh_exec", error: "command not allowed" }] },
    reason:
      "the same handler answers per-tool failures as plain strings; a string here must not fail the whole answer"
  },
  {
    operationIds: ["monit-read-tools-catalog"],
    pointer: "/components/schemas/ToolCatalogResponse/properties/error",
    change: {
      op: "widen",
      alternatives: [{ type: "string", description: "The failure as a plain message." }],
      description:
        "Request-level business error: an object with `code` and `message` (codes beyond the listed ones may appear), or a plain message string. Omitted on success. Returned with HTTP 200 — do not rely on the status code alone."
    },
    source: `${FLASHDUTY_SDK} monit_agent.go (catalog and invoke share the request-level error handling)`,
    evidence: { results: [{ tool: "ssh_exec", error: "command not allowed" }] },
    reason: "the catalog's request-level error comes from the same handler as the invoke one"
  },
  {
    operationIds: ["rum-read-data-query"],
    pointer: "/components/schemas/RumDataQueryOutput/properties/error",
    change: {
      op: "replace",
      schema: {
        type: "object",
        description:
          "The failure of this query: `code` is any string (query-engine codes such as `timeout` as well as the API's error codes), `reason` a finer cause when there is one.",
        properties: {
          code: { type: "string", description: "Error code; not limited to the API's `ErrorCode` values." },
          reason: { type: "string", description: "Finer cause, when the server gives one." },
          message: { type: "string", description: "Human-readable error message." }
        }
      }
    },
    source: `${GO_FLASHDUTY} errors.go (DutyError: Code string, Reason string, Message string)`,
    evidence: { q1: { error: { code: "timeout", reason: "query_timeout", message: "slow" } } },
    reason:
      "a subquery's error is a DutyError whose code is any string and which may carry a reason, not the envelope's ErrorCode enum"
  },

  // ---- requests: how the API is really called -------------------------------------------
  {
    operationIds: ["mapping-data-write-upload"],
    pointer: "/paths/~1enrichment~1mapping~1data~1upload/post/requestBody/content",
    change: {
      op: "replace",
      schema: {
        "multipart/form-data": {
          schema: { $ref: "#/components/schemas/MappingDataUploadRequest" },
          example: { schema_id: "665f1a2b3c4d5e6f7a8b9c01" }
        }
      }
    },
    source: `${GO_FLASHDUTY} alert_enrichment_upload.go (MappingDataWriteUpload: uploadFile, query schema_id and do_not_truncate_first=TRUE); flashduty_test.go TestMappingDataWriteUploadSendsMultipart`,
    evidence: { query: { schema_id: "…", do_not_truncate_first: "TRUE" }, form: { file: "mapping.csv" } },
    reason:
      "declared application/json, but the endpoint takes multipart/form-data (its own usage notes say so)"
  },
  {
    operationIds: ["mapping-data-write-upload"],
    pointer: "/components/schemas/MappingDataUploadRequest",
    change: {
      op: "replace",
      schema: {
        type: "object",
        description:
          "Upload request: `schema_id` and `do_not_truncate_first` travel in the query string, `file` is the multipart part (a CSV file, default name `mapping.csv`, at most 100 MB, whose header row names all of the schema's source and result labels).",
        required: ["schema_id", "file"],
        properties: {
          schema_id: {
            type: "string",
            description: "Mapping schema ID (query parameter).",
            minLength: 1
          },
          do_not_truncate_first: {
            type: "string",
            enum: ["TRUE"],
            description:
              "`TRUE` appends the rows to the existing data; by default the data is truncated first (query parameter)."
          },
          file: { type: "string", format: "binary", description: "CSV file to upload (the `file` part)." }
        },
        additionalProperties: false
      }
    },
    source: `${GO_FLASHDUTY} alert_enrichment_upload.go (MappingDataUploadRequest: SchemaID required, DoNotTruncateFirst, File required, Filename default mapping.csv)`,
    evidence: { query: { schema_id: "…", do_not_truncate_first: "TRUE" }, form: { file: "mapping.csv" } },
    reason:
      "`schema_id` and the file are required; appending instead of truncating is an option the spec leaves out"
  },
  {
    operationIds: ["automation-trigger-write-fire"],
    pointer: "/paths/~1safari~1automation~1triggers~1{trigger_id}~1fire",
    change: {
      op: "add",
      value: {
        post: {
          operationId: "automation-trigger-write-fire",
          summary: "Fire Automation HTTP POST trigger",
          description:
            "Start a run of an Automation rule through its HTTP POST trigger. Authenticated by the trigger's bearer token (the rule's `http_post_token`, returned when the rule is created or its token rotated), never by an app key. `text` is passed to the run as context. Not deduplicated by the server: each call starts a run.",
          tags: ["AI SRE/Automations"],
          security: [{ AutomationTriggerBearerAuth: [] }],
          "x-mint": {
            content:
              "## Restrictions\n\n| Aspect | Value |\n| ------ | ----- |\n| Permissions | The trigger's bearer token (`AutomationTriggerBearerAuth`); no `app_key` |\n"
          },
          parameters: [
            {
              name: "trigger_id",
              in: "path",
              required: true,
              description:
                "HTTP POST trigger ID: the rule's `http_post_trigger_id` (its `http_post_trigger_url` is `/safari/automation/triggers/{trigger_id}/fire`).",
              schema: { type: "string", minLength: 1 },
              example: "trig_abc"
            }
          ],
          requestBody: {
            required: false,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    text: { type: "string", description: "Context text passed to this Automation run." }
                  },
                  additionalProperties: false
                },
                example: { text: "Disk usage above 90% on web-01" }
              }
            }
          },
          responses: {
            "200": {
              description: "Success",
              content: {
                "application/json": {
                  schema: {
                    allOf: [
                      { $ref: "#/components/schemas/SuccessEnvelope" },
                      {
                        type: "object",
                        properties: {
                          data: {
                            type: "object",
                            description: "The run the trigger started.",
                            properties: {
                              type: {
                                type: "string",
                                enum: ["routine_fire"],
                                description: "Result type: `routine_fire` when a run started."
                              },
                              session_id: { type: "string", description: "ID of the started session." },
                              session_url: {
                                type: "string",
                                description: "Console path of the started session."
                              }
                            }
                          }
                        }
                      }
                    ]
                  },
                  example: {
                    request_id: "RIDF",
                    data: {
                      type: "routine_fire",
                      session_id: "sess_1",
                      session_url: "/safari/session/sess_1"
                    }
                  }
                }
              }
            }
          }
        }
      }
    },
    source: `${GO_FLASHDUTY} automations_fire.go (TriggerWriteFire, AutomationFireAPITriggerRequest/Response); automations_fire_test.go TestAutomationTriggerWriteFireUsesBearerToken; ${FLASHDUTY_CLI} internal/cli/automation_test.go@29f33b9 TestAutomationFireSendsBearerToken`,
    evidence: {
      request: "POST /safari/automation/triggers/trig_abc/fire, Authorization: Bearer <token>, no app_key",
      response: {
        request_id: "RIDF",
        data: { type: "routine_fire", session_id: "sess_1", session_url: "/safari/session/sess_1" }
      }
    },
    reason:
      "the spec declares AutomationTriggerBearerAuth and automation rules return the trigger's URL and token, but no operation uses them"
  }
]

const unescapeToken = (token: string): string => token.replace(/~1/g, "/").replace(/~0/g, "~")

const at = (root: unknown, pointer: string): any => {
  let node: any = root
  for (const raw of pointer.split("/").slice(1)) {
    const token = unescapeToken(raw)
    node = node?.[token]
    if (node === undefined) throw new Error(`erratum pointer ${pointer} does not resolve at ${token}`)
  }
  return node
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/**
 * After an `unrequire`: neither the object's description nor the property's own may still call
 * the property required (`start_time` and `end_time` are required…).
 */
const checkUnrequired = (e: Erratum, node: JsonSchema, properties: ReadonlyArray<string>): void => {
  for (const property of properties) {
    const name = new RegExp(`\`?\\b${escapeRegExp(property)}\\b\`?[^.]*\\brequired\\b`, "i")
    const own = node.properties?.[property]?.description ?? ""
    if (name.test(node.description ?? "") || /\brequired\b/i.test(own)) {
      throw new Error(
        `erratum for ${e.operationIds.join(", ")}: ${property} is no longer required at ${e.pointer}, but a description still says it is; add a "describe" erratum`
      )
    }
  }
}

/** Applies the errata to a deep copy of the spec; fails loudly when one no longer applies. */
export const applyErrata = (spec: Spec, list: ReadonlyArray<Erratum> = errata): Spec => {
  const copy = structuredClone(spec) as Spec
  const unrequired: Array<readonly [Erratum, ReadonlyArray<string>]> = []
  for (const e of list) {
    const parentPointer = e.pointer.slice(0, e.pointer.lastIndexOf("/"))
    const last = unescapeToken(e.pointer.slice(e.pointer.lastIndexOf("/") + 1))
    const change = e.change
    if (change.op === "add") {
      const parent = at(copy, parentPointer)
      if (parent[last] !== undefined) {
        throw new Error(
          `erratum for ${e.operationIds.join(", ")}: ${e.pointer} already exists in the spec; drop the erratum`
        )
      }
      parent[last] = structuredClone(change.value)
      continue
    }
    const node = at(copy, e.pointer)
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
        unrequired.push([e, change.properties])
        break
      }
      case "nullable":
        at(copy, parentPointer)[last] = {
          anyOf: [node, { type: "null" }],
          ...(node.description === undefined ? {} : { description: node.description })
        }
        break
      case "replace":
        at(copy, parentPointer)[last] = structuredClone(change.schema)
        break
      case "widen": {
        const { description: _old, "x-flashduty-preserve-absence": keep, ...narrow } = node
        at(copy, parentPointer)[last] = {
          anyOf: [narrow, ...structuredClone(change.alternatives)],
          description: change.description,
          ...(keep === undefined ? {} : { "x-flashduty-preserve-absence": keep })
        }
        break
      }
      case "describe":
        if (typeof node.description !== "string" || !node.description.includes(change.was)) {
          throw new Error(
            `erratum for ${e.operationIds.join(", ")}: the description at ${e.pointer} no longer says "${change.was}"`
          )
        }
        node.description = change.description
        break
      case "allOfOverride":
        break
    }
  }
  for (const [e, properties] of unrequired) checkUnrequired(e, at(copy, e.pointer), properties)
  return copy
}
