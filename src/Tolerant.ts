/**
 * Schema combinators for decoding what the live Flashduty API actually sends.
 *
 * The API is written in Go: nil slices and maps arrive as `null`, nil struct pointers as
 * `null` or not at all, enums grow new members (or arrive as `""`), and objects gain
 * fields. The generated response schemas are built from these combinators so that such
 * answers decode, while the generated TypeScript types stay precise:
 *
 * - {@link array} / {@link record}: `null` decodes to `[]` / `{}`;
 * - {@link requiredArray} / {@link requiredRecord}: also a missing key decodes to `[]` / `{}`;
 * - {@link optional}: an optional key whose `null` decodes as an absent key (objects, collections);
 *   these three are fields of a {@link struct}, which does the repair (once per object);
 * - {@link openString}: a string enum typed as its literals plus any other string;
 * - {@link struct}: unknown fields are dropped, never a failure;
 * - {@link lazy} (and `struct` / `strictStruct` given a function of their fields): the schema is
 *   built on first use, not when its module is imported.
 *
 * Scalars stay plain (`Schema.String`, `Schema.Number`, …): Go sends them as values, and a
 * per-field fallback would double the cost of decoding a page.
 *
 * The request side is strict: {@link strictStruct} only fixes the static type of a plain
 * `Schema.Struct`, so that a caller's mistake is a compile error and an encoding failure.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import * as Tolerant from "effect-flashduty/Tolerant"
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
import { Schema, SchemaGetter } from "effect"

/** A schema as the generated code handles it: the static type comes from a generated interface. */
export type Any = Schema.Top

/** A schema decoding unknown JSON to `A`. */
export type Codec<A> = Schema.Codec<A, unknown>

const never = SchemaGetter.forbidden<never, unknown>(() => "tolerant null values are never encoded")

const nullTo = <A>(value: () => A): Any =>
  Schema.Null.pipe(
    Schema.decodeTo(Schema.Unknown, { decode: SchemaGetter.transform(value), encode: never as any })
  )

/**
 * How {@link struct} repairs a field before decoding it with its plain schema:
 * - `emptyArray` / `emptyRecord`: `null` or a missing key becomes `[]` / `{}` (required fields);
 * - `nullToEmptyArray` / `nullToEmptyRecord`: `null` becomes `[]` / `{}`, a missing key stays missing;
 * - `dropNull`: `null` becomes a missing key.
 */
type Repair = "emptyArray" | "emptyRecord" | "nullToEmptyArray" | "nullToEmptyRecord" | "dropNull"

interface PlainForm {
  /** The same field without the tolerance: what the Schema JIT compiles to straight-line code. */
  readonly plain: Any
  readonly repair: Repair
}

// Each tolerant combinator records its plain form here. Inside a `struct`, the plain forms
// are used and the nulls repaired once per object, because Effect's Schema JIT compiles plain
// arrays, records and structs to straight-line code but runs any field with a transformation
// through the interpreter: ~240 ns per tolerant array field against ~15 ns for a plain one
// (an incident has 5 required arrays, 2 required records, 4 nullable objects and 4 nullable
// arrays). `array` and `record` are also used on their own (a response that is a list), so
// they stay complete schemas (a union with `null`); the field-only combinators are just their
// plain form, which also keeps the import cheap (schema construction is most of it).
const plainForms = new WeakMap<object, PlainForm>()

const withPlainForm = <S extends Any>(schema: S, repair: Repair, plain: Any = schema): S => {
  plainForms.set(schema, { plain, repair })
  return schema
}

/** The registered plain form of a schema, looking through a {@link lazy} one. */
const registeredForm = (schema: Any): PlainForm | undefined => plainForms.get(resolveLazy(schema))

/** The plain form of a struct field, looking through `Schema.optionalKey`. */
const plainFormOf = (field: Any): PlainForm | undefined => {
  const direct = registeredForm(field)
  if (direct !== undefined) return direct
  const inner = (field as { readonly schema?: Any }).schema
  if (field.ast.context?.isOptional !== true || inner === undefined) return undefined
  const form = registeredForm(inner)
  if (form === undefined) return undefined
  // Under `optionalKey`, a missing key stays missing: only `null` is repaired.
  switch (form.repair) {
    case "emptyArray":
    case "nullToEmptyArray":
      return { plain: Schema.optionalKey(form.plain), repair: "nullToEmptyArray" }
    case "emptyRecord":
    case "nullToEmptyRecord":
      return { plain: Schema.optionalKey(form.plain), repair: "nullToEmptyRecord" }
    case "dropNull":
      return { plain: field, repair: "dropNull" }
  }
}

const passthrough = SchemaGetter.passthrough<any>()

