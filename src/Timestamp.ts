/**
 * Time fields of the Flashduty API.
 *
 * The wire carries epoch numbers: Unix seconds for most fields, milliseconds for RUM and
 * webhook history. `0` or `null` mean "not set". On the response side, {@link Timestamp}
 * and {@link TimestampMillis} decode such a field into a {@link TimestampValue}: it prints
 * as RFC3339, keeps the raw number in `.epoch`, knows its unit, tells "unset" apart from
 * 1970, and encodes back to exactly what came over the wire. An epoch too far from 1970 for a
 * `Date` (beyond ±8.64e15 ms, e.g. milliseconds sent in a seconds field) still decodes: it keeps
 * its epoch, is `isOutOfRange`, prints `out-of-range(<epoch> s|ms)` and has no instant, so one odd
 * field never fails a list nor prints a wrong date. On the request side,
 * {@link TimeInput} and {@link TimeInputMillis} accept the wire number as is, or a `Date` /
 * `DateTime` converted to the field's unit.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Timestamp } from "effect-flashduty"
 *
 * const t = Schema.decodeUnknownSync(Timestamp)(1712000000)
 * String(t)          // "2024-04-01T19:33:20.000Z"
 * t.epoch            // 1712000000
 * Schema.decodeUnknownSync(Timestamp)(0).isUnset // true
 * String(Schema.decodeUnknownSync(Timestamp)(1e21)) // "out-of-range(1e+21 s)"
 * ```
 */
import * as DateTime from "effect/DateTime"
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"
import { register } from "./runtime/normalForm.js"

/** The unit of an epoch number on the wire. */
export type EpochUnit = "seconds" | "millis"

/** What a response time field looks like on the wire. */
export type TimestampWire = number | string | null

const RFC3339_UNSET = "unset"

/**
 * The instants a `Date` (and so a `DateTime`) can hold: ±8.64e15 ms from 1970, i.e. ±100 million
 * days (ECMAScript's time value range; `new Date(x)` is invalid beyond it).
 */
const MAX_EPOCH_MILLIS = 8.64e15

/**
 * A decoded response time: immutable, with the raw wire value kept for lossless encoding.
 *
 * Three kinds of value, each with its own printed form:
 * - a date (`epoch` within ±8.64e15 ms of 1970, the range of `Date`): RFC3339, also for odd
 *   but representable epochs (Go's zero `time.Time` as seconds prints `0001-01-01T00:00:00.000Z`,
 *   milliseconds sent as seconds a year such as `+056218-…`);
 * - unset (`isUnset`: `0`, `null`, `""` on the wire): `"unset"`, and `0` in JSON;
 * - out of range (`isOutOfRange`: any other epoch, e.g. `1e20` or `Number.MAX_SAFE_INTEGER`
 *   seconds): `"out-of-range(<epoch> s)"` (`ms` for milliseconds, the epoch as JavaScript prints
 *   a number), in `String` and JSON alike; `toDate()`, `toDateTime()` and `epochMillis` are
 *   `undefined` rather than a wrong instant or a throw.
 *
 * `epoch`, `unit` and `wire` are kept as received in all three cases: encoding gives the wire
 * value back, and two values of the same wire value are `Equal` and hash alike.
 *
 * @example
 * ```ts
 * import { TimestampValue } from "effect-flashduty"
 *
 * const t = TimestampValue.fromEpoch(1712000000, "seconds")
 * t.toDate()?.toISOString() // "2024-04-01T19:33:20.000Z"
 * JSON.stringify({ at: t })  // '{"at":"2024-04-01T19:33:20.000Z"}'
 *
 * const far = TimestampValue.fromEpoch(1e21, "seconds")
 * far.isOutOfRange // true
 * far.toDate()     // undefined
 * String(far)      // "out-of-range(1e+21 s)"
 * ```
 */
export class TimestampValue {
  private constructor(
    /** The epoch number in `unit` (`0` when unset, whatever the wire said). */
    readonly epoch: number,
    readonly unit: EpochUnit,
    /** Exactly what came over the wire; encoding returns it unchanged. */
    readonly wire: TimestampWire
  ) {
    // Immutable by type (`readonly`), not frozen: `Object.freeze` costs more than decoding the
    // rest of the field, and a page holds hundreds of timestamps.
  }

  /** Builds a value from an epoch number in the given unit (`0` is "unset"). */
  static fromEpoch(epoch: number, unit: EpochUnit): TimestampValue {
    return new TimestampValue(epoch, unit, epoch)
  }

  /** The "unset" value of a unit (`0` on the wire). */
  static unset(unit: EpochUnit): TimestampValue {
    return new TimestampValue(0, unit, 0)
  }

