/**
 * The payloads: every example Flashduty documents decodes, with the right units (`event_time` in
 * milliseconds, the incident's and alert's times in seconds), and so do Go-style variations of
 * them: `null` maps and lists, `null` objects, any field dropped, enum values this SDK does not
 * know, extra fields. An unknown event type is an `unknown` event keeping the object; a body that
 * is not an object, or a known event with a field of the wrong type, is refused.
 */
import { existsSync, readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import * as Webhooks from "../../src/webhooks/Webhooks.js"
import { type FixtureName, fixture, fixtureNames } from "./support.js"

const decode = Schema.decodeUnknownSync(Webhooks.WebhookEvent)
const decodeResult = (json: unknown) => {
  try {
    return { ok: true as const, value: decode(json) }
  } catch (error) {
    return { ok: false as const, error: String(error) }
  }
}

const reference = new URL("../../../shared/reference/webhooks/", import.meta.url)
const documented: Record<FixtureName, string> = {
  "incident-i_new": "incident-webhook.mdx",
  "alert-a_merge": "alert-webhook.mdx",
  "custom-action-i_custom": "custom-actions.mdx"
}

/** Every path to a value inside `value` (objects and arrays), parents first. */
const paths = (
  value: unknown,
  prefix: ReadonlyArray<string | number> = []
): Array<Array<string | number>> => {
  if (typeof value !== "object" || value === null) return []
  const out: Array<Array<string | number>> = []
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key]
    out.push(path, ...paths(child, path))
  }
  return out
}

/** A deep copy of `json` with `change` applied to the value at `path` (its parent and key). */
const mutate = (
  json: unknown,
  path: ReadonlyArray<string | number>,
  change: (parent: any, key: string | number) => void
): any => {
  const copy = structuredClone(json) as any
  let parent = copy
  for (const key of path.slice(0, -1)) parent = parent[key]
  change(parent, path.at(-1)!)
  return copy
}

const valueAt = (json: unknown, path: ReadonlyArray<string | number>): unknown =>
  path.reduce<any>((value, key) => value?.[key], json)

