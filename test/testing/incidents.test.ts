import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import { TestClock } from "effect/testing"
import { FlashdutyTest } from "../../src/testing/FlashdutyTest.js"
import type { StandInOptions } from "../../src/testing/StandInEngine.js"
import { call } from "./callStandIn.js"
import { tinySpec } from "./tinySpec.js"

const standIn = (options: StandInOptions = {}) => FlashdutyTest.layerFromSpec(tinySpec, options)

const list = (body: Record<string, unknown>) =>
  Effect.map(call("/incident/list", body), (res) => res.json().data)

describe("stand-in incidents", () => {
  it.effect("creates, shows, acknowledges, resolves and lists an incident", () =>
    Effect.gen(function* () {
      const created = (yield* call("/incident/create", {
        incident_severity: "Critical",
        title: "Database connection timeout on prod-db-01",
        channel_id: 2551105804131,
        assigned_to: { person_ids: [2476444212131] }
      })).json().data
      assert.match(created.incident_id, /^[0-9a-f]{24}$/)
      assert.strictEqual(created.title, "Database connection timeout on prod-db-01")

      const info = (yield* call("/incident/info", { incident_id: created.incident_id })).json().data
      assert.strictEqual(info.progress, "Triggered")
      assert.strictEqual(info.channel_name, "Ops Channel")
      assert.strictEqual(info.num, created.incident_id.slice(-6).toUpperCase())
      const byNum = (yield* call("/incident/info", { num: info.num })).json().data
      assert.strictEqual(byNum.incident_id, created.incident_id)

      assert.strictEqual((yield* call("/incident/ack", { incident_ids: [created.incident_id] })).status, 200)
      const acked = (yield* call("/incident/info", { incident_id: created.incident_id })).json().data
      assert.strictEqual(acked.progress, "Processing")

      const processing = yield* list({ progress: "Processing", incident_ids: [created.incident_id] })
      assert.strictEqual(processing.total, 1)

      yield* TestClock.adjust("1 hour")
      yield* call("/incident/resolve", { incident_ids: [created.incident_id], root_cause: "pool too small" })
      const closed = (yield* call("/incident/info", { incident_id: created.incident_id })).json().data
      assert.strictEqual(closed.progress, "Closed")
      assert.strictEqual(closed.root_cause, "pool too small")
      assert.strictEqual(closed.close_time, 3600)

      const test = yield* FlashdutyTest
      const state = yield* test.incidents
      assert.strictEqual(state.find((i) => i.incident_id === created.incident_id)?.progress, "Closed")
    }).pipe(Effect.provide(standIn({ incidents: { count: 3 } })))
  )

  it.effect("answers ResourceNotFound with HTTP 400 for an unknown incident", () =>
    Effect.gen(function* () {
      const info = yield* call("/incident/info", { incident_id: "aaaaaaaaaaaaaaaaaaaaaaaa" })
      assert.strictEqual(info.status, 400)
      assert.strictEqual(info.json().error.code, "ResourceNotFound")
      const ack = yield* call("/incident/ack", { incident_ids: ["aaaaaaaaaaaaaaaaaaaaaaaa"] })
      assert.strictEqual(ack.json().error.code, "ResourceNotFound")
    }).pipe(Effect.provide(standIn()))
  )

  it.effect("pages with p/limit over the generated incidents, newest first", () =>
    Effect.gen(function* () {
      const first = yield* list({ p: 1, limit: 20 })
      assert.strictEqual(first.total, 45)
      assert.strictEqual(first.items.length, 20)
      assert.isTrue(first.has_next_page)
      const third = yield* list({ p: 3, limit: 20 })
      assert.strictEqual(third.items.length, 5)
      assert.isFalse(third.has_next_page)
      const starts = first.items.map((i: { start_time: number }) => i.start_time)
      assert.deepStrictEqual(
        starts,
        [...starts].sort((a, b) => b - a)
      )
    }).pipe(Effect.provide(standIn({ incidents: { count: 45 } })))
  )

  it.effect("walks every incident exactly once with the search_after_ctx cursor", () =>
    Effect.gen(function* () {
      const seen: Array<string> = []
      let cursor: string | undefined
      for (let page = 0; page < 20; page++) {
        const data = yield* list({ limit: 7, ...(cursor === undefined ? {} : { search_after_ctx: cursor }) })
        seen.push(...data.items.map((i: { incident_id: string }) => i.incident_id))
        if (!data.has_next_page) break
        cursor = data.search_after_ctx
      }
      assert.strictEqual(seen.length, 45)
      assert.strictEqual(new Set(seen).size, 45)
    }).pipe(Effect.provide(standIn({ incidents: { count: 45 } })))
  )

  it.effect("filters by progress and severity, and the same seed generates the same incidents", () =>
    Effect.gen(function* () {
      const triggered = yield* list({ progress: "Triggered", limit: 100 })
      assert.isAbove(triggered.total, 0)
      assert.isTrue(triggered.items.every((i: { progress: string }) => i.progress === "Triggered"))
      const critical = yield* list({ incident_severity: "Critical,Warning", limit: 100 })
      assert.isTrue(
        critical.items.every((i: { incident_severity: string }) => i.incident_severity !== "Info")
      )
      const all = yield* list({ limit: 100 })
      assert.strictEqual(all.total, 60)
      const again = yield* list({ limit: 100 }).pipe(Effect.provide(standIn({ incidents: { count: 60 } })))
      assert.deepStrictEqual(
        again.items.map((i: { incident_id: string }) => i.incident_id),
        all.items.map((i: { incident_id: string }) => i.incident_id)
      )
    }).pipe(Effect.provide(standIn({ incidents: { count: 60 } })))
  )

  it.effect("accepts a multipart incident create with the JSON request in `data`", () =>
    Effect.gen(function* () {
      const client = yield* HttpClient.HttpClient
      const form = new FormData()
      form.set("data", JSON.stringify({ incident_severity: "Warning", title: "with image" }))
      form.set("images", new Blob([new Uint8Array([1, 2, 3])]), "shot.png")
      const response = yield* client.execute(
        HttpClientRequest.post("https://x/incident/create?app_key=standin-app-key").pipe(
          HttpClientRequest.bodyFormData(form)
        )
      )
      const body = (yield* response.json) as { data: { title: string } }
      assert.strictEqual(body.data.title, "with image")
      const test = yield* FlashdutyTest
      const logged = (yield* test.requests)[0]!.body as Record<string, unknown>
      assert.strictEqual(logged.images, "shot.png")
    }).pipe(Effect.provide(standIn({ incidents: { count: 0 } })))
  )
})
