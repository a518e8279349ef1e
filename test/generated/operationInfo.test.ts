/**
 * The generator's `OperationInfo` decisions: read / write access (the summary's verb first, the
 * permission cell last), the reviewed idempotent writes, the optional fields (`idempotent`,
 * `auth`, `pathParams`: present only when not the default), and the generated method of an
 * operation with its own credentials (the Automation trigger).
 */
import { readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { applyErrata } from "../../scripts/generator/errata.js"
import { idempotentWrites } from "../../scripts/generator/idempotentWrites.js"
import { buildModel } from "../../scripts/generator/model.js"
import { accessDecision, authOf } from "../../scripts/generator/operationInfo.js"
import { loadSpec, operationsOf, type Spec } from "../../scripts/generator/spec.js"
import type { ApiResponse } from "../../src/ApiResponse.js"
import { FlashdutyClient } from "../../src/FlashdutyClient.js"
import type { CallOptions } from "../../src/FlashdutyOptions.js"
import * as Automations from "../../src/generated/Automations.js"
import { operations } from "../../src/generated/operations.js"
import type { Endpoint } from "../../src/runtime/Endpoint.js"

const byId = new Map(operations.map((op) => [op.operationId, op]))
const info = (id: string) => {
  const op = byId.get(id)
  if (op === undefined) throw new Error(`no operation ${id}`)
  return op
}
const generated = (file: string) =>
  readFileSync(new URL(`../../src/generated/${file}`, import.meta.url), "utf8")

describe("access", () => {
  // "X Read or X Manage" permission cells used to make these writes: never retried.
  const reads = [
    "routeInfo",
    "routeList",
    "scheduleInfo",
    "scheduleInfos",
    "scheduleSelf",
    "schedulePreview",
    "template-read-list",
    "enrichment-read-info",
    "enrichment-read-list",
    "mapping-schema-read-list",
    "mapping-schema-read-info",
    "mapping-data-read-list",
    "mapping-data-read-download",
    "mapping-api-read-list",
    "field-read-info",
    "field-read-list",
    "monit-rule-write-status" // "Get rule trigger status", despite its -write- and "Alerting Rules Manage"
  ]
  for (const id of reads) {
    it(`${id} is a read`, () => assert.strictEqual(info(id).access, "read"))
  }

  it("the summary's verb decides before the operationId and the permission", () => {
    assert.strictEqual(info("skill-read-enable").access, "write") // "Enable skill"
    assert.strictEqual(info("alert-write-merge").access, "write") // "Merge alerts…", Channels Read
    assert.strictEqual(info("memberResetInfo").access, "write") // "Reset member info"
    assert.strictEqual(info("statusPageSubscriberExport").access, "read") // "Export subscribers"
    assert.strictEqual(info("incidentList").access, "read")
    assert.strictEqual(info("incidentAck").access, "write")
    assert.strictEqual(info("channelInfo").access, "read")
  })

  it("decides in order: summary verb, operationId hint, permission, operationId verbs, else write", () => {
    const mint = (permission: string) =>
      `| Aspect | Value |\n| ------ | ----- |\n| Permissions | ${permission} |\n`
    assert.deepStrictEqual(accessDecision("x-write-status", "Get status", mint("A Manage")), {
      access: "read",
      basis: 'summary verb "get"'
    })
    assert.strictEqual(accessDecision("x-read-thing", "Frobnicate", mint("A Manage")).access, "read")
    assert.strictEqual(accessDecision("xWrite", "Frobnicate", mint("A Read")).access, "write")
    assert.strictEqual(accessDecision("xThing", "Frobnicate", mint("A Read or A Manage")).access, "read")
    assert.strictEqual(accessDecision("xThing", "Frobnicate", mint("A Manage")).access, "write")
    assert.strictEqual(accessDecision("xList", "Frobnicate", "").access, "read")
    assert.deepStrictEqual(accessDecision("xThing", undefined, ""), {
      access: "write",
      basis: "unknown: write (safe side)"
    })
  })

  it("OPERATIONS.md lists every operation with its access and what decided it", () => {
    const table = generated("OPERATIONS.md")
    for (const op of operations) {
      const row = table.split("\n").find((line) => line.startsWith(`| \`${op.operationId}\` |`))
      assert.isDefined(row, op.operationId)
      assert.include(row!, `| **${op.access}** |`, op.operationId)
    }
  })
})

describe("idempotent writes", () => {
  it("operations marks exactly the reviewed list, all writes", () => {
    const marked = operations.filter((op) => op.idempotent === true).map((op) => op.operationId)
    assert.deepStrictEqual([...marked].sort(), Object.keys(idempotentWrites).sort())
    for (const op of operations.filter((o) => o.idempotent === true)) assert.strictEqual(op.access, "write")
  })

  it("lists no create (an upsert only when keyed), comment, merge, addition, delete, snooze, reopen, assign, enable/disable, run or trigger", () => {
    const spec = operationsOf(applyErrata(loadSpec()))
    const never =
      /^(create(?! or update)|add|comment|merge|delete|batch delete|remove|snooze|reopen|assign|enable|disable|run|fire|import|upload|invite|grant|revoke|execute|truncate|test|migrate|cancel|initialize)\b/i
    for (const id of Object.keys(idempotentWrites)) {
      const summary = spec.find((op) => op.operationId === id)!.summary ?? ""
      assert.notMatch(summary, never, id)
      assert.notMatch(id, /create|comment|merge|delete|snooze|reopen|assign|enable|disable|rotate/i, id)
    }
    for (const id of ["routeUpsert", "channelUpdate", "automation-rule-write-update", "team-write-upsert"])
      assert.notProperty(idempotentWrites, id)
  })

  it("IDEMPOTENT_WRITES.md lists each with its method and reason", () => {
    const md = generated("IDEMPOTENT_WRITES.md")
    for (const [id, reason] of Object.entries(idempotentWrites)) {
      const op = info(id)
      assert.include(
        md,
        `| \`${id}\` | \`${op.service}.${op.method}\` | ${op.httpMethod} \`${op.path}\` | ${reason} |`
      )
    }
  })

  it("generation fails on an unknown operationId or a read", () => {
    const spec = applyErrata(loadSpec())
    assert.throws(
      () => buildModel(spec, { idempotentWrites: { "no-such-op": "x" } }),
      /unknown operations: no-such-op/
    )
    assert.throws(
      () => buildModel(spec, { idempotentWrites: { incidentList: "x" } }),
      /incidentList .* is a read/
    )
  })
})

describe("optional OperationInfo fields", () => {
  it("are present only when not the default", () => {
    for (const op of operations) {
      if (op.idempotent !== true) assert.notProperty(op, "idempotent", op.operationId)
      if (op.operationId !== "automation-trigger-write-fire") {
        assert.notProperty(op, "auth", op.operationId)
        assert.notProperty(op, "pathParams", op.operationId)
      }
    }
    assert.strictEqual(info("incidentAck").idempotent, true)
  })

  it("the Automation trigger: its own credentials, its path parameter, a write that is not idempotent", () => {
    assert.deepStrictEqual(info("automation-trigger-write-fire"), {
      operationId: "automation-trigger-write-fire",
      service: "automations",
      method: "triggerFire",
      httpMethod: "POST",
      path: "/safari/automation/triggers/{trigger_id}/fire",
      access: "write",
      rateLimit: undefined,
      kind: "json",
      auth: "automationTrigger",
      pathParams: ["trigger_id"]
    })
  })

  it("auth comes from the security scheme; an unknown scheme fails the generator", () => {
    assert.strictEqual(authOf("x", ["AppKeyAuth"]), undefined)
    assert.strictEqual(authOf("x", []), undefined)
    assert.strictEqual(authOf("x", ["AutomationTriggerBearerAuth"]), "automationTrigger")
    assert.throws(() => authOf("x", ["SomethingElse"]), /unknown security scheme SomethingElse/)
    assert.throws(() => authOf("x", ["AppKeyAuth", "AutomationTriggerBearerAuth"]), /several kinds/)
  })

  it("path parameters become required request fields; a placeholder without a declared parameter fails", () => {
    const tiny = (parameters: ReadonlyArray<unknown>): Spec =>
      ({
        paths: {
          "/things/{thing_id}/poke": {
            post: {
              operationId: "thing-write-poke",
              tags: ["Things"],
              parameters,
              requestBody: {
                content: {
                  "application/json": {
                    schema: { type: "object", properties: { note: { type: "string" } } },
                    example: { note: "hi" }
                  }
                }
              },
              responses: {}
            }
          }
        },
        components: { schemas: {} }
      }) as unknown as Spec
    const [op] = operationsOf(
      tiny([{ name: "thing_id", in: "path", required: true, schema: { type: "string" }, example: "t1" }])
    )
    assert.deepStrictEqual(op!.pathParams, ["thing_id"])
    assert.deepStrictEqual(op!.request?.required, ["thing_id"])
    assert.deepStrictEqual(Object.keys(op!.request?.properties ?? {}), ["thing_id", "note"])
    assert.deepStrictEqual(op!.requestExample, { thing_id: "t1", note: "hi" })
    assert.throws(() => operationsOf(tiny([])), /undeclared: thing_id/)
  })
})

describe("the generated method of an operation with its own credentials", () => {
  it.effect(
    "automations.triggerFire(request, token, options) hands the token to the client as bearerToken",
    () =>
      Effect.gen(function* () {
        const calls: Array<{
          endpoint: Endpoint<unknown, unknown>
          input: unknown
          options: CallOptions | undefined
        }> = []
        // Only `call` is used by a JSON method; the rest of the client is never reached.
        const call: FlashdutyClient["Service"]["call"] = (endpoint, input, options) => {
          calls.push({ endpoint: endpoint as Endpoint<unknown, unknown>, input, options })
          return Effect.succeed({ data: {} } as ApiResponse<any>)
        }
        const client = FlashdutyClient.of({ call } as unknown as FlashdutyClient["Service"])
        const automations = yield* Automations.make.pipe(
          Effect.provide(Layer.succeed(FlashdutyClient, client))
        )
        const token = Redacted.make("trigger-token")
        yield* automations.triggerFire({ trigger_id: "trig_abc", text: "disk full" }, token, {
          timeout: "5 seconds"
        })
        yield* automations.triggerFire({ trigger_id: "trig_abc" }, "plain-token")
        assert.lengthOf(calls, 2)
        assert.strictEqual(calls[0]!.endpoint.operation.operationId, "automation-trigger-write-fire")
        assert.deepStrictEqual(calls[0]!.input, { trigger_id: "trig_abc", text: "disk full" })
        assert.strictEqual(calls[0]!.options?.bearerToken, token)
        assert.strictEqual(calls[0]!.options?.timeout, "5 seconds")
        assert.strictEqual(calls[1]!.options?.bearerToken, "plain-token")
      })
  )
})
