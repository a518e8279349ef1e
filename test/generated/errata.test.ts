/**
 * The errata overlay: the ecosystem's payloads (go-flashduty, flashduty-sdk, flashduty-cli; each
 * quoted with its source) decode through the generated schemas, the operations the spec gets
 * wrong or lacks are generated as the API really takes them, and the overlay fails loudly when
 * an entry no longer applies or leaves a description contradicting it.
 */
import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { Exit, Schema } from "effect"
import { applyErrata, type Erratum, errata } from "../../scripts/generator/errata.js"
import type { Spec } from "../../scripts/generator/spec.js"
import { loadSpec } from "../../scripts/generator/spec.js"
import { endpoints } from "../../src/generated/endpoints.js"
import { examples } from "../../src/generated/examples.js"
import { operations } from "../../src/generated/operations.js"

const decode = (operationId: string, data: unknown): any =>
  Schema.decodeUnknownSync(endpoints[operationId]!.response as Schema.Codec<unknown, unknown>)(data)

const generated = (file: string) =>
  readFileSync(new URL(`../../src/generated/${file}`, import.meta.url), "utf8")

describe("answers as the ecosystem's payloads show them", () => {
  it("monit-read-query-rows: SQL row values hold strings as well as numbers", () => {
    // flashcatcloud/flashduty-sdk monit_query_test.go@c51f6f0 TestMonitQueryRows_Roundtrip
    const rows = decode("monit-read-query-rows", [
      { fields: { col_1: "name", col_2: "value" }, values: { name: "a", value: 1 } }
    ])
    assert.deepStrictEqual(rows, [
      { fields: { col_1: "name", col_2: "value" }, values: { name: "a", value: 1 } }
    ])
    assert.deepStrictEqual(decode("monit-read-query-rows", [{ values: { ok: true, missing: null } }]), [
      { values: { ok: true, missing: null } }
    ])
    assert.deepStrictEqual(decode("monit-read-query-rows", [{ values: null }]), [{ values: {} }])
  })

  it("monit-read-tools-invoke: a tool's error may be a plain string", () => {
    // flashcatcloud/flashduty-sdk monit_agent_test.go@3203385 TestMonitAgentInvoke_Roundtrip
    const data = decode("monit-read-tools-invoke", {
      results: [
        {
          tool: "ps_top",
          data: { summary: "top processes", data: { rows: [{ pid: 1, cpu: 25, cmd: "chrome" }] } }
        },
        { tool: "ssh_exec", error: "command not allowed" }
      ]
    })
    assert.strictEqual(data.results[1].error, "command not allowed")
    const structured = decode("monit-read-tools-invoke", {
      results: [{ tool: "x", error: { code: "timeout", message: "slow" } }]
    })
    assert.deepStrictEqual(structured.results[0].error, { code: "timeout", message: "slow" })
  })

  it("tools invoke and catalog: the request-level error may be a plain string, or an object with any code", () => {
    assert.strictEqual(
      decode("monit-read-tools-invoke", { results: [], error: "target offline" }).error,
      "target offline"
    )
    assert.strictEqual(
      decode("monit-read-tools-catalog", { tools: [], error: "target offline" }).error,
      "target offline"
    )
    assert.deepStrictEqual(
      decode("monit-read-tools-catalog", { tools: [], error: { code: "forward_failed", message: "x" } })
        .error,
      { code: "forward_failed", message: "x" }
    )
  })

  it("rum-read-data-query: a subquery's error has any code and keeps its reason", () => {
    // go-flashduty errors.go: DutyError{Code string, Reason string, Message string}
    const data = decode("rum-read-data-query", {
      q1: { error: { code: "timeout", reason: "query_timeout", message: "slow" } }
    })
    assert.deepStrictEqual(data.q1.error, { code: "timeout", reason: "query_timeout", message: "slow" })
  })

  it("maps keyed by user-defined names keep every key, `__proto__` and `constructor` included", () => {
    // RuleCounterChannelResponse: "Map of channel name to rule count": no widening needed, keys are free.
    const wire = JSON.parse('{"__proto__": 3, "constructor": 1, "": 2, "prod-api": 7, "12345": 4}')
    for (const id of ["monit-rule-read-counter-channel", "monit-rule-read-counter-node"]) {
      const counts = decode(id, wire)
      assert.deepStrictEqual(Object.keys(counts).sort(), [
        "",
        "12345",
        "__proto__",
        "constructor",
        "prod-api"
      ])
      assert.strictEqual(Object.getPrototypeOf(counts), Object.prototype, id)
      assert.strictEqual(counts.constructor, 1)
    }
  })
})

