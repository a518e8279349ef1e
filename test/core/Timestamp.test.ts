import { assert, describe, it } from "@effect/vitest"
import { DateTime, Exit, Schema } from "effect"
import {
  TimeInput,
  TimeInputMillis,
  Timestamp,
  TimestampMillis,
  TimestampValue
} from "../../src/Timestamp.js"

const decode = Schema.decodeUnknownSync(Timestamp)
const decodeMillis = Schema.decodeUnknownSync(TimestampMillis)

describe("Timestamp (response, seconds)", () => {
  it("decodes the wire number, prints RFC3339, keeps the epoch", () => {
    const t = decode(1712000000)
    assert.strictEqual(String(t), "2024-04-01T19:33:20.000Z")
    assert.strictEqual(t.epoch, 1712000000)
    assert.strictEqual(t.unit, "seconds")
    assert.strictEqual(t.toDate()?.getTime(), 1712000000000)
    assert.strictEqual(DateTime.toEpochMillis(t.toDateTime()!), 1712000000000)
    assert.strictEqual(JSON.stringify({ at: t }), `{"at":"2024-04-01T19:33:20.000Z"}`)
    assert.isFalse(t.isUnset)
  })

  it("0 and null are unset, distinct from any date, and round-trip exactly", () => {
    for (const wire of [0, null]) {
      const t = decode(wire)
      assert.isTrue(t.isUnset)
      assert.isUndefined(t.toDate())
      assert.strictEqual(String(t), "unset")
      assert.strictEqual(JSON.stringify(t), "0")
      assert.strictEqual(Schema.encodeSync(Timestamp)(t), wire)
    }
    assert.isFalse(decode(1).isUnset, "1970-01-01T00:00:01Z is a date, not unset")
  })

  it("encoding gives back the exact wire value", () => {
    for (const wire of [1712000000, 1712000000.5, "2024-04-01T19:33:20Z", "1712000000"]) {
      assert.strictEqual(Schema.encodeSync(Timestamp)(decode(wire)), wire)
    }
  })

  it("accepts an RFC3339 string and a numeric string", () => {
    assert.strictEqual(decode("2024-04-01T19:33:20Z").epoch, 1712000000)
    assert.strictEqual(decode("2024-04-01T21:33:20+02:00").epoch, 1712000000)
    assert.strictEqual(decode("1712000000").epoch, 1712000000)
    assert.isTrue(decode("").isUnset)
  })

  it("rejects what is not a time", () => {
    for (const bad of ["yesterday", {}, true, Number.NaN]) {
      assert.isTrue(Exit.isFailure(Schema.decodeUnknownExit(Timestamp)(bad)), String(bad))
    }
  })

  it("decodes inside a struct with optional fields", () => {
    const S = Schema.Struct({ created_at: Timestamp, closed_at: Schema.optionalKey(Timestamp) })
    const value = Schema.decodeUnknownSync(S)({ created_at: 1712000000, closed_at: 0 })
    assert.isTrue(value.closed_at?.isUnset)
    assert.deepStrictEqual(Schema.encodeSync(S)(value), { created_at: 1712000000, closed_at: 0 })
  })
})

describe("TimestampMillis (response, milliseconds)", () => {
  it("knows its unit", () => {
    const t = decodeMillis(1712000000123)
    assert.strictEqual(String(t), "2024-04-01T19:33:20.123Z")
    assert.strictEqual(t.unit, "millis")
    assert.strictEqual(decodeMillis("2024-04-01T19:33:20.123Z").epoch, 1712000000123)
    assert.strictEqual(Schema.encodeSync(TimestampMillis)(t), 1712000000123)
  })

  it("the value class can be built directly", () => {
    assert.strictEqual(String(TimestampValue.fromEpoch(1712000000123, "millis")), "2024-04-01T19:33:20.123Z")
    assert.isTrue(TimestampValue.unset("seconds").isUnset)
  })
})

describe("TimeInput (request)", () => {
  it("a number passes unchanged", () => {
    assert.strictEqual(Schema.encodeSync(TimeInput)(1712000000), 1712000000)
    assert.strictEqual(Schema.encodeSync(TimeInputMillis)(1712000000123), 1712000000123)
  })

  it("a Date or DateTime becomes the field's unit (seconds floor the millis)", () => {
    const date = new Date("2024-04-01T19:33:20.999Z")
    assert.strictEqual(Schema.encodeSync(TimeInput)(date), 1712000000)
    assert.strictEqual(Schema.encodeSync(TimeInputMillis)(date), 1712000000999)
    const dt = DateTime.makeUnsafe("2024-04-01T19:33:20.500Z")
    assert.strictEqual(Schema.encodeSync(TimeInput)(dt), 1712000000)
    assert.strictEqual(Schema.encodeSync(TimeInputMillis)(dt), 1712000000500)
  })

  it("anything else fails validation", () => {
    for (const bad of ["2024-04-01", new Date("invalid"), null, Number.POSITIVE_INFINITY]) {
      assert.isTrue(Exit.isFailure(Schema.encodeUnknownExit(TimeInput)(bad)), String(bad))
    }
  })
})
