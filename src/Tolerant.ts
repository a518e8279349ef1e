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
 *   these three are fields of a {@link struct}, which does the repair;
 * - {@link openString}: a string enum typed as its literals plus any other string;
 * - {@link struct}: unknown fields are dropped, never a failure;
 * - {@link lazy} (and `struct` / `strictStruct` given a function of their fields): the schema is
 *   built on first use, not when its module is imported.
 *
 * Scalars stay plain (`Schema.String`, `Schema.Number`, …): Go sends them as values, and a
 * per-field fallback would double the cost of decoding a page.
 *
 * Speed: a struct prepares its whole tree in one pure pass (Go's nulls, times, nested objects
 * and their items) and checks the result with schemas that transform nothing, which Effect's
 * Schema JIT compiles to one straight-line function (see src/internal/normalForm.ts).
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
import * as Schema from "effect/Schema"
import * as SchemaGetter from "effect/SchemaGetter"
import { type NormalForm, type Normalize, normalFormOf, register } from "./internal/normalForm.js"

/** A schema as the generated code handles it: the static type comes from a generated interface. */
export type Any = Schema.Top

/** A schema decoding unknown JSON to `A`. */
export type Codec<A> = Schema.Codec<A, unknown>

/**
 * How {@link struct} repairs a field before checking it with its plain schema:
 * - `emptyArray` / `emptyRecord`: `null` or a missing key becomes `[]` / `{}` (required fields);
 * - `nullToEmptyArray` / `nullToEmptyRecord`: `null` becomes `[]` / `{}`, a missing key stays missing;
 * - `dropNull`: `null` becomes a missing key.
 */
type Repair = "emptyArray" | "emptyRecord" | "nullToEmptyArray" | "nullToEmptyRecord" | "dropNull"

/** A struct field split for the struct's one preparing pass (see src/internal/normalForm.ts). */
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
  /** Applied to a present value that was not repaired (a time, a nested object, its items). */
  readonly normalize: Normalize | undefined
  readonly denormalize: Normalize | undefined
}

// The field-only combinators (`requiredArray`, `requiredRecord`, `optional`) and the
// collections (`array`, `record`, also used on their own as a list response) record here what
// a struct does with them: Effect's Schema JIT compiles a struct to straight-line code only when
// none of its fields transforms anything (see src/internal/normalForm.ts).
const fieldForms = new WeakMap<object, FieldForm>()

const withFieldForm = <S extends Any>(schema: S, form: FieldForm): S => {
  fieldForms.set(schema, form)
  return schema
}