describe("operations as the API takes them", () => {
  it("mapping-data-write-upload is a multipart upload: schema_id and the file required, append optional", () => {
    const op = operations.find((o) => o.operationId === "mapping-data-write-upload")!
    assert.strictEqual(op.kind, "multipart")
    assert.strictEqual(op.method, "mappingDataUpload")
    const request = endpoints["mapping-data-write-upload"]!.request as Schema.Codec<unknown, unknown>
    const ok = (input: unknown) => Exit.isSuccess(Schema.decodeUnknownExit(request)(input))
    assert.isTrue(ok({ schema_id: "665f", file: "…", do_not_truncate_first: "TRUE" }))
    assert.isTrue(ok({ schema_id: "665f", file: "…" }))
    assert.isFalse(ok({ file: "…" }), "schema_id is required")
    assert.isFalse(ok({ schema_id: "", file: "…" }), "schema_id is not empty")
    assert.isFalse(ok({ schema_id: "665f", file: "…", do_not_truncate_first: "true" }), "only TRUE")
  })

  it("automation-trigger-write-fire: request { trigger_id, text? }, its example answer decodes", () => {
    const endpoint = endpoints["automation-trigger-write-fire"]!
    const request = endpoint.request as Schema.Codec<unknown, unknown>
    assert.isTrue(Exit.isSuccess(Schema.decodeUnknownExit(request)({ trigger_id: "trig_abc" })))
    assert.isTrue(Exit.isSuccess(Schema.decodeUnknownExit(request)({ trigger_id: "trig_abc", text: "ctx" })))
    assert.isFalse(
      Exit.isSuccess(Schema.decodeUnknownExit(request)({ text: "ctx" })),
      "trigger_id is required"
    )
    assert.isFalse(Exit.isSuccess(Schema.decodeUnknownExit(request)({ trigger_id: "" })), "and not empty")
    // go-flashduty automations_fire_test.go TestAutomationTriggerWriteFireUsesBearerToken
    const example = examples["automation-trigger-write-fire"]!
    assert.deepStrictEqual(example.response, {
      request_id: "RIDF",
      data: { type: "routine_fire", session_id: "sess_1", session_url: "/safari/session/sess_1" }
    })
    assert.deepStrictEqual(decode("automation-trigger-write-fire", (example.response as any).data), {
      type: "routine_fire",
      session_id: "sess_1",
      session_url: "/safari/session/sess_1"
    })
  })

  it("incidentList's window is optional, and its description no longer says it is required", () => {
    const patched = applyErrata(loadSpec()).components.schemas.ListIncidentsRequest!
    assert.notInclude(patched.required ?? [], "start_time")
    assert.notInclude(patched.required ?? [], "end_time")
    assert.notMatch(patched.description ?? "", /required/)
    assert.notInclude(generated("Incidents.ts"), "`start_time` and `end_time` are required")
  })
})

describe("the overlay itself", () => {
  const tiny = (): Spec =>
    ({
      paths: {},
      components: {
        schemas: {
          Req: {
            type: "object",
            description: "Filters. `since` is required.",
            required: ["since"],
            properties: { since: { type: "integer", description: "Start." } }
          }
        }
      }
    }) as unknown as Spec
  const entry = (change: Erratum["change"], pointer = "/components/schemas/Req"): Erratum => ({
    operationIds: ["x"],
    pointer,
    change,
    evidence: {},
    source: "test",
    reason: "test"
  })

  it("every entry names its source; the ecosystem's by repository and path", () => {
    for (const e of errata) {
      assert.isNotEmpty(e.source, e.pointer)
      if (!e.source.startsWith("openapi.en.json"))
        assert.match(e.source, /flashcatcloud\/[\w-]+ \S+\.(go|md)/, e.pointer)
    }
  })

  it("an unrequire whose description still says required fails, unless a describe rewrites it", () => {
    assert.throws(
      () => applyErrata(tiny(), [entry({ op: "unrequire", properties: ["since"] })]),
      /still says it is/
    )
    const patched = applyErrata(tiny(), [
      entry({ op: "unrequire", properties: ["since"] }),
      entry({ op: "describe", was: "`since` is required", description: "Filters. `since` is optional." })
    ])
    assert.strictEqual(patched.components.schemas.Req!.description, "Filters. `since` is optional.")
  })

  it("fails when a describe's old text is gone, or an add's target already exists", () => {
    assert.throws(
      () => applyErrata(tiny(), [entry({ op: "describe", was: "no such text", description: "x" })]),
      /no longer says/
    )
    assert.throws(() => applyErrata(tiny(), [entry({ op: "add", value: {} })]), /already exists/)
    const added = applyErrata(tiny(), [
      entry({ op: "add", value: { type: "string" } }, "/components/schemas/New")
    ])
    assert.deepStrictEqual(added.components.schemas.New, { type: "string" })
  })

  it("widen keeps the narrow schema as the first alternative and takes the new description", () => {
    const patched = applyErrata(tiny(), [
      entry(
        { op: "widen", alternatives: [{ type: "string" }], description: "Start, or its text." },
        "/components/schemas/Req/properties/since"
      )
    ])
    assert.deepStrictEqual(patched.components.schemas.Req!.properties!.since, {
      anyOf: [{ type: "integer" }, { type: "string" }],
      description: "Start, or its text."
    })
  })
})