// Effect's schema objects share one prototype (`pipe`, `annotate`, `check`, `rebuild`, …) whose
// methods only read `this.ast`: an object with that prototype and an `ast` built on first read
// behaves as the schema it builds. `Schema.suspend` would defer too, but a `Suspend` node stops
// the Schema JIT from inlining whatever contains it (codegen treats it as unsupported).
const schemaPrototype: object = Object.getPrototypeOf(Schema.Unknown)

/**
 * A schema whose AST is built on first read. Its prototype chain ends in Effect's schema
 * prototype, so every method (`pipe`, `annotate`, `check`, `rebuild`, …) works on the built AST.
 */
class LazySchema {
  #build: (() => Any) | undefined
  #built: Any | undefined
  constructor(build: () => Any) {
    this.#build = build
  }
  /** The schema this one stands for, built on the first call. */
  force(): Any {
    if (this.#built === undefined) {
      this.#built = this.#build!()
      this.#build = undefined
    }
    return this.#built
  }
  get ast(): Any["ast"] {
    const ast = this.force().ast
    // An own data property from now on, as on Effect's schemas: later reads are plain loads.
    Object.defineProperty(this, "ast", { value: ast, writable: true, enumerable: true, configurable: true })
    return ast
  }
}
Object.setPrototypeOf(LazySchema.prototype, schemaPrototype)

/** The schema a {@link lazy} one stands for (built now if needed); any other schema as it is. */
const resolveLazy = (schema: Any): Any => (schema instanceof LazySchema ? schema.force() : schema)

/**
 * A schema built on first use: `build` runs once, the first time the schema's AST is needed
 * (decoding, encoding, `annotate`, being referenced by a schema under construction). The
 * result behaves exactly as `build()`'s schema; only the import stays cheap. Generated modules
 * declare every schema this way (290 operations' schemas would otherwise be built at import,
 * a third of the package's import time).
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import * as Tolerant from "effect-flashduty/Tolerant"
 *
 * const Ids = Tolerant.lazy<ReadonlyArray<number>>(() => Tolerant.array(Schema.Number))
 * Schema.decodeUnknownSync(Ids)(null) // => [] (built here, on first use)
 * ```
 */
export const lazy = <A>(build: () => Any): Codec<A> => new LazySchema(build) as unknown as Codec<A>

/** The fields themselves, or a function returning them (the schema is then built on first use). */
export type Fields = Schema.Struct.Fields | (() => Schema.Struct.Fields)

const nullAsEmptyArray = nullTo(() => [])
const nullAsEmptyRecord = nullTo(() => ({}))

/**
 * An array that also accepts `null` (decoded as `[]`).
 *
 * @example
 * ```ts
 * Schema.decodeUnknownSync(Tolerant.array(Schema.String))(null) // => []
 * ```
 */
export const array = <A>(item: Any): Codec<ReadonlyArray<A>> => {
  // One `Schema.Array` serves both forms: schema construction is most of the import time.
  const plain = Schema.Array(item)
  return withPlainForm(Schema.Union([plain, nullAsEmptyArray]), "nullToEmptyArray", plain) as any
}

/** A string-keyed map that also accepts `null` (decoded as `{}`). */
export const record = <A>(value: Any): Codec<{ readonly [key: string]: A }> => {
  const plain = Schema.Record(Schema.String, value)
  return withPlainForm(Schema.Union([plain, nullAsEmptyRecord]), "nullToEmptyRecord", plain) as any
}

/**
 * A required array field of a {@link struct}: `null` or a missing key decode to `[]`.
 *
 * The repair is done by the enclosing `struct` (once per object); on its own, outside a
 * `struct`, this is a plain `Schema.Array`. Generated response objects are always `struct`s.
 */
export const requiredArray = <A>(item: Any): Codec<ReadonlyArray<A>> =>
  withPlainForm(Schema.Array(item), "emptyArray") as any

/** A required map field of a {@link struct}: `null` or a missing key decode to `{}` (see {@link requiredArray}). */
export const requiredRecord = <A>(value: Any): Codec<{ readonly [key: string]: A }> =>
  withPlainForm(Schema.Record(Schema.String, value), "emptyRecord") as any

/**
 * An optional key of a {@link struct} whose `null` value decodes as an absent key (for
 * object-valued fields). Outside a `struct` it is a plain `Schema.optionalKey`.
 */
export const optional = (schema: Any): Any => withPlainForm(Schema.optionalKey(schema), "dropNull")

/**
 * A string enum as the server sends it: typed as the known literals plus `string & {}` (so
 * editors still suggest the literals), decoded as any string: `""` and new members pass.
 */
