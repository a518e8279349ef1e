/**
 * Per-endpoint tests, one per operation, driven by the generated `operations` index and the
 * spec's own examples: the method called with the spec's request example sends the right
 * HTTP method, path (path parameters filled from the request), credentials (the client's app
 * key, or the per-call bearer token of an `auth` operation) and body/query, and the spec's 200
 * example decodes (with `meta.requestId` from the example). Operations delegated to hand-written
 * modules in `src/nonJsonOperations/` are tested there; here their 200 example decodes through
 * the endpoint's codec.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted, Schema } from "effect"
import type { ApiResponse } from "../../src/ApiResponse.js"
import type { FlashdutyError } from "../../src/Errors.js"
import { endpoints } from "../../src/generated/endpoints.js"
import { examples } from "../../src/generated/examples.js"
import { Flashduty } from "../../src/generated/Flashduty.js"
import { operations } from "../../src/generated/operations.js"
import { fakeHttp, json } from "../core/fakeHttp.js"

const appKey = "test-app-key"
/** Operations whose method comes from a hand-written module of `src/nonJsonOperations/`. */
const delegated = new Set([
  "session-read-export",
  "rum-session-replay-read-segments",
  "skill-write-upload",
  "mapping-data-write-upload"
])
/** The per-call token of operations with their own credentials (`auth`). */
const triggerToken = "test-trigger-token"

/** What the query string carries for a value (numbers and booleans as text). */
const queryOf = (request: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(request).map(([k, v]) => [k, String(v)]))

describe("every operation against its spec examples", () => {
  for (const op of operations) {
    const example = examples[op.operationId] ?? {}
    const envelope = example.response as { request_id?: string; data?: unknown } | undefined

    it.effect(`${op.service}.${op.method} (${op.operationId})`, () =>
      Effect.gen(function* () {
        const http = fakeHttp(() => json(envelope ?? { request_id: "no-example", data: null }))
        const layer = Flashduty.layer({ appKey: Redacted.make(appKey), retry: false, rateLimit: false }).pipe(
          Layer.provide(http.layer)
        )
        const fd = (yield* Effect.provide(
          Effect.gen(function* () {
            return yield* Flashduty
          }),
          layer
        )) as unknown as Record<string, Record<string, unknown>>
        const method = fd[op.service]![op.method] as (
          ...args: Array<unknown>
        ) => Effect.Effect<ApiResponse<unknown>, FlashdutyError>
        assert.isFunction(method)
        const args: Array<unknown> = example.request === undefined ? [] : [example.request]
        if (op.auth !== undefined) args.push(Redacted.make(triggerToken))
        if (delegated.has(op.operationId)) {
          // Their behaviour belongs to src/special (tested there); here: the 200 example decodes.
          if (envelope !== undefined) {
            const decoded = yield* Schema.decodeUnknownEffect(endpoints[op.operationId]!.response)(
              envelope.data
            )
            assert.isDefined(decoded)
          } else assert.strictEqual(op.kind, "ndjson") // only the NDJSON export has no JSON answer
          return
        }

        const result = yield* method(...args)
        assert.lengthOf(http.requests, 1)
        const seen = http.requests[0]!
        assert.strictEqual(seen.method, op.httpMethod)
        // Path parameters are filled from the request fields of the same name, and not sent again.
        let request = (example.request ?? {}) as Record<string, unknown>
        let path = op.path
        if (op.pathParams !== undefined) {
          request = { ...request }
          for (const name of op.pathParams) {
            path = path.replace(`{${name}}`, encodeURIComponent(String(request[name])))
            delete request[name]
          }
        }
        assert.strictEqual(seen.url.pathname, path)
        if (op.auth === undefined) {
          assert.strictEqual(seen.url.searchParams.get("app_key"), appKey)
        } else {
          assert.isFalse(seen.url.searchParams.has("app_key"), "never the client's app key")
          assert.strictEqual(seen.headers.authorization, `Bearer ${triggerToken}`)
        }
        if (op.httpMethod === "POST") {
          assert.deepStrictEqual(JSON.parse(seen.body), request)
        } else {
          const query = Object.fromEntries([...seen.url.searchParams].filter(([k]) => k !== "app_key"))
          assert.deepStrictEqual(query, queryOf(request))
        }
        assert.isDefined(envelope, "every JSON operation has a 200 example")
        if (envelope?.data !== null) assert.isDefined(result.data)
        assert.strictEqual(result.meta.requestId, envelope?.request_id)
      })
    )
  }
})