const transform = (f: Normalize) => SchemaGetter.transform<unknown, unknown>(f)
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
 * import * as Tolerant from "./Tolerant.js" // internal: used by the generated modules
 *
 * const Ids = Tolerant.lazy<ReadonlyArray<number>>(() => Tolerant.array(Schema.Number))
 * Schema.decodeUnknownSync(Ids)(null) // => [] (built here, on first use)
 * ```
 */
export const lazy = <A>(build: () => Any): Codec<A> => new LazySchema(build) as unknown as Codec<A>

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

/** The plain collection of `inner`, and how to prepare its items. */
const collectionForm = (kind: "array" | "record", inner: Any, repair: Repair): FieldForm => {
  const { plain, form } = normalOf(inner)
  const of = (item: Any) => (kind === "array" ? Schema.Array(item) : Schema.Record(Schema.String, item))
  const collection = of(plain)
  const each = kind === "array" ? eachItem : eachValue
  const normalize = form === undefined ? undefined : each(form.normalize)
  const denormalize = form?.denormalize === undefined ? undefined : each(form.denormalize)
  return {
    plain: collection,
    legacy: form === undefined ? collection : of(inner),
    repair,
    normalize,
    denormalize
  }
}

// What a collection accepts before its items are looked at: `null` or the collection. Not
// `Unknown`: inside a union (`string | string[]`), a member whose source is `Unknown` is tried
// on every input, and failing it builds an issue each time (a 2-8x slower decode).
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
 * A string enum as the server sends it: typed as the known literals plus `string & {}` (so
 * editors still suggest the literals), decoded as any string: `""` and new members pass.
 */
export const openString = <L extends string>(_literals: ReadonlyArray<L>): Codec<L | (string & {})> =>
  Schema.String as any

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

/** One field that the struct's preparing pass (or its way back) has to look at. */
interface FieldStep {
  readonly key: string
  readonly repair: Repair | undefined
  readonly normalize: Normalize | undefined
  readonly denormalize: Normalize | undefined
}

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
      steps.push({ key, repair: form.repair, normalize, denormalize })
  }
  if (steps.length === 0) return Schema.Struct(fields)
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
  return whole ? register(schema, { plain, normalize, denormalize }) : schema
}

const wholeCache = new WeakMap<object, boolean>()

/**
 * Whether Effect's Schema JIT can compile `schema` as one piece: nothing in it transforms
 * (`encoding`), declares or suspends (its `codegen` calls such nodes unsupported).
 */
const compilesWhole = (schema: Any): boolean => astCompilesWhole(schema.ast)

const astCompilesWhole = (ast: Any["ast"]): boolean => {
  const cached = wholeCache.get(ast)
  if (cached !== undefined) return cached
  let whole = ast.encoding === undefined && ast._tag !== "Declaration" && ast._tag !== "Suspend"
  if (whole) {
    switch (ast._tag) {
      case "Objects":
        whole =
          ast.propertySignatures.every((p) => astCompilesWhole(p.type)) &&
          ast.indexSignatures.every((i) => astCompilesWhole(i.parameter) && astCompilesWhole(i.type))
        break
      case "Arrays":
        whole = ast.elements.every(astCompilesWhole) && ast.rest.every(astCompilesWhole)
        break
      case "Union":
        whole = ast.types.every(astCompilesWhole)
        break
    }
  }
  wholeCache.set(ast, whole)
  return whole
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const fillsMissing = (repair: Repair | undefined): boolean =>
  repair === "emptyArray" || repair === "emptyRecord"

const emptyOf = (repair: Repair): unknown =>
  repair === "emptyArray" || repair === "nullToEmptyArray" ? [] : {}

/** The struct's preparing pass: repairs Go's nulls and prepares nested values, one object at a time. */
const preparer =
  (steps: ReadonlyArray<FieldStep>): Normalize =>
  (input) => {
    if (!isObject(input)) return input
    let copy: Record<string, unknown> | undefined
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!
      const key = step.key
      const value = input[key]
      let next: unknown
      if (value === null && step.repair !== undefined) {
        if (step.repair === "dropNull") {
          copy ??= { ...input }
          delete copy[key]
          continue
        }
        next = emptyOf(step.repair)
      } else if (value === undefined) {
        if (!fillsMissing(step.repair) || key in input) continue
        next = emptyOf(step.repair!)
      } else if (step.normalize !== undefined) {
        next = step.normalize(value)
        if (next === value) continue
      } else continue
      copy ??= { ...input }
      copy[key] = next
    }
    return copy ?? input
  }

/**
 * The same pass as {@link preparer}, as straight-line code with literal keys where `new Function`
 * is allowed: a loop over the steps reads each key with a generic keyed load, and the pass is
 * about half of decoding a page.
 */
const compilePreparer = (steps: ReadonlyArray<FieldStep>): Normalize | undefined => {
  const statements = steps.map((step, i) => {
    const k = JSON.stringify(step.key) // a string literal: keys come from the spec, never evaluated
    const set = (value: string) => `if(c===undefined)c={...o};c[${k}]=${value}`
    let code = `v=o[${k}];`
    if (step.repair === "dropNull") code += `if(v===null){if(c===undefined)c={...o};delete c[${k}]}`
    else if (step.repair !== undefined) {
      const missing = fillsMissing(step.repair) ? `||(v===undefined&&!(${k} in o))` : ""
      const empty = step.repair === "emptyArray" || step.repair === "nullToEmptyArray" ? "[]" : "{}"
      code += `if(v===null${missing}){${set(empty)}}`
    }
    if (step.normalize !== undefined)
      code += `${step.repair === undefined ? "" : "else "}if(v!==undefined){w=N[${i}](v);if(w!==v){${set("w")}}}`
    return code
  })
  try {
    return new Function(
      "N",
      `"use strict";return function(o){if(typeof o!=="object"||o===null||Array.isArray(o))return o;let v,w,c;${statements.join(";")};return c===undefined?o:c}`
    )(steps.map((step) => step.normalize)) as Normalize
  } catch {
    return undefined // e.g. a Content-Security-Policy without 'unsafe-eval'
  }
}

/** The way back for encoding: nested values to their wire form (repairs are not undone). */
const restorer =
  (steps: ReadonlyArray<FieldStep>): Normalize =>
  (input) => {
    if (!isObject(input)) return input
    let copy: Record<string, unknown> | undefined
    for (const step of steps) {
      const value = input[step.key]
      if (value === undefined) continue
      const next = step.denormalize!(value)
      if (next === value) continue
      copy ??= { ...input }
      copy[step.key] = next
    }
    return copy ?? input
  }

/**
 * A request object: exactly `Schema.Struct`, with the generated interface as its type (built on
 * first use when given a function of its fields, as {@link struct}).
 */
export const strictStruct = <A>(fields: Fields): Codec<A> =>
  typeof fields === "function" ? lazy<A>(() => Schema.Struct(fields())) : (Schema.Struct(fields) as any)

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