export const openString = <L extends string>(_literals: ReadonlyArray<L>): Codec<L | (string & {})> =>
  Schema.String as any

/**
 * A response object: the given fields, unknown fields dropped. `A` is the generated
 * interface; the schema itself is not asked to infer it (that keeps editors fast). Given a
 * function of its fields, the struct (and what its fields reference) is built on first use,
 * as with {@link lazy}.
 */
export const struct = <A>(fields: Fields): Codec<A> =>
  typeof fields === "function" ? lazy<A>(() => tolerantStruct(fields())) : (tolerantStruct(fields) as any)

const tolerantStruct = (fields: Schema.Struct.Fields): Any => {
  const plainFields: Record<string, Any> = {}
  const keys: Array<string> = []
  const repairs: Array<Repair> = []
  for (const [key, field] of Object.entries(fields)) {
    const form = plainFormOf(field as Any)
    plainFields[key] = form === undefined ? (field as Any) : form.plain
    if (form !== undefined) {
      keys.push(key)
      repairs.push(form.repair)
    }
  }
  if (keys.length === 0) return Schema.Struct(fields) as any
  // One pure transform per object (no Effect per field): the input is copied only when a
  // field needs repair, so the caller's data is never modified.
  return Schema.Unknown.pipe(
    Schema.decodeTo(Schema.Struct(plainFields), {
      decode: SchemaGetter.transform(repairer(keys, repairs)) as any,
      encode: passthrough
    })
  ) as any
}

type Repairer = (object: Record<string, unknown>) => Record<string, unknown>

/**
 * The repair of one struct's fields, built on the first decode (not at import). Where
 * `new Function` is allowed, it is straight-line code with literal keys: a loop over the
 * keys reads each with a generic keyed load (~5% of decoding a page, in the profile).
 */
const repairer = (keys: ReadonlyArray<string>, repairs: ReadonlyArray<Repair>) => {
  let repair: Repairer | undefined
  return (input: unknown): unknown => {
    if (typeof input !== "object" || input === null || Array.isArray(input)) return input
    repair ??= compileRepair(keys, repairs) ?? ((object) => repairNulls(object, keys, repairs))
    return repair(input as Record<string, unknown>)
  }
}

const fillsMissing = (repair: Repair): boolean => repair === "emptyArray" || repair === "emptyRecord"

const emptyValue = (repair: Repair): "[]" | "{}" =>
  repair === "emptyArray" || repair === "nullToEmptyArray" ? "[]" : "{}"

const compileRepair = (keys: ReadonlyArray<string>, repairs: ReadonlyArray<Repair>): Repairer | undefined => {
  const statements = keys.map((key, i) => {
    const repair = repairs[i]!
    const k = JSON.stringify(key) // a string literal: keys come from the spec, never evaluated
    const missing = fillsMissing(repair) ? `||(v===undefined&&!(${k} in o))` : ""
    const fix = repair === "dropNull" ? `delete c[${k}]` : `c[${k}]=${emptyValue(repair)}`
    return `v=o[${k}];if(v===null${missing}){if(c===undefined)c={...o};${fix}}`
  })
  try {
    return new Function(
      "o",
      `"use strict";let v,c;${statements.join(";")};return c===undefined?o:c`
    ) as Repairer
  } catch {
    return undefined // e.g. a Content-Security-Policy without 'unsafe-eval'
  }
}

/** The same repair as `compileRepair`, as a loop (where `new Function` is not allowed). */
const repairNulls = (
  object: Record<string, unknown>,
  keys: ReadonlyArray<string>,
  repairs: ReadonlyArray<Repair>
): Record<string, unknown> => {
  let copy: Record<string, unknown> | undefined
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!
    const repair = repairs[i]!
    const value = object[key]
    if (value !== null && !(value === undefined && fillsMissing(repair) && !(key in object))) continue
    copy ??= { ...object }
    if (repair === "dropNull") delete copy[key]
    else copy[key] = emptyValue(repair) === "[]" ? [] : {}
  }
  return copy ?? object
}

/**
 * A request object: exactly `Schema.Struct`, with the generated interface as its type (built on
 * first use when given a function of its fields, as {@link struct}).
 */
export const strictStruct = <A>(fields: Fields): Codec<A> =>
  typeof fields === "function" ? lazy<A>(() => Schema.Struct(fields())) : (Schema.Struct(fields) as any)

/** A union of schemas with the generated union type. */
export const union = <A>(members: ReadonlyArray<Any>): Codec<A> => Schema.Union(members) as any

/** Gives a schema the static type of its generated declaration (no inference, no check). */
export const typed = <A>(schema: Any): Codec<A> => schema as any
