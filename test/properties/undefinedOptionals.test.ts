/**
 * An optional request field given as `undefined` (what TypeScript accepts for `field?: T`
 * unless `exactOptionalPropertyTypes` is on) is absent: for every operation, a request whose
 * every absent optional field, at every depth, is set to `undefined` validates and goes on the
 * wire exactly as the same request without them (body and query alike).
 *
 * The compile-time half (both settings of `exactOptionalPropertyTypes`) is the consumer
 * project in `test/consumer/`.
 */
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Effect, Schema, SchemaAST } from "effect"
import type { FlashdutyClientService } from "../../src/FlashdutyClient.js"
import { endpoints } from "../../src/generated/endpoints.js"
import { examples } from "../../src/generated/examples.js"
import { operations } from "../../src/generated/operations.js"
import type { Endpoint } from "../../src/runtime/Endpoint.js"
import type { SeenRequest } from "../core/fakeHttp.js"
import { ok } from "../core/fakeHttp.js"
import { withClient } from "../core/harness.js"

/** `value` with every optional property it leaves out set to `undefined`, at every depth. */
const withUndefined = (value: unknown, ast: SchemaAST.AST): { value: unknown; added: number } => {
  let added = 0
  const walk = (v: unknown, node: SchemaAST.AST): unknown => {
    if (SchemaAST.isObjects(node) && typeof v === "object" && v !== null && !Array.isArray(v)) {
      const out: Record<string, unknown> = { ...(v as Record<string, unknown>) }
      for (const ps of node.propertySignatures) {
        const key = ps.name as string
        if (Object.hasOwn(out, key)) out[key] = walk(out[key], ps.type)
        else if (ps.type.context?.isOptional === true) {
          out[key] = undefined
          added++
        }
      }
      return out
    }
    if (SchemaAST.isArrays(node) && Array.isArray(v)) {
      const item = node.rest[0]
      return item === undefined ? v : v.map((x) => walk(x, item))
    }
    if (SchemaAST.isUnion(node) && typeof v === "object" && v !== null) {
      // The member the value was built from: the first object member it validates against.
      for (const member of node.types) {
        if (!SchemaAST.isObjects(member) && !SchemaAST.isArrays(member)) continue
        if (Schema.is(Schema.make(member))(v)) return walk(v, member)
      }
    }
    return v
  }
  return { value: walk(value, ast), added }
}

const wire = (request: SeenRequest) => ({
  method: request.method,
  path: request.url.pathname,
  query: [...request.url.searchParams].sort(([a], [b]) => a.localeCompare(b)),
  body: request.body === "" ? undefined : JSON.parse(request.body)
})

/** What `input` puts on the wire for `endpoint` (the answer is irrelevant and ignored). */
const sent = (endpoint: Endpoint<unknown, unknown>, input: unknown) =>
  withClient(
    () => ok({}),
    (client: FlashdutyClientService, http) =>
      Effect.scoped(
        client.send(
          endpoint,
          input,
          endpoint.operation.auth === "automationTrigger" ? { bearerToken: "trigger-token" } : {}
        )
      ).pipe(Effect.ignore, Effect.as(http.requests))
  )

/** A valid request: the spec's example, else one generated from the request schema. */
const sampleOf = (operationId: string, codec: Schema.Top) =>
  examples[operationId]?.request !== undefined
    ? Effect.succeed(
        Schema.decodeUnknownSync(codec as Schema.Codec<unknown, unknown>)(examples[operationId]!.request)
      )
    : Effect.map(
        Arbitrary.sampleEffect(Arbitrary.schema(Schema.toType(codec)), { count: 1, seed: 7 }),
        (values) => values[0]
      )

describe("an optional request field given as undefined is absent", () => {
  let covered = 0
  let fieldsSetToUndefined = 0
  for (const op of operations) {
    const endpoint = endpoints[op.operationId] as Endpoint<unknown, unknown>
    // A multipart upload's optional form fields are covered in specialOperations.
    if (endpoint.request === undefined || op.kind === "multipart") continue
    it.effect(`${op.operationId} (${op.service}.${op.method})`, () =>
      Effect.gen(function* () {
        const request = yield* sampleOf(op.operationId, endpoint.request!)
        const loose = withUndefined(request, SchemaAST.toType(endpoint.request!.ast))
        const [clean] = yield* sent(endpoint, request)
        const [withHoles] = yield* sent(endpoint, loose.value)
        assert.isDefined(clean, "the clean request is sent")
        assert.isDefined(withHoles, "the request with undefined fields is sent, not refused")
        assert.deepStrictEqual(wire(withHoles!), wire(clean!))
        covered++
        fieldsSetToUndefined += loose.added
      })
    )
  }

  it("covered every operation with an input, and a field of most of them", () => {
    const expected = operations.filter(
      (op) => endpoints[op.operationId]!.request !== undefined && op.kind !== "multipart"
    ).length
    assert.strictEqual(covered, expected)
    assert.isAbove(fieldsSetToUndefined, expected)
  })
})
