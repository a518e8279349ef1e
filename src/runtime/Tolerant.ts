/**
 * Schema combinators for decoding what the live Flashduty API actually sends.
 *
 * The API is written in Go: nil slices and maps arrive as `null`, nil struct pointers as
 * `null` or not at all, enums grow new members (or arrive as `""`), and objects gain
 * fields. The generated response schemas are built from these combinators so that such
 * answers decode, while the generated TypeScript types stay precise:
 *
 * - {@link array} / {@link record}: `null` decodes to `[]` / `{}` (and a `null` object in a map to
 *   the empty object: see below);
 * - {@link requiredArray} / {@link requiredRecord}: also a missing key decodes to `[]` / `{}`;
 * - {@link optional}: an optional key whose `null` decodes as an absent key (objects, collections);
 *   these three are fields of a {@link struct}, which does the repair;
 * - {@link struct}: unknown fields are dropped, never a failure;
 * - {@link secret}: a credential the server returns (a trigger token, a data source password)
 *   decodes to `Redacted<string>`, so that printing or logging a result never shows it;
 * - {@link lazy} (and `struct` / `strictStruct` given a function of their fields): the schema is
 *   built on first use, not when its module is imported.
 *
 * Scalars stay plain (`Schema.String`, `Schema.Number`, …): Go sends them as values, and a
 * per-field fallback would double the cost of decoding a page.
 *
 * `null` inside a collection (the rule for Go's nil pointers and slices held by a map or slice):
 * - a value of a map ({@link record}, {@link requiredRecord}) of objects (`map[string]*T`, a nil
 *   entry) decodes as `{}` would through the value's own schema (required collections come out
 *   empty), and the key stays, as Go's zero value would; a value of a map of arrays or maps
 *   (`map[string][]T`) decodes to `[]` / `{}`, as an item of an array of arrays does;
 * - a scalar value (`Record<string, number>`) that is `null` stays a decode failure: Go's
 *   `map[string]int` sends `0`, never `null`, and only a `map[string]*int`, which the spec would
 *   then describe wrongly, could send one; inventing `0`, `""` or `false` would hide that (a count
 *   of 0 is not an unknown count). `Record<string, unknown>` keeps the `null`;
 * - an item of an array of objects that is `null` stays a decode failure (with its path): the API
 *   builds its slices of found values, no answer seen holds a nil item, and an invented `{}` item
 *   would read as a real, empty entry of a list.
 *
 * Speed: a struct prepares its whole tree in one pure pass (Go's nulls, times, nested objects
 * and their items) and checks the result with schemas that transform nothing, which Effect's
 * Schema JIT compiles to one straight-line function (see `normalForm.ts`).
 *
 * The request side is strict: {@link strictStruct} only fixes the static type of a plain
 * `Schema.Struct`, so that a caller's mistake is a compile error and an encoding failure.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import * as Tolerant from "./Tolerant.js" // internal: used by the generated modules
 *
 * interface Team { readonly team_id?: number; readonly person_ids: ReadonlyArray<number> }
 * const Team = Tolerant.struct<Team>({
 *   team_id: Schema.optionalKey(Schema.Number),
 *   person_ids: Tolerant.requiredArray(Schema.Number)
 * })
 * Schema.decodeUnknownSync(Team)({ team_id: 1, person_ids: null, extra: true })
 * // => { team_id: 1, person_ids: [] }
 * ```
 */
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"
import { lazy, resolveLazy } from "./LazySchema.js"
import { type NormalForm, type Normalize, normalFormOf, register } from "./normalForm.js"
import {
  compilePreparer,
  compilesWhole,
  type FieldStep,
  preparer,
  type Repair,
  restorer
} from "./structPreparer.js"

export { lazy }

/** A schema as the generated code handles it: the static type comes from a generated interface. */
export type Any = Schema.Top

/** A schema decoding unknown JSON to `A`. */
export type Codec<A> = Schema.Codec<A, unknown>

/** A struct field split for the struct's one preparing pass (see `normalForm.ts`). */
interface FieldForm {
  /** The field's schema without transformations (possibly under `optionalKey`). */
  readonly plain: Any
  /**
   * The field as a struct that cannot be compiled whole uses it: only its own `null` repaired by
   * the struct, its content decoded by its own (transforming) schemas.
   */
  readonly legacy: Any
  /** What `null` (and, for required collections, a missing key) becomes. */
  readonly repair: Repair | undefined
  /** The Go zero value a `zero` repair puts in. */
  readonly zero?: (() => unknown) | undefined
  /** Applied to a present value that was not repaired (a time, a nested object, its items). */
  readonly normalize: Normalize | undefined
  readonly denormalize: Normalize | undefined
}