describe("Webhooks.WebhookEvent: the documented examples", () => {
  for (const name of fixtureNames) {
    it(`${name} is the example of ${documented[name]}`, () => {
      const page = new URL(documented[name], reference)
      if (!existsSync(page)) return // the reference pages live beside the repository, not in it
      const match = /-d '([\s\S]*?)' -v/.exec(readFileSync(page, "utf8"))
      assert.isDefined(match?.[1])
      assert.deepStrictEqual(fixture(name), JSON.parse(match![1]!))
    })
  }

  it("the incident example (i_new) decodes: times in the right units, people, responders, labels", () => {
    const event = decode(fixture("incident-i_new"))
    assert.strictEqual(event.event_type, "i_new")
    if (event.event_type !== "i_new") return
    assert.strictEqual(event.event_id, "fac0599a2a25529ba2362c0c184b6cfb")
    assert.strictEqual(event.event_time.unit, "millis")
    assert.strictEqual(String(event.event_time), "2023-07-14T11:44:46.948Z")
    const { incident } = event
    assert.strictEqual(incident.incident_id, "64b1352e376e32c85c56e25b")
    assert.strictEqual(incident.incident_severity, "Critical")
    assert.strictEqual(incident.progress, "Triggered")
    assert.strictEqual(incident.start_time?.unit, "seconds")
    assert.strictEqual(String(incident.start_time), "2023-07-14T11:44:46.000Z")
    assert.strictEqual(String(incident.created_at), "2023-07-14T11:44:46.000Z")
    assert.isTrue(incident.ack_time?.isUnset)
    assert.isTrue(incident.close_time?.isUnset)
    assert.deepStrictEqual(incident.labels, { check: "cpu idle low" })
    assert.strictEqual(incident.creator?.person_name, "TouTie")
    assert.strictEqual(incident.responders[0]?.email, "toutie@flashcat.cloud")
    assert.isTrue(incident.responders[0]?.acknowledged_at?.isUnset)
    assert.deepStrictEqual(incident.responder_ids, [1552048792504])
    assert.strictEqual(incident.assigned_to?.escalate_rule_name, "Default Escalation")
    assert.deepStrictEqual(incident.assigned_to?.person_ids, [])
    assert.deepStrictEqual(incident.alerts, [])
    assert.strictEqual(event.person?.email, "toutie@flashcat.cloud")
    assert.strictEqual(Webhooks.eventKey(event), "fac0599a2a25529ba2362c0c184b6cfb")
    assert.deepStrictEqual(Webhooks.subjectOf(event), { kind: "incident", id: "64b1352e376e32c85c56e25b" })
  })

  it("the alert example (a_merge) decodes: the alert, its labels, its incident", () => {
    const event = decode(fixture("alert-a_merge"))
    assert.strictEqual(event.event_type, "a_merge")
    if (event.event_type !== "a_merge") return
    assert.strictEqual(String(event.event_time), "2023-05-12T11:24:41.639Z")
    const { alert } = event
    assert.strictEqual(alert.alert_id, "645c3affd2b92d989a0bd824")
    assert.strictEqual(alert.alert_status, "Warning")
    assert.strictEqual(alert.data_source_type, "aliyun-sls.alert")
    assert.strictEqual(String(alert.last_time), "2023-05-11T12:45:53.000Z")
    assert.strictEqual(alert.labels.raw_condition, "Count:__count__ > 0; Condition:")
    assert.strictEqual(alert.incident?.incident_id, "645db17c9759374196929314")
    assert.strictEqual(alert.event_cnt, 1)
    assert.deepStrictEqual(Webhooks.subjectOf(event), { kind: "alert", id: "645c3affd2b92d989a0bd824" })
  })

  it("the custom action example (i_custom) decodes: its event_id, inside the incident there, is lifted up", () => {
    const json = fixture("custom-action-i_custom")
    assert.isUndefined(json.event_id)
    const event = decode(json)
    assert.strictEqual(event.event_type, "i_custom")
    if (event.event_type !== "i_custom") return
    assert.strictEqual(event.event_id, "fac0599a2a25529ba2362c0c184b6cfb")
    assert.strictEqual(String(event.event_time), "2023-11-17T08:00:13.988Z")
    assert.strictEqual(event.incident.alerts.length, 1)
    assert.strictEqual(event.incident.alerts[0]?.alert_key, "asdflasdfl2xzasd112621")
    assert.deepStrictEqual(event.incident.fields, {
      impacted_services: ["passport", "order"],
      priority: "P3"
    })
    assert.strictEqual(event.incident.group_method, "p")
  })

  it("each variant's own schema decodes its example", () => {
    assert.strictEqual(
      Schema.decodeUnknownSync(Webhooks.IncidentEvent)(fixture("incident-i_new")).event_type,
      "i_new"
    )
    assert.strictEqual(
      Schema.decodeUnknownSync(Webhooks.AlertEvent)(fixture("alert-a_merge")).event_type,
      "a_merge"
    )
    assert.strictEqual(
      Schema.decodeUnknownSync(Webhooks.CustomActionEvent)(fixture("custom-action-i_custom")).event_type,
      "i_custom"
    )
  })
})

