import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { HttpBody } from "effect/http"
import * as Retry from "../../src/Retry.js"
import { incidentAck, incidentList } from "./endpoints.js"
import { apiError, text } from "./fakeHttp.js"
import { withClient } from "./harness.js"

describe("send (non-JSON operations)", () => {
  it.effect("returns the raw 2xx response with the same credentials and headers", () =>
    withClient(
      () => text(`{"a":1}\n{"b":2}\n`, 200, { "content-type": "application/x-ndjson" }),
      (client, http) =>
        Effect.gen(function* () {
          const response = yield* client.send(incidentList, { start_time: 1, end_time: new Date(2000) })
          assert.strictEqual(yield* response.text, `{"a":1}\n{"b":2}\n`)
          assert.deepStrictEqual(JSON.parse(http.requests[0]!.body), { start_time: 1, end_time: 2 })
          assert.isTrue(http.requests[0]!.url.searchParams.has("app_key"))
        }).pipe(Effect.scoped)
    )
  )

  it.effect("an HttpBody input is sent as is (multipart)", () =>
    withClient(
      () => text("{}", 200),
      (client, http) =>
        Effect.gen(function* () {
          const form = new FormData()
          form.append("file", new Blob(["hello"]), "skill.zip")
          yield* client.send(incidentAck, HttpBody.formData(form))
          assert.strictEqual(http.requests[0]!.raw.body._tag, "FormData")
        }).pipe(Effect.scoped)
    )
  )

  it.effect("non-2xx answers fail with the same mapping as call, and reads retry", () =>
    withClient(
      (request) =>
        request.index === 1
          ? apiError("InternalError", "boom", 500)
          : apiError("ResourceNotFound", "gone", 400),
      (client, http) =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(client.send(incidentList, { start_time: 1, end_time: 2 }))
          assert.strictEqual(error._tag, "NotFound")
          assert.strictEqual(http.requests.length, 2)
        }).pipe(Effect.scoped),
      { retry: Retry.backoff({ base: 0, jitter: "none" }) }
    )
  )

  it.effect("invalid input fails with InvalidParameter before sending", () =>
    withClient(
      () => text("{}", 200),
      (client, http) =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(client.send(incidentAck, { incident_ids: 5 } as never))
          assert.strictEqual(error._tag, "InvalidParameter")
          assert.strictEqual(http.requests.length, 0)
        }).pipe(Effect.scoped)
    )
  )
})
