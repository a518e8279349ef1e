import { inspect } from "node:util"
import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Equal, Exit, Hash, Schema } from "effect"
import { IncidentListResponse } from "../../src/generated/Incidents.js"
import { decoderOf } from "../../src/pipeline/schemaCodec.js"
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

// `Date`/`DateTime` represent ±8.64e15 ms (±8.64e12 s); beyond that a finite epoch still decodes,
// as an out-of-range value: raw epoch kept, not unset, printed as a marker, no instant.
const outOfRange: ReadonlyArray<readonly [typeof Timestamp, number, string]> = [
  [Timestamp, 1e20, "out-of-range(100000000000000000000 s)"],
  [Timestamp, -1e20, "out-of-range(-100000000000000000000 s)"],
  [Timestamp, 1e21, "out-of-range(1e+21 s)"],
  [Timestamp, Number.MAX_SAFE_INTEGER, "out-of-range(9007199254740991 s)"],
  [Timestamp, 8.64e12 + 1, "out-of-range(8640000000001 s)"],
  [Timestamp, -8.64e12 - 0.5, "out-of-range(-8640000000000.5 s)"],
  [TimestampMillis, Number.MAX_SAFE_INTEGER, "out-of-range(9007199254740991 ms)"],
  [TimestampMillis, 8.64e15 + 1, "out-of-range(8640000000000001 ms)"],
  [TimestampMillis, -1e20, "out-of-range(-100000000000000000000 ms)"]
]

// Odd but representable: each converts exactly as a `Date` of `epoch` in the unit would.
const representable: ReadonlyArray<readonly [typeof Timestamp, number, string]> = [
  [Timestamp, -62135596800, "0001-01-01T00:00:00.000Z"], // Go's zero time.Time as seconds
  [Timestamp, 1711929600000, "+056218-11-22T00:00:00.000Z"], // milliseconds sent as seconds
  [Timestamp, 8.64e12, "+275760-09-13T00:00:00.000Z"],
  [Timestamp, -8.64e12, "-271821-04-20T00:00:00.000Z"],
  [Timestamp, 1712000000.5, "2024-04-01T19:33:20.500Z"],
  [Timestamp, 0.0001, "1970-01-01T00:00:00.000Z"],
  [Timestamp, -1, "1969-12-31T23:59:59.000Z"],
  [TimestampMillis, 1712000000123.5, "2024-04-01T19:33:20.123Z"],
  [TimestampMillis, 8.64e15, "+275760-09-13T00:00:00.000Z"],
  [TimestampMillis, -8.64e15, "-271821-04-20T00:00:00.000Z"]
]

const compiledList = (input: unknown) =>
  Effect.runSyncExit(decoderOf(IncidentListResponse as Schema.Codec<unknown, unknown>)(input))

