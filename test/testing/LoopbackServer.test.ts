import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { Fault } from "../../src/testing/Fault.js"
import { FlashdutyStandIn } from "../../src/testing/FlashdutyStandIn.js"
import { KEY } from "./callStandIn.js"
import { tinySpec } from "./tinySpec.js"

const post = (url: string, body: unknown) =>
  Effect.promise(() =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body)
    })
  )

describe("FlashdutyStandIn on loopback", () => {
  it.live("serves the same engine over a real socket on 127.0.0.1", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { url, port, control } = yield* FlashdutyStandIn.serveFromSpec(tinySpec, { port: 0 })
        assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
        assert.isAbove(port, 0)
        const ok = yield* post(`${url}/team/list?app_key=${KEY}`, {})
        assert.strictEqual(ok.status, 200)
        const body = (yield* Effect.promise(() => ok.json())) as {
          request_id: string
          data: { total: number }
        }
        assert.strictEqual(body.data.total, 1)
        assert.strictEqual(ok.headers.get("flashcat-request-id"), body.request_id)
        const unauthorized = yield* post(`${url}/team/list`, {})
        assert.strictEqual(unauthorized.status, 401)
        const log = yield* control.requests
        assert.strictEqual(log.length, 2)
      })
    )
  )

  it.live("a dropped connection makes fetch fail; a truncated body fails while reading", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { url, control } = yield* FlashdutyStandIn.serveFromSpec(tinySpec)
        yield* control.addFault({ operationId: "teamList", times: 1, fault: Fault.dropConnection })
        const dropped = yield* Effect.promise(() =>
          fetch(`${url}/team/list?app_key=${KEY}`, { method: "POST", body: "{}" }).then(
            () => "answered",
            () => "failed"
          )
        )
        assert.strictEqual(dropped, "failed")
        yield* control.addFault({ operationId: "memberInfo", times: 1, fault: Fault.truncatedBody(5) })
        const response = yield* post(`${url}/member/info?app_key=${KEY}`, {})
        assert.strictEqual(response.status, 200)
        const read = yield* Effect.promise(() =>
          response.text().then(
            () => "complete",
            () => "cut"
          )
        )
        assert.strictEqual(read, "cut")
        // The server keeps serving after cutting connections.
        assert.strictEqual((yield* post(`${url}/team/list?app_key=${KEY}`, {})).status, 200)
      })
    )
  )

  it.live("streams a large export with backpressure", () =>
    Effect.gen(function* () {
      const bytes = yield* Effect.scoped(
        Effect.gen(function* () {
          const { url } = yield* FlashdutyStandIn.serveFromSpec(tinySpec, {
            transcript: { bytes: 32 * 1024 * 1024, lineBytes: 2000 }
          })
          const response = yield* post(`${url}/safari/session/export?app_key=${KEY}`, { session_id: "s" })
          assert.strictEqual(response.headers.get("content-type"), "application/x-ndjson")
          const reader = response.body!.getReader()
          let total = 0
          let newlines = 0
          for (;;) {
            const { done, value } = yield* Effect.promise(() => reader.read())
            if (done) break
            total += value.byteLength
            for (const b of value) if (b === 10) newlines++
          }
          assert.isAbove(newlines, 16_000)
          return total
        })
      )
      assert.isAtLeast(bytes, 32 * 1024 * 1024)
    })
  )

  it.live("closing the scope ends an export that is still streaming", () =>
    Effect.gen(function* () {
      const outcome = yield* Effect.scoped(
        Effect.gen(function* () {
          const { url } = yield* FlashdutyStandIn.serveFromSpec(tinySpec, {
            transcript: { bytes: 1024 ** 4 }
          })
          const response = yield* post(`${url}/safari/session/export?app_key=${KEY}`, { session_id: "s" })
          return response.body!.getReader()
        })
      ).pipe(
        Effect.flatMap((reader) =>
          Effect.promise(async () => {
            try {
              for (;;) if ((await reader.read()).done) return "ended"
            } catch {
              return "cut"
            }
          })
        )
      )
      assert.strictEqual(outcome, "cut")
    })
  )
})
