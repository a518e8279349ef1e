/**
 * The "normal form" of a response schema that transforms what it decodes (a tolerant struct,
 * a `Timestamp`, …): the same schema split into a plain function that prepares the wire value
 * and a schema without any transformation that checks the result.
 *
 * Why: Effect's Schema JIT compiles a schema to straight-line code only when nothing inside it
 * has a transformation; one transformed field (a `Timestamp`, a nested tolerant object) sends
 * every field of the object, and of its parents, through a parser call each (an absent optional
 * key also through a keyed `delete`). A tolerant struct therefore prepares its whole tree in one
 * pass (its fields' `normalize`, recursively) and checks it with the plain schemas of its fields,
 * which compile as one piece (the decode figure in `bench/RESULTS.md`).
 *
 * @example
 * ```ts
 * register(Timestamp, { plain: TimestampValueType, normalize: toTimestampValue, denormalize: toWire })
 * normalFormOf(Timestamp)?.plain // what a tolerant struct puts in its plain schema
 * ```
 */
import type * as Schema from "effect/Schema"

/** A function of one (JSON) value: never throws, never modifies its input (copies on change). */
export type Normalize = (value: unknown) => unknown

export interface NormalForm {
  /** The schema without transformations: checks what `normalize` made of the wire value. */
  readonly plain: Schema.Top
  /**
   * Wire value → the value `plain` checks (nulls repaired, times converted). A value it cannot
   * convert is returned as it is, for `plain` to reject with the usual issue and path.
   */
  readonly normalize: Normalize
  /** The way back, for encoding: what `plain` accepts → the wire value. */
  readonly denormalize: Normalize | undefined
}

const forms = new WeakMap<object, NormalForm>()

/** Records the normal form of `schema` (which itself keeps working on its own). */
export const register = <S extends Schema.Top>(schema: S, form: NormalForm): S => {
  forms.set(schema, form)
  return schema
}

/** The normal form of `schema`, if it has one. */
export const normalFormOf = (schema: Schema.Top): NormalForm | undefined => forms.get(schema)