// The field-only combinators (`requiredArray`, `requiredRecord`, `optional`) and the
// collections (`array`, `record`, also used on their own as a list response) record here what
// a struct does with them: Effect's Schema JIT compiles a struct to straight-line code only when
// none of its fields transforms anything (see `normalForm.ts`).
const fieldForms = new WeakMap<object, FieldForm>()

const withFieldForm = <S extends Any>(schema: S, form: FieldForm): S => {
  fieldForms.set(schema, form)
  return schema
}

const transform = (f: Normalize) => SchemaGetter.transform<unknown, unknown>(f)
const passthrough = SchemaGetter.passthrough<any>()

/** The fields themselves, or a function returning them (the schema is then built on first use). */
export type Fields = Schema.Struct.Fields | (() => Schema.Struct.Fields)

/** `schema` split into preparation and plain check, or as it is when it transforms nothing of ours. */
const normalOf = (schema: Any): { readonly plain: Any; readonly form: NormalForm | undefined } => {
  const resolved = resolveLazy(schema)
  const form = normalFormOf(resolved)
  return { plain: form === undefined ? schema : form.plain, form }
}

/** A function applied to every item of an array (a copy only when an item changed). */
const eachItem =
  (f: Normalize): Normalize =>
  (value) => {
    if (!Array.isArray(value)) return value
    let copy: Array<unknown> | undefined
    for (let i = 0; i < value.length; i++) {
      const item = value[i]
      const changed = f(item)
      if (changed !== item) {
        copy ??= value.slice()
        copy[i] = changed
      }
    }
    return copy ?? value
  }

/** A function applied to every value of a string-keyed map (a copy only when a value changed). */
const eachValue =
  (f: Normalize): Normalize =>
  (value) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return value
    const map = value as Record<string, unknown>
    let copy: Record<string, unknown> | undefined
    for (const key of Object.keys(map)) {
      const entry = map[key]
      const changed = f(entry)
      if (changed !== entry) {
        copy ??= { ...map }
        copy[key] = changed
      }
    }
    return copy ?? value
  }

// What a nil pointer stands for, by the schema of what it points to: Go encodes a nil entry of a
// `map[string]*T` as `null`, and its zero value is the empty object (on the wire: `{}`, which the
// value's own schema then decodes). Tolerant structs register here; arrays and records repair
// their own `null` (to `[]` / `{}`) wherever they are used, so a map of them needs nothing more.
const goZero = new WeakMap<object, () => unknown>()
const emptyObject = () => ({})

/** `inner`, whose `null` is first replaced by `zero()` (then decoded by `inner` as any value). */
const nullAsZero = (inner: Any, zero: () => unknown): Any =>
  Schema.Unknown.pipe(
    Schema.decodeTo(inner, {
      decode: transform((v) => (v === null ? zero() : v)) as any,
      encode: passthrough
    })
  ) as Any

/**
 * The plain collection of `inner`, and how to prepare its items. The values of a map whose value
 * schema has a Go zero (a struct) also turn `null` into that zero before being prepared; the
 * items of an array do not (a `null` item stays an error, see the module's comment).
 */
const collectionForm = (kind: "array" | "record", inner: Any, repair: Repair): FieldForm => {
  const { plain, form } = normalOf(inner)
  const zero = kind === "record" ? goZero.get(resolveLazy(inner)) : undefined
  const of = (item: Any) => (kind === "array" ? Schema.Array(item) : Schema.Record(Schema.String, item))
  const collection = of(plain)
  const each = kind === "array" ? eachItem : eachValue
  const prepareItem: Normalize | undefined =
    zero === undefined
      ? form?.normalize
      : form === undefined
        ? (v) => (v === null ? zero() : v)
        : (v) => form.normalize(v === null ? zero() : v)
  const normalize = prepareItem === undefined ? undefined : each(prepareItem)
  const denormalize = form?.denormalize === undefined ? undefined : each(form.denormalize)
  return {
    plain: collection,
    legacy: zero !== undefined ? of(nullAsZero(inner, zero)) : form === undefined ? collection : of(inner),
    repair,
    normalize,
    denormalize
  }
}

// What a collection accepts before its items are looked at: `null` or the collection. Not
// `Unknown`: inside a union (`string | string[]`), a member whose source is `Unknown` is tried
// on every input, and failing it builds an issue each time (a much slower decode).
const arrayOrNull = Schema.Union([Schema.Array(Schema.Unknown), Schema.Null])
const recordOrNull = Schema.Union([Schema.Record(Schema.String, Schema.Unknown), Schema.Null])