describe("Webhooks.WebhookEvent: Go-style variations of the examples decode", () => {
  for (const name of fixtureNames) {
    const json = fixture(name)
    const all = paths(json).filter((path) => path[0] !== "event_type")
    /** Inside a map (`labels`, `fields`: user data, not the payload's own fields). */
    const inMap = (path: ReadonlyArray<string | number>) =>
      path.slice(0, -1).some((key) => key === "labels" || key === "fields")
    /** The payload's own fields: object keys, not list items. */
    const fields = all.filter((path) => typeof path.at(-1) === "string")

    it(`${name}: every field dropped, one at a time (${fields.length} variations)`, () => {
      for (const path of fields) {
        const result = decodeResult(mutate(json, path, (parent, key) => delete parent[key]))
        assert.isTrue(result.ok, `dropping ${path.join(".")}: ${result.ok ? "" : result.error}`)
      }
    })

    it(`${name}: every map, list and object null, one at a time`, () => {
      const containers = fields.filter((path) => {
        const value = valueAt(json, path)
        // Items of a list stay (Go never sends a nil item in a slice of structs); a custom
        // field's value is any JSON, `null` included, kept as it is.
        return typeof value === "object" && value !== null && !inMap(path)
      })
      assert.isAbove(containers.length, 2)
      for (const path of containers) {
        const result = decodeResult(mutate(json, path, (parent, key) => (parent[key] = null)))
        assert.isTrue(result.ok, `null at ${path.join(".")}: ${result.ok ? "" : result.error}`)
        const value = result.ok ? (valueAt(result.value, path) as unknown) : undefined
        const was = valueAt(json, path)
        if (path.length === 1 && (path[0] === "incident" || path[0] === "alert")) {
          assert.isObject(value, `${path.join(".")}: the event's own subject decodes as an empty object`)
        } else if (Array.isArray(was)) assert.deepStrictEqual(value, [], `${path.join(".")}: null list → []`)
        else if (path.at(-1) === "labels" || path.at(-1) === "fields")
          assert.deepStrictEqual(value, {}, `${path.join(".")}: null map → {}`)
        else assert.isUndefined(value, `${path.join(".")}: null object → absent`)
      }
    })

    it(`${name}: extra fields anywhere are dropped`, () => {
      const isObject = (path: ReadonlyArray<string | number>) => {
        const value = valueAt(json, path)
        return typeof value === "object" && value !== null && !Array.isArray(value)
      }
      const objects = [
        [],
        ...all.filter(
          (path) =>
            isObject(path) && !inMap([...path, "x"]) && path.at(-1) !== "labels" && path.at(-1) !== "fields"
        )
      ] as Array<Array<string | number>>
      for (const path of objects) {
        const changed =
          path.length === 0
            ? { ...structuredClone(json), new_top_level_field: { nested: [1, 2] } }
            : mutate(json, [...path, "new_field_2030"], (parent, key) => (parent[key] = { any: "thing" }))
        const result = decodeResult(changed)
        assert.isTrue(result.ok, `extra field in ${path.join(".")}: ${result.ok ? "" : result.error}`)
        assert.notInclude(JSON.stringify(result.ok ? result.value : {}), "new_field_2030")
        assert.notInclude(JSON.stringify(result.ok ? result.value : {}), "new_top_level_field")
      }
    })
  }

  it("enum values this SDK does not know decode as their strings", () => {
    const json = fixture("incident-i_new")
    json.incident.incident_severity = "Catastrophic"
    json.incident.incident_status = "Degraded"
    json.incident.progress = "Archived"
    json.incident.group_method = "x"
    json.incident.assigned_to.type = "delegate"
    const event = decode(json)
    if (event.event_type !== "i_new") return assert.fail("not an i_new")
    assert.strictEqual(event.incident.incident_severity, "Catastrophic")
    assert.strictEqual(event.incident.incident_status, "Degraded")
    assert.strictEqual(event.incident.progress, "Archived")
    assert.strictEqual(event.incident.group_method, "x")
    assert.strictEqual(event.incident.assigned_to?.type, "delegate")

    const alert = fixture("alert-a_merge")
    alert.alert.alert_severity = ""
    alert.alert.progress = "Suppressed"
    const decoded = decode(alert)
    if (decoded.event_type !== "a_merge") return assert.fail("not an a_merge")
    assert.strictEqual(decoded.alert.alert_severity, "")
    assert.strictEqual(decoded.alert.progress, "Suppressed")
  })

  it("a field the tables mark required, dropped or null, decodes to Go's zero value; an optional one stays absent", () => {
    const json = fixture("incident-i_new")
    delete json.event_id
    json.event_time = null
    delete json.incident.incident_id
    json.incident.title = null
    delete json.incident.start_time
    delete json.incident.progress
    delete json.incident.description
    json.person = { person_id: 7 }
    const event = decode(json)
    if (event.event_type !== "i_new") return assert.fail("not an i_new")
    assert.strictEqual(event.event_id, "")
    assert.isTrue(event.event_time.isUnset)
    assert.strictEqual(event.incident.incident_id, "")
    assert.strictEqual(event.incident.title, "")
    assert.isTrue(event.incident.start_time.isUnset)
    assert.strictEqual(event.incident.progress, "")
    assert.isFalse("description" in event.incident, "optional: absent")
    assert.deepStrictEqual(event.person, { person_id: 7, person_name: "", email: "" })

    const alert = fixture("alert-a_merge")
    alert.alert = null
    const decoded = decode(alert)
    if (decoded.event_type !== "a_merge") return assert.fail("not an a_merge")
    assert.strictEqual(decoded.alert.alert_id, "")
    assert.isTrue(decoded.alert.last_time.isUnset)
    assert.deepStrictEqual(decoded.alert.labels, {})
    assert.isUndefined(decoded.alert.incident)
  })

  it("Go's zero values: 0 times are unset, empty strings stay", () => {
    const json = fixture("incident-i_new")
    json.event_time = 0
    json.incident.start_time = 0
    json.incident.title = ""
    const event = decode(json)
    if (event.event_type !== "i_new") return assert.fail("not an i_new")
    assert.isTrue(event.event_time.isUnset)
    assert.isTrue(event.incident.start_time?.isUnset)
    assert.strictEqual(event.incident.title, "")
    // No event_id and no time: nothing to deduplicate by.
    delete json.event_id
    assert.isUndefined(Webhooks.eventKey(decode(json)))
  })

  it("without an event_id, the key is made of the type, the subject and the time, which a retry repeats", () => {
    const json = fixture("incident-i_new")
    delete json.event_id
    const key = Webhooks.eventKey(decode(json))
    assert.strictEqual(key, "i_new:64b1352e376e32c85c56e25b:1689335086948")
    assert.strictEqual(Webhooks.eventKey(decode(structuredClone(json))), key)
  })
})