  /** @internal decoding entry point: keeps the wire value as received. */
  static fromWire(epoch: number, unit: EpochUnit, wire: TimestampWire): TimestampValue {
    return new TimestampValue(epoch, unit, wire)
  }

  /** `true` when the server sent `0`, `null` or an empty string: no date at all (not 1970). */
  get isUnset(): boolean {
    return this.epoch === 0
  }

  /**
   * `true` when the epoch is set but no `Date` can hold it (beyond ±8.64e15 ms from 1970, or not
   * a finite number): the value has no instant, and prints `out-of-range(<epoch> s|ms)`.
   */
  get isOutOfRange(): boolean {
    return !this.isUnset && this.epochMillis === undefined
  }

  /** Epoch milliseconds, or `undefined` when unset or out of range. */
  get epochMillis(): number | undefined {
    if (this.isUnset) return undefined
    const millis = this.unit === "seconds" ? this.epoch * 1000 : this.epoch
    // The very test `new Date(millis)` applies (false for NaN as well).
    return Math.abs(millis) <= MAX_EPOCH_MILLIS ? millis : undefined
  }

  /** The instant as a `Date`, or `undefined` when unset or out of range. */
  toDate(): Date | undefined {
    const millis = this.epochMillis
    return millis === undefined ? undefined : new Date(millis)
  }

  /** The instant as a `DateTime.Utc`, or `undefined` when unset or out of range. */
  toDateTime(): DateTime.Utc | undefined {
    const millis = this.epochMillis
    return millis === undefined ? undefined : DateTime.makeUnsafe(millis)
  }

  /** RFC3339 (`2024-04-01T19:33:20.000Z`), `"unset"`, or `"out-of-range(1e+21 s)"`. */
  toString(): string {
    const date = this.toDate()
    if (date !== undefined) return date.toISOString()
    return this.isUnset
      ? RFC3339_UNSET
      : `out-of-range(${this.epoch} ${this.unit === "seconds" ? "s" : "ms"})`
  }

  /**
   * RFC3339 in JSON, `0` when unset, the `out-of-range(…)` marker when out of range, so that
   * printing a response stays readable and never claims a wrong date.
   */
  toJSON(): string | 0 {
    return this.isUnset ? 0 : this.toString()
  }