const never = SchemaGetter.forbidden<never, unknown>(() => "tolerant null values are never encoded")

const nullTo = <A>(value: () => A): Any =>
  Schema.Null.pipe(
    Schema.decodeTo(Schema.Unknown, { decode: SchemaGetter.transform(value), encode: never as any })
  )

const nullAsEmpty = { array: nullTo(() => []), record: nullTo(() => ({})) }

/** Collections whose normal form only turns `null` into an empty one (their items need nothing). */
const nullRepairOnly = new WeakMap<object, () => unknown>()

/** A complete schema (on its own, e.g. a list response): `null` → empty, items prepared, then checked. */
const standalone = (kind: "array" | "record", form: FieldForm): Any => {
  const empty = kind === "array" ? () => [] : () => ({})
  const items = form.normalize
  const prepare: Normalize =
    items === undefined ? (v) => (v === null ? empty() : v) : (v) => (v === null ? empty() : items(v))
  // Items that need no preparing: on its own, the plain collection or `null` (what the JIT
  // handles best); inside a collection or struct, its normal form (which repairs the `null`).
  if (items === undefined || !compilesWhole(form.plain)) {
    const complete = Schema.Union([form.legacy, nullAsEmpty[kind]])
    if (items === undefined) nullRepairOnly.set(complete, empty)
    return register(complete, { plain: form.plain, normalize: prepare, denormalize: form.denormalize })
  }
  const complete = (kind === "array" ? arrayOrNull : recordOrNull).pipe(
    Schema.decodeTo(form.plain, {
      decode: transform(prepare) as any,
      encode: (form.denormalize === undefined ? passthrough : transform(form.denormalize)) as any
    })
  )
  return register(complete as Any, { plain: form.plain, normalize: prepare, denormalize: form.denormalize })
}

/**
 * An array that also accepts `null` (decoded as `[]`).
 *
 * @example
 * ```ts
 * Schema.decodeUnknownSync(Tolerant.array(Schema.String))(null) // => []
 * ```
 */
export const array = <A>(item: Any): Codec<ReadonlyArray<A>> => {
  const form = collectionForm("array", item, "nullToEmptyArray")
  return withFieldForm(standalone("array", form), form) as any
}

/** A string-keyed map that also accepts `null` (decoded as `{}`). */
export const record = <A>(value: Any): Codec<{ readonly [key: string]: A }> => {
  const form = collectionForm("record", value, "nullToEmptyRecord")
  return withFieldForm(standalone("record", form), form) as any
}

/**
 * A required array field of a {@link struct}: `null` or a missing key decode to `[]`.
 *
 * The repair is done by the enclosing `struct` (once per object); on its own, outside a
 * `struct`, this is a plain `Schema.Array`. Generated response objects are always `struct`s.
 */
export const requiredArray = <A>(item: Any): Codec<ReadonlyArray<A>> => {
  const form = collectionForm("array", item, "emptyArray")
  return withFieldForm(form.legacy, form) as any
}

/** A required map field of a {@link struct}: `null` or a missing key decode to `{}` (see {@link requiredArray}). */
export const requiredRecord = <A>(value: Any): Codec<{ readonly [key: string]: A }> => {
  const form = collectionForm("record", value, "emptyRecord")
  return withFieldForm(form.legacy, form) as any
}

/**
 * An optional key of a {@link struct} whose `null` value decodes as an absent key (for
 * object-valued fields). Outside a `struct` it is a plain `Schema.optionalKey`.
 */
export const optional = (schema: Any): Any => {
  const { plain, form } = normalOf(schema)
  const field = Schema.optionalKey(schema)
  return withFieldForm(field, {
    plain: form === undefined ? field : Schema.optionalKey(plain),
    legacy: field,
    repair: "dropNull",
    normalize: form?.normalize,
    denormalize: form?.denormalize
  })
}

/**
 * A required field of a {@link struct} that is not a collection: when the server omits it (or
 * sends `null`), it decodes as Go would have left it, its zero value `zero` on the wire (`""`,
 * `0`, `false`, `{}` for a nested object, `0` for a timestamp: "unset"), decoded by `schema`
 * like any value. Outside a `struct` it is `schema` itself.
 *
 * @example
 * ```ts
 * const Incident = Tolerant.struct<{ readonly incident_id: string; readonly start_time: TimestampValue }>({
 *   incident_id: Tolerant.required(Schema.String, ""),
 *   start_time: Tolerant.required(Timestamp, 0)
 * })
 * Schema.decodeUnknownSync(Incident)({}) // => { incident_id: "", start_time: <unset> }
 * ```
 */
