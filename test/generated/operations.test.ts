/**
 * The `operations` index covers the spec (with the errata overlay applied, which adds the
 * Automation trigger) exactly, every entry is reachable as `fd[service][method]`, and the spec's
 * request examples pass the strict request codecs: the validation pass that found the 7
 * contradictions.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Layer, Redacted, Schema } from "effect"
import { applyErrata } from "../../scripts/generator/errata.js"
import { loadSpec, operationsOf } from "../../scripts/generator/spec.js"
import { endpoints } from "../../src/generated/endpoints.js"
import { examples } from "../../src/generated/examples.js"
import { Flashduty } from "../../src/generated/Flashduty.js"
import { operations } from "../../src/generated/operations.js"
import { fakeHttp, ok } from "../core/fakeHttp.js"

const spec = applyErrata(loadSpec())

describe("operations", () => {
  it("lists exactly the spec's 290 operationIds and the added trigger, once each", () => {
    const ids = operations.map((op) => op.operationId)
    assert.strictEqual(ids.length, 291)
    assert.strictEqual(new Set(ids).size, 291)
    assert.include(ids, "automation-trigger-write-fire")
    assert.notInclude(
      operationsOf(loadSpec()).map((op) => op.operationId),
      "automation-trigger-write-fire"
    )
    assert.deepStrictEqual(
      [...ids].sort(),
      operationsOf(spec)
        .map((op) => op.operationId)
        .sort()
    )
  })

  it("matches each operation's HTTP method and path, with unique method names per service", () => {
    const byId = new Map(operationsOf(spec).map((op) => [op.operationId, op]))
    const names = new Set<string>()
    for (const op of operations) {
      const source = byId.get(op.operationId)!
      assert.strictEqual(op.httpMethod, source.httpMethod)
      assert.strictEqual(op.path, source.path)
      const name = `${op.service}.${op.method}`
      assert.isFalse(names.has(name), name)
      names.add(name)
    }
  })

  it("derives access from the permission and the name", () => {
    const access = (id: string) => operations.find((op) => op.operationId === id)!.access
    assert.strictEqual(access("incidentList"), "read")
    assert.strictEqual(access("incidentAck"), "write")
    assert.strictEqual(access("skill-read-enable"), "write") // "Skill Manage" wins over the name
    assert.strictEqual(access("channelInfo"), "read") // no permission: from the verb
  })

  it("parses documented rate limits", () => {
    const list = operations.find((op) => op.operationId === "incidentList")!
    assert.deepStrictEqual(list.rateLimit, {
      text: "1,000 requests/minute; 50 requests/second per account",
      perMinute: 1000,
      perSecond: 50
    })
    assert.strictEqual(operations.filter((op) => op.rateLimit !== undefined).length, 289)
  })

  it.effect("each operation is a function at fd[service][method]", () =>
    Effect.gen(function* () {
      const layer = Flashduty.layer({ appKey: Redacted.make("k"), retry: false, rateLimit: false }).pipe(
        Layer.provide(fakeHttp(() => ok(null)).layer)
      )
      const fd = (yield* Effect.provide(
        Effect.gen(function* () {
          return yield* Flashduty
        }),
        layer
      )) as unknown as Record<string, Record<string, unknown>>
      for (const op of operations)
        assert.isFunction(fd[op.service]?.[op.method], `${op.service}.${op.method}`)
    })
  )
})

describe("spec request examples against the strict request codecs", () => {
  for (const op of operations) {
    const request = examples[op.operationId]?.request
    // A multipart example lists the form fields but not the file part.
    if (request === undefined || op.kind === "multipart") continue
    it(`${op.operationId} accepts its request example, no field unknown`, () => {
      const codec = endpoints[op.operationId]!.request!
      const exit = Schema.decodeUnknownExit(codec)(request, { onExcessProperty: "error", errors: "all" })
      assert.isTrue(Exit.isSuccess(exit), Exit.isFailure(exit) ? String(exit.cause) : "")
    })
  }

  it("the overlay is what makes the 7 contradicting examples pass", () => {
    const raw = loadSpec()
    const patched = applyErrata(raw)
    assert.notDeepEqual(raw.components.schemas.ScheduleLayer, patched.components.schemas.ScheduleLayer)
    assert.deepStrictEqual(raw.components.schemas.ScheduleLayer?.required?.includes("account_id"), true)
    assert.deepStrictEqual(patched.components.schemas.ScheduleLayer?.required?.includes("account_id"), false)
  })
})