describe("Webhooks.WebhookEvent: unknown and invalid payloads", () => {
  it("an event type from the future is an unknown event keeping the whole object", () => {
    const json = { ...fixture("incident-i_new"), event_type: "i_postmortem_published", extra: { a: 1 } }
    const event = decode(json)
    assert.strictEqual(event.event_type, "unknown")
    if (event.event_type !== "unknown") return
    assert.deepStrictEqual(event.raw, json)
    assert.strictEqual(Webhooks.eventKey(event), "fac0599a2a25529ba2362c0c184b6cfb")
    assert.deepStrictEqual(Webhooks.subjectOf(event), { kind: "incident", id: "64b1352e376e32c85c56e25b" })
    assert.strictEqual(Webhooks.eventTimeOf(event), 1689335086948)
  })

  it("no event_type, or one that is not a string, is unknown too; encoding an unknown event round-trips", () => {
    for (const json of [{ hello: "world" }, { event_type: 7 }, { event_type: null }, {}]) {
      const event = decode(json)
      assert.deepStrictEqual(event, { event_type: "unknown", raw: json })
      assert.deepStrictEqual(decode(Schema.encodeSync(Webhooks.WebhookEvent)(event)), event)
    }
  })

  it("a body that is not an object fails", () => {
    for (const json of [null, [], [fixture("incident-i_new")], "i_new", 42, true]) {
      assert.isFalse(decodeResult(json).ok, JSON.stringify(json))
    }
  })

  it("a known event with a field of the wrong type fails, naming the field", () => {
    const json = fixture("incident-i_new")
    json.incident.title = 42
    const result = decodeResult(json)
    assert.isFalse(result.ok)
    assert.include(result.ok ? "" : result.error, '["incident"]["title"]')
    const alert = fixture("alert-a_merge")
    alert.alert = "not an object"
    assert.isFalse(decodeResult(alert).ok)
  })

  it("the type lists are the documented ones", () => {
    assert.strictEqual(Webhooks.incidentEventTypes.length, 19)
    assert.deepStrictEqual([...Webhooks.alertEventTypes], ["a_new", "a_update", "a_merge", "a_close"])
    assert.strictEqual(Webhooks.eventTypes.length, 24)
    assert.isTrue(Webhooks.isKnownEventType("i_custom"))
    assert.isFalse(Webhooks.isKnownEventType("unknown"))
  })
})