export const required = (
  schema: Any,
  zero: string | number | boolean | null | Record<string, never>
): Any => {
  const { plain, form } = normalOf(schema)
  const fresh = typeof zero === "object" && zero !== null ? () => ({}) : () => zero
  // A schema of its own (the same checks): `schema` may be shared (`Schema.String`), and the
  // repair is this field's, not every field's of that schema.
  const field = resolveLazy(schema).annotate({})
  return withFieldForm(field, {
    plain,
    legacy: field,
    repair: "zero",
    zero: fresh,
    normalize: form?.normalize,
    denormalize: form?.denormalize
  })
}

/** A field checked by `plain`, whose present values `form` (if any) prepares; `legacy` as it was given. */
const plainField = (legacy: Any, plain: Any = legacy, form?: NormalForm): FieldForm => ({
  plain,
  legacy,
  repair: undefined,
  normalize: form?.normalize,
  denormalize: form?.denormalize
})

/** How a struct field is prepared and checked, looking through `Schema.optionalKey` and lazy schemas. */
const fieldFormOf = (field: Any): FieldForm => {
  const resolved = resolveLazy(field)
  const registered = fieldForms.get(resolved)
  if (registered !== undefined) return registered
  const inner = (resolved as { readonly schema?: Any }).schema
  if (resolved.ast.context?.isOptional === true && inner !== undefined) {
    const innerResolved = resolveLazy(inner)
    const innerField = fieldForms.get(innerResolved)
    if (innerField !== undefined) {
      // Under `optionalKey`, a missing key stays missing: only `null` is repaired.
      const repair =
        innerField.repair === "emptyArray"
          ? "nullToEmptyArray"
          : innerField.repair === "emptyRecord"
            ? "nullToEmptyRecord"
            : innerField.repair
      if (innerField.repair === "dropNull") return innerField
      const plain = Schema.optionalKey(innerField.plain)
      const legacy = innerField.legacy === innerField.plain ? plain : Schema.optionalKey(innerField.legacy)
      return { ...innerField, plain, legacy, repair }
    }
    const form = normalFormOf(innerResolved)
    return form === undefined ? plainField(field) : plainField(field, Schema.optionalKey(form.plain), form)
  }
  const form = normalFormOf(resolved)
  return form === undefined ? plainField(field) : plainField(field, form.plain, form)
}

/**
 * A response object: the given fields, unknown fields dropped. `A` is the generated
 * interface; the schema itself is not asked to infer it (that keeps editors fast). Given a
 * function of its fields, the struct (and what its fields reference) is built on first use,
 * as with {@link lazy}.
 */
export const struct = <A>(fields: Fields): Codec<A> =>
  typeof fields === "function" ? lazy<A>(() => tolerantStruct(fields())) : (tolerantStruct(fields) as any)

const tolerantStruct = (fields: Schema.Struct.Fields): Any => {
  const forms = Object.entries(fields).map(([key, field]) => [key, fieldFormOf(field as Any)] as const)
  // Compiled whole only if every field's plain form is free of transformations (a union with a
  // tolerant member, `Schema.NullOr` of an object, … are not): otherwise, as before, each field
  // decodes with its own schema and the struct only repairs its own nulls.
  const whole = forms.every(([, form]) => compilesWhole(form.plain))
  const schemaFields: Record<string, Any> = {}
  const steps: Array<FieldStep> = []
  for (const [key, form] of forms) {
    schemaFields[key] = whole ? form.plain : form.legacy
    const normalize = whole ? form.normalize : undefined
    const denormalize = whole ? form.denormalize : undefined
    if (form.repair !== undefined || normalize !== undefined || denormalize !== undefined)
      steps.push({ key, repair: form.repair, zero: form.zero, normalize, denormalize })
  }
  if (steps.length === 0) return withGoZero(Schema.Struct(fields))
  const plain = Schema.Struct(schemaFields)
  const normalize = compilePreparer(steps) ?? preparer(steps)
  const back = steps.filter((step) => step.denormalize !== undefined)
  const denormalize = back.length === 0 ? undefined : restorer(back)
  // One pure transform per tree of objects (no Effect per field): the input is copied only where
  // something changed, so the caller's data is never modified.
  const schema = Schema.Unknown.pipe(
    Schema.decodeTo(plain, {
      decode: transform(normalize) as any,
      encode: denormalize === undefined ? passthrough : transform(denormalize)
    })
  ) as Any
  return withGoZero(whole ? register(schema, { plain, normalize, denormalize }) : schema)
}

/** A response object: a nil pointer to it (a `null` value in a map) decodes as `{}` would. */
const withGoZero = (schema: Any): Any => {
  goZero.set(schema, emptyObject)
  return schema
}