describe("Timestamp: epochs outside what Date can represent", () => {
  it("every finite epoch decodes, in either unit", () => {
    for (const [schema, wire] of [...outOfRange, ...representable]) {
      for (const s of [schema, Timestamp, TimestampMillis]) {
        assert.isTrue(Exit.isSuccess(Schema.decodeUnknownExit(s)(wire)), String(wire))
      }
    }
  })

  it("out of range: raw epoch kept, not unset, a marker printed, no instant, no throw", () => {
    for (const [schema, wire, printed] of outOfRange) {
      const t = Schema.decodeUnknownSync(schema)(wire)
      assert.strictEqual(t.epoch, wire)
      assert.isTrue(t.isOutOfRange, printed)
      assert.isFalse(t.isUnset, printed)
      assert.strictEqual(String(t), printed)
      assert.strictEqual(t.toString(), printed)
      assert.strictEqual(`${t}`, printed)
      assert.strictEqual(t.toJSON(), printed)
      assert.strictEqual(JSON.stringify({ at: t }), JSON.stringify({ at: printed }))
      assert.strictEqual(inspect(t), `Timestamp(${printed})`)
      assert.isUndefined(t.epochMillis)
      assert.isUndefined(t.toDate())
      assert.isUndefined(t.toDateTime())
    }
  })

  it("representable (large years, Go's zero time, fractions) converts exactly as before", () => {
    for (const [schema, wire, printed] of representable) {
      const t = Schema.decodeUnknownSync(schema)(wire)
      const date = new Date(t.unit === "seconds" ? wire * 1000 : wire)
      assert.isFalse(t.isOutOfRange, printed)
      assert.isFalse(t.isUnset, printed)
      assert.strictEqual(t.epoch, wire)
      assert.strictEqual(String(t), printed)
      assert.strictEqual(t.toJSON(), printed)
      assert.strictEqual(t.toDate()?.getTime(), date.getTime())
      assert.strictEqual(DateTime.toEpochMillis(t.toDateTime()!), date.getTime())
    }
  })

  it("unset is neither a date nor out of range", () => {
    for (const wire of [0, null, ""]) {
      const t = decode(wire)
      assert.isTrue(t.isUnset)
      assert.isFalse(t.isOutOfRange)
      assert.strictEqual(String(t), "unset")
    }
  })

  it("a numeric string is an epoch like a number: far out of range decodes, non-finite is refused", () => {
    const t = decode("100000000000000000000")
    assert.isTrue(t.isOutOfRange)
    assert.strictEqual(t.epoch, 1e20)
    assert.strictEqual(String(t), "out-of-range(100000000000000000000 s)")
    assert.strictEqual(Schema.encodeSync(Timestamp)(t), "100000000000000000000")
    // Parses to Infinity, like the number Infinity (which JSON gives for 1e400): not an epoch.
    assert.isTrue(Exit.isFailure(Schema.decodeUnknownExit(Timestamp)("9".repeat(400))))
  })

  it("encoding returns the raw wire value; equal epochs are Equal and hash alike", () => {
    for (const [schema, wire] of [...outOfRange, ...representable]) {
      const a = Schema.decodeUnknownSync(schema)(wire)
      const b = Schema.decodeUnknownSync(schema)(wire)
      assert.strictEqual(Schema.encodeSync(schema)(a), wire)
      assert.isTrue(Equal.equals(a, b), String(wire))
      assert.strictEqual(Hash.hash(a), Hash.hash(b))
      assert.isTrue(Equal.equals(a, TimestampValue.fromEpoch(wire, a.unit)))
    }
    assert.isFalse(Equal.equals(decode(1e20), decode(-1e20)))
    assert.isFalse(Equal.equals(decode(1e20), decodeMillis(1e20)))
  })

  it("String and JSON.stringify never throw, whatever the epoch", () => {
    const values = [
      ...[...outOfRange, ...representable].map(([schema, wire]) => Schema.decodeUnknownSync(schema)(wire)),
      TimestampValue.fromEpoch(Number.NaN, "seconds"),
      TimestampValue.fromEpoch(Number.POSITIVE_INFINITY, "millis"),
      TimestampValue.fromEpoch(Number.NEGATIVE_INFINITY, "seconds"),
      TimestampValue.fromEpoch(Number.MIN_VALUE, "seconds"),
      TimestampValue.fromEpoch(-Number.MAX_VALUE, "millis")
    ]
    for (const t of values) {
      assert.doesNotThrow(() => [String(t), JSON.stringify(t), inspect(t), t.toDate(), t.toDateTime()])
      assert.notStrictEqual(String(t), t.isUnset ? "" : "unset", String(t.epoch))
      if (t.toDate() === undefined) assert.isTrue(t.isOutOfRange || t.isUnset)
    }
    const nan = TimestampValue.fromEpoch(Number.NaN, "seconds")
    assert.isTrue(nan.isOutOfRange)
    assert.isFalse(nan.isUnset)
    assert.strictEqual(String(nan), "out-of-range(NaN s)")
  })

  it("one odd field fails neither a list of incidents nor its neighbours, compiled or not", () => {
    const incident = (times: Record<string, unknown>) => ({
      incident_id: "i",
      title: "t",
      integration_ids: [],
      integration_types: [],
      labels: {},
      fields: {},
      responders: [],
      ...times
    })
    const wire = {
      items: [
        incident({ start_time: 1712000000, end_time: 1e20, ack_time: -62135596800, close_time: 0 }),
        incident({ start_time: Number.MAX_SAFE_INTEGER, last_time: 1711929600000, created_at: -1e20 }),
        incident({ start_time: 1712000000.5, updated_at: "100000000000000000000", deleted_at: null })
      ],
      total: 3
    }
    const copy = structuredClone(wire)
    const decoders: ReadonlyArray<(input: unknown) => Exit.Exit<unknown, unknown>> = [
      Schema.decodeUnknownExit(IncidentListResponse),
      compiledList
    ]
    for (const decodeList of decoders) {
      const exit = decodeList(wire)
      assert.isTrue(Exit.isSuccess(exit), String(exit))
      const { items } = (exit as Exit.Success<IncidentListResponse>).value
      const [first, second, third] = items
      assert.strictEqual(String(first!.start_time), "2024-04-01T19:33:20.000Z")
      assert.isTrue(first!.end_time?.isOutOfRange)
      assert.strictEqual(first!.end_time?.epoch, 1e20)
      assert.strictEqual(String(first!.end_time), "out-of-range(100000000000000000000 s)")
      assert.isUndefined(first!.end_time?.toDateTime())
      assert.strictEqual(String(first!.ack_time), "0001-01-01T00:00:00.000Z")
      assert.isTrue(first!.close_time?.isUnset)
      assert.strictEqual(String(second!.start_time), "out-of-range(9007199254740991 s)")
      assert.strictEqual(String(second!.last_time), "+056218-11-22T00:00:00.000Z")
      assert.strictEqual(String(second!.created_at), "out-of-range(-100000000000000000000 s)")
      assert.strictEqual(String(third!.start_time), "2024-04-01T19:33:20.500Z")
      assert.isTrue(third!.updated_at?.isOutOfRange)
      assert.isTrue(third!.deleted_at?.isUnset)
      const printed = JSON.parse(JSON.stringify(items)) as ReadonlyArray<Record<string, unknown>>
      assert.strictEqual(printed[0]!.end_time, "out-of-range(100000000000000000000 s)")
      assert.strictEqual(printed[0]!.close_time, 0)
      const encoded = Schema.encodeUnknownSync(IncidentListResponse)(
        (exit as Exit.Success<IncidentListResponse>).value
      ) as { items: ReadonlyArray<Record<string, unknown>> }
      assert.deepStrictEqual(
        encoded.items.map((item) => [item.start_time, item.end_time, item.last_time, item.created_at]),
        // Times the spec requires and the server omitted are Go's zero: unset, encoded as 0.
        [
          [1712000000, 1e20, 0, 0],
          [Number.MAX_SAFE_INTEGER, 0, 1711929600000, -1e20],
          [1712000000.5, 0, 0, 0]
        ]
      )
      assert.strictEqual(encoded.items[2]!.updated_at, "100000000000000000000")
      assert.strictEqual(encoded.items[2]!.deleted_at, null)
    }
    assert.deepStrictEqual(wire, copy)
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

  it("a fraction is refused, with a message that says what to pass (a Date is floored instead)", () => {
    for (const [schema, fraction] of [
      [TimeInput, 1711929600.7],
      [TimeInputMillis, 1711929600000.5]
    ] as const) {
      const exit = Schema.encodeUnknownExit(schema)(fraction)
      assert.isTrue(Exit.isFailure(exit))
      assert.match(String(exit), /whole number.*Date\/DateTime/)
    }
    assert.strictEqual(Schema.encodeSync(TimeInput)(new Date(1711929600700)), 1711929600)
  })

  it("anything else fails validation", () => {
    for (const bad of ["2024-04-01", new Date("invalid"), null, Number.POSITIVE_INFINITY]) {
      assert.isTrue(Exit.isFailure(Schema.encodeUnknownExit(TimeInput)(bad)), String(bad))
    }
  })
})
