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
 * - {@link openString}: a string enum typed as its literals plus any other string;
 * - {@link struct}: unknown fields are dropped, never a failure.
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
import { Effect, Option, Schema, SchemaGetter } from "effect"

/** A schema as the generated code handles it: the static type comes from a generated interface. */
export type Any = Schema.Top

/** A schema decoding unknown JSON to `A`. */
export type Codec<A> = Schema.Codec<A, unknown>

const never = SchemaGetter.forbidden<never, unknown>(() => "tolerant null values are never encoded")

const nullTo = <A>(value: () => A): Any =>
  Schema.Null.pipe(
    Schema.decodeTo(Schema.Unknown, { decode: SchemaGetter.transform(value), encode: never as any })
  )

const nullAsMissing: Any = Schema.Null.pipe(
  Schema.decodeTo(Schema.Never, {
    decode: SchemaGetter.transformOptional(() => Option.none()),
    encode: never as any
  })
)

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
export const array = <A>(item: Any): Codec<ReadonlyArray<A>> =>
  Schema.Union([Schema.Array(item), nullAsEmptyArray]) as any

/** A string-keyed map that also accepts `null` (decoded as `{}`). */
export const record = <A>(value: Any): Codec<{ readonly [key: string]: A }> =>
  Schema.Union([Schema.Record(Schema.String, value), nullAsEmptyRecord]) as any

// The default is filled after the key decodes, towards `Schema.Unknown`: no second pass over
// the (possibly large) array, unlike `withDecodingDefaultKey`, which re-validates its target.
const withDefault = (schema: Any, value: () => unknown): Any =>
  Schema.optionalKey(schema).pipe(
    Schema.decodeTo(Schema.Unknown, {
      decode: SchemaGetter.withDefault(Effect.sync(value)),
      encode: SchemaGetter.passthrough()
    })
  )

/** A required array field: `null` or a missing key decode to `[]`. */
export const requiredArray = <A>(item: Any): Codec<ReadonlyArray<A>> =>
  withDefault(array(item), () => []) as any

/** A required map field: `null` or a missing key decode to `{}`. */
export const requiredRecord = <A>(value: Any): Codec<{ readonly [key: string]: A }> =>
  withDefault(record(value), () => ({})) as any

/** An optional key whose `null` value decodes as an absent key (for object-valued fields). */
export const optional = (schema: Any): Any => Schema.optionalKey(Schema.Union([schema, nullAsMissing]))

/**
 * A string enum as the server sends it: typed as the known literals plus `string & {}` (so
 * editors still suggest the literals), decoded as any string: `""` and new members pass.
 */
export const openString = <L extends string>(_literals: ReadonlyArray<L>): Codec<L | (string & {})> =>
  Schema.String as any

/**
 * A response object: the given fields, unknown fields dropped. `A` is the generated
 * interface; the schema itself is not asked to infer it (that keeps editors fast).
 */
export const struct = <A>(fields: Schema.Struct.Fields): Codec<A> => Schema.Struct(fields) as any

/** A request object: exactly `Schema.Struct`, with the generated interface as its type. */
export const strictStruct = <A>(fields: Schema.Struct.Fields): Codec<A> => Schema.Struct(fields) as any

/** A union of schemas with the generated union type. */
export const union = <A>(members: ReadonlyArray<Any>): Codec<A> => Schema.Union(members) as any

/** Gives a schema the static type of its generated declaration (no inference, no check). */
export const typed = <A>(schema: Any): Codec<A> => schema as any