/**
 * A request object: exactly `Schema.Struct`, with the generated interface as its type (built on
 * first use when given a function of its fields, as {@link struct}).
 */
export const strictStruct = <A>(fields: Fields): Codec<A> =>
  typeof fields === "function" ? lazy<A>(() => Schema.Struct(fields())) : (Schema.Struct(fields) as any)

/**
 * A request integer (an `int`/`int64` field): a safe integer. A fraction is refused before
 * anything is sent, with a message that says what to pass; the API's Go decoder would refuse it
 * too, or worse, a proxy might round it.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import * as Tolerant from "./Tolerant.js" // runtime of the generated modules
 *
 * Schema.decodeUnknownSync(Tolerant.int)(10) // => 10
 * Schema.decodeUnknownSync(Tolerant.int)(10.5) // throws: Expected a whole number (…)
 * ```
 */
export const int: Schema.Int = /*#__PURE__*/ Schema.Number.check(
  /*#__PURE__*/ Schema.isInt({
    message: "Expected a whole number (a safe integer), not a fraction: pass a whole number"
  })
)

/**
 * A union of schemas with the generated union type. When its only tolerant members are
 * collections of plain items (`string | string[]`), it also gets a normal form (its members' plain
 * forms, `null` repaired as the union itself would), so that a struct holding it still compiles whole.
 */
export const union = <A>(members: ReadonlyArray<Any>): Codec<A> => {
  const schema = Schema.Union(members)
  let empty: (() => unknown) | undefined
  const plains: Array<Any> = []
  for (const member of members) {
    const resolved = resolveLazy(member)
    const form = normalFormOf(resolved)
    const repair = nullRepairOnly.get(resolved)
    if (form !== undefined && repair === undefined) return schema as any // items to prepare: as it is
    // `null` goes to the first member that takes it, as decoding the union does.
    if (empty === undefined && (repair !== undefined || Schema.is(member)(null)))
      empty = repair ?? (() => null)
    plains.push(form === undefined ? member : form.plain)
  }
  if (plains.every((plain, i) => plain === members[i])) return schema as any
  const repairNull = empty ?? (() => null)
  nullRepairOnly.set(schema, repairNull)
  return register(schema, {
    plain: Schema.Union(plains),
    normalize: (v) => (v === null ? repairNull() : v),
    denormalize: undefined
  }) as any
}

/** Gives a schema the static type of its generated declaration (no inference, no check). */
export const typed = <A>(schema: Any): Codec<A> => schema as any

// ---- secrets -------------------------------------------------------------------------

const toSecret: Normalize = (wire) => (typeof wire === "string" ? Redacted.make(wire) : wire)
const fromSecret: Normalize = (value) =>
  Redacted.isRedacted(value) ? (Redacted.value(value) as unknown) : value

// What a struct's plain check sees once its preparing pass made the `Redacted`: an object
// test with a filter, which Effect's Schema JIT compiles inline (as `Timestamp` does). Anything
// the pass could not convert (not a string) is not a `Redacted`, and fails here with its path.
const SecretValue = Schema.ObjectKeyword.check(
  Schema.makeFilter((u: object) => Redacted.isRedacted(u), { expected: "a string (a secret)" })
)

/**
 * A credential in a response (a token, a password, a private key): the wire string decodes to
 * `Redacted<string>`, which prints `<redacted>` in `String`, `JSON.stringify` and inspection;
 * `Redacted.value` gives the string back, and encoding gives the wire string. As a field of a
 * {@link struct} it is used under {@link optional}, so that `null` or a missing key decode as an
 * absent key. The generator decides which fields are secrets (`src/generated/SECRET_FIELDS.md`).
 *
 * @example
 * ```ts
 * import { Redacted, Schema } from "effect"
 *
 * const rule = Schema.decodeUnknownSync(
 *   Tolerant.struct<{ readonly http_post_token?: Redacted.Redacted<string> }>({
 *     http_post_token: Tolerant.optional(Tolerant.secret)
 *   })
 * )({ http_post_token: "tok_123" })
 * JSON.stringify(rule)                  // '{"http_post_token":"<redacted>"}'
 * Redacted.value(rule.http_post_token!) // "tok_123"
 * ```
 */
export const secret: Codec<Redacted.Redacted<string>> = /*#__PURE__*/ register(
  Schema.String.pipe(
    Schema.decodeTo(SecretValue, {
      decode: transform(toSecret) as any,
      encode: transform(fromSecret) as any
    })
  ) as Any,
  { plain: SecretValue, normalize: toSecret, denormalize: fromSecret }
) as any