  /** Node's `util.inspect` (console.log) shows the readable form. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Timestamp(${this.toString()})`
  }
}

const epochFromString = (s: string, unit: EpochUnit): number | undefined => {
  const trimmed = s.trim()
  if (trimmed === "") return 0
  // Some endpoints stringify their numbers: "1712000000" is an epoch, not a date.
  // Like a number, it must be finite (300+ digits overflow to Infinity): no epoch otherwise.
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) {
    const epoch = Number(trimmed)
    return Number.isFinite(epoch) ? epoch : undefined
  }
  const millis = Date.parse(trimmed)
  if (Number.isNaN(millis)) return undefined
  return unit === "seconds" ? Math.floor(millis / 1000) : millis
}

const isWire = (u: unknown): u is TimestampWire =>
  u === null || typeof u === "number" || typeof u === "string"

/**
 * The decoded value, or the wire value itself when it is not a time (the target check rejects it).
 * Every finite number is a time: one beyond `Date`'s range decodes as an out-of-range value.
 */
const decodeWire = (wire: TimestampWire, unit: EpochUnit): TimestampValue | TimestampWire => {
  if (wire === null) return TimestampValue.fromWire(0, unit, null)
  if (typeof wire === "number")
    return Number.isFinite(wire) ? TimestampValue.fromWire(wire, unit, wire) : wire
  const epoch = epochFromString(wire, unit)
  return epoch === undefined ? wire : TimestampValue.fromWire(epoch, unit, wire)
}

// Why this shape: Effect's Schema JIT compiler inlines a field into the compiled struct
// decoder only when it is one pure `SchemaGetter.transform` between schemas it can test
// inline (keywords such as `Unknown`/`Object`, the source alone carrying checks). A union
// source, `transformEffect` or a `Schema.declare` target each cost a parser call and a few
// Effects per field, far more than the inlined test (an incident has 9 time fields). So the source
// is `Unknown` checked to be `number | string | null`, the transform returns the value
// (never fails), and the target `object` test rejects what the transform left as is: a
// non-finite number or a string that is no date.
const WireTimestamp = Schema.Unknown.check(
  Schema.makeFilter(isWire, { expected: "an epoch number, an RFC3339 date or null" })
)

const TimestampValueSchema = Schema.ObjectKeyword.annotate({
  expected: "an epoch number or an RFC3339 date",
  message: "Expected an epoch number or an RFC3339 date"
})

const toWire = (value: unknown): unknown => (value instanceof TimestampValue ? value.wire : value)

// Inside a tolerant struct (src/internal/normalForm.ts), a time field is converted by the
// struct's preparing pass and checked by this plain schema, so that the struct's checking compiles
// as one piece: anything the pass could not convert (not a wire time) is not a TimestampValue.
const TimestampValueType = TimestampValueSchema.check(
  Schema.makeFilter((u: object) => u instanceof TimestampValue, {
    expected: "an epoch number, an RFC3339 date or null"
  })
)

const makeTimestamp = (unit: EpochUnit): Schema.Codec<TimestampValue, TimestampWire> => {
  const schema = WireTimestamp.pipe(
    Schema.decodeTo(TimestampValueSchema, {
      decode: SchemaGetter.transform((wire: unknown) => decodeWire(wire as TimestampWire, unit) as object),
      // Anything but a TimestampValue is passed on unchanged, so the wire check refuses it.
      encode: SchemaGetter.transform(toWire)
    })
  )
  return register(schema, {
    plain: TimestampValueType,
    normalize: (wire) => (isWire(wire) ? decodeWire(wire, unit) : wire),
    denormalize: toWire
  }) as any
}

/**
 * A response time field in Unix **seconds** (the default for Flashduty fields).
 * Encoded: `number | string | null`; Type: {@link TimestampValue}.
 */
export const Timestamp = makeTimestamp("seconds")
/** The decoded type of {@link Timestamp} and {@link TimestampMillis}. */
export type Timestamp = TimestampValue

/** A response time field in Unix **milliseconds** (RUM, webhook history). */
export const TimestampMillis = makeTimestamp("millis")
/** The decoded type of {@link TimestampMillis}. */
export type TimestampMillis = TimestampValue

/**
 * A time a request field accepts: a whole number in the field's unit (Unix **seconds** for
 * most fields, **milliseconds** for RUM and webhook history; the field's doc says which),
 * or a `Date` / `DateTime`, converted to that unit (floored to the second for a seconds
 * field). A fraction such as `Date.now() / 1000` is refused before anything is sent: pass
 * `Math.floor(Date.now() / 1000)` or `new Date()`.
 */
export type TimeInput = number | Date | DateTime.DateTime

/** Another name of {@link TimeInput}. */
export type TimeInputValue = TimeInput

const unitName = { seconds: "seconds", millis: "milliseconds" } as const

const timeInputValueSchema = (unit: EpochUnit) =>
  Schema.declare(
    (u): u is TimeInput =>
      (typeof u === "number" && Number.isSafeInteger(u)) ||
      (u instanceof Date && !Number.isNaN(u.getTime())) ||
      DateTime.isDateTime(u),
    {
      expected: `a whole number of ${unitName[unit]}, a valid Date or a DateTime (a fraction is refused: pass a whole number or a Date/DateTime)`
    }
  )

const toEpoch = (value: TimeInput, unit: EpochUnit): number => {
  if (typeof value === "number") return value
  const millis = value instanceof Date ? value.getTime() : DateTime.toEpochMillis(value)
  return unit === "seconds" ? Math.floor(millis / 1000) : Math.floor(millis)
}

const makeTimeInput = (unit: EpochUnit) =>
  Schema.Number.pipe(
    Schema.decodeTo(timeInputValueSchema(unit), {
      // Decoding (wire → caller) is only used by the stand-in and tests: the number itself.
      decode: SchemaGetter.transform((n: number): TimeInput => n),
      encode: SchemaGetter.transform((value: TimeInput) => toEpoch(value, unit))
    })
  )

/**
 * A request time field in Unix **seconds**. Type: {@link TimeInput} (`number | Date |
 * DateTime`); Encoded: `number`. A `Date`/`DateTime` becomes `floor(millis / 1000)`; a whole
 * number passes unchanged; a fraction is an `InvalidParameter`.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { TimeInput } from "effect-flashduty"
 *
 * Schema.encodeSync(TimeInput)(new Date("2024-04-01T00:00:00.999Z")) // 1711929600
 * Schema.encodeSync(TimeInput)(1711929600.7) // throws: a whole number of seconds, …
 * ```
 */
export const TimeInput = makeTimeInput("seconds")

/** A request time field in Unix **milliseconds**. */
export const TimeInputMillis = makeTimeInput("millis")
/** The accepted type of {@link TimeInputMillis}: {@link TimeInput}, in milliseconds. */
export type TimeInputMillis = TimeInput
