/**
 * Writes that are idempotent by nature (`idempotent: true` in `operations`, reviewed in
 * `src/generated/IDEMPOTENT_WRITES.md`) are retried like reads when their outcome is unknown:
 * a 502 on `incidents.ack` at 3 a.m. no longer fails the page. Other writes are still sent
 * once; a user can turn the retry off per client or per call.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import type { FlashdutyError } from "../../src/Errors.js"
import type { FlashdutyOptions } from "../../src/FlashdutyOptions.js"
import { Flashduty } from "../../src/generated/Flashduty.js"
import { operations } from "../../src/generated/operations.js"
import * as Retry from "../../src/Retry.js"
import { failureOf } from "../support/exits.js"
import { sdkLayer } from "./support/client.js"
import { envelope, rawServer } from "./support/rawServer.js"

const fastRetry = Retry.backoff({ base: "1 millis", jitter: "none", maxRetries: 3 })

/** A gateway that fails the first answer with a 502 page, then lets the API answer. */
const flaky = () =>
  rawServer((_request, response, hit) => {
    if (hit === 1) {
      response.writeHead(502, { "content-type": "text/html" })
      response.end("<html><body>502 Bad Gateway</body></html>")
      return
    }
    response.writeHead(200, { "content-type": "application/json" })
    response.end(envelope({ incident_id: "inc_1" }))
  })

const run = <A>(
  url: string,
  call: (fd: Flashduty["Service"]) => Effect.Effect<A, FlashdutyError>,
  options: Partial<FlashdutyOptions> = {}
) =>
  Effect.flatMap(Flashduty, call).pipe(
    Effect.provide(sdkLayer(url, { retry: fastRetry, ...options })),
    Effect.exit
  )

describe("idempotent writes", () => {
  it("incidents.ack is marked idempotent; incidents.create is not", () => {
    const byId = (id: string) => operations.find((op) => op.operationId === id)
    assert.strictEqual(byId("incidentAck")?.idempotent, true)
    assert.strictEqual(byId("incidentCreate")?.idempotent, undefined)
  })

  it.live("a 502 on incidents.ack is retried and the acknowledgement succeeds", () =>
    Effect.gen(function* () {
      const server = yield* flaky()
      const exit = yield* run(server.url, (fd) => fd.incidents.ack({ incident_ids: ["inc_1"] }))
      assert.isTrue(Exit.isSuccess(exit), String(exit))
      assert.strictEqual(server.hits(), 2)
    }).pipe(Effect.scoped)
  )

  it.live("a write that is not idempotent (incidents.create) is still sent once", () =>
    Effect.gen(function* () {
      const server = yield* flaky()
      const exit = yield* run(server.url, (fd) =>
        fd.incidents.create({ title: "t", incident_severity: "Critical" })
      )
      assert.strictEqual(failureOf(exit)._tag, "GatewayError")
      assert.strictEqual(server.hits(), 1)
    }).pipe(Effect.scoped)
  )

  it.live("retryIdempotentWrites: false, per client or per call, sends the write once", () =>
    Effect.gen(function* () {
      const client = yield* flaky()
      const off = yield* run(client.url, (fd) => fd.incidents.ack({ incident_ids: ["inc_1"] }), {
        retryIdempotentWrites: false
      })
      assert.strictEqual(failureOf(off)._tag, "GatewayError")
      assert.strictEqual(client.hits(), 1)
      const call = yield* flaky()
      const offPerCall = yield* run(call.url, (fd) =>
        fd.incidents.ack({ incident_ids: ["inc_1"] }, { retryIdempotentWrites: false })
      )
      assert.strictEqual(failureOf(offPerCall)._tag, "GatewayError")
      assert.strictEqual(call.hits(), 1)
    }).pipe(Effect.scoped)
  )

  it.live("retryIdempotentWrites must be a boolean", () =>
    Effect.gen(function* () {
      const server = yield* flaky()
      const exit = yield* run(server.url, (fd) =>
        fd.incidents.ack({ incident_ids: ["inc_1"] }, { retryIdempotentWrites: "yes" as never })
      )
      const error = failureOf(exit)
      assert.strictEqual(error._tag, "InvalidParameter")
      assert.strictEqual((error as { path?: string }).path, "options.retryIdempotentWrites")
      assert.strictEqual(server.hits(), 0)
    }).pipe(Effect.scoped)
  )
})
