/**
 * The preparing pass of a tolerant struct, and its way back: one pure function per tree of
 * objects that repairs Go's nulls and prepares nested values (times, objects, their items), so
 * that the struct's check can use schemas that transform nothing, which Effect's Schema JIT
 * compiles whole (see `normalForm.ts`); and the test of whether a schema compiles whole.
 */
import type * as Schema from "effect/Schema"
import type { Normalize } from "./normalForm.js"

/**
 * How a tolerant struct repairs a field before checking it with its plain schema:
 * - `emptyArray` / `emptyRecord`: `null` or a missing key becomes `[]` / `{}` (required fields);
 * - `nullToEmptyArray` / `nullToEmptyRecord`: `null` becomes `[]` / `{}`, a missing key stays missing;
 * - `dropNull`: `null` becomes a missing key;
 * - `zero`: `null` or a missing key becomes the field's Go zero value (the step's `zero()`: `""`,
 *   `0`, `false`, `{}` for an object), then prepared as a present value (required fields).
 */
export type Repair =
  | "emptyArray"
  | "emptyRecord"
  | "nullToEmptyArray"
  | "nullToEmptyRecord"
  | "dropNull"
  | "zero"

/** One field that the struct's preparing pass (or its way back) has to look at. */
export interface FieldStep {
  readonly key: string
  readonly repair: Repair | undefined
  /** The wire value a `zero` repair puts in (a fresh one each call: `{}` may be filled in). */
  readonly zero?: (() => unknown) | undefined
  readonly normalize: Normalize | undefined
  readonly denormalize: Normalize | undefined
}

const wholeCache = new WeakMap<object, boolean>()

/**
 * Whether Effect's Schema JIT can compile `schema` as one piece: nothing in it transforms
 * (`encoding`), declares or suspends (its `codegen` calls such nodes unsupported).
 */
export const compilesWhole = (schema: Schema.Top): boolean => astCompilesWhole(schema.ast)

const astCompilesWhole = (ast: Schema.Top["ast"]): boolean => {
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

/**
 * The copy of an object the pass changes. A spread (`{ ...input }`) is V8's fastest copy, but its
 * map shares no transitions: each key then added to it costs a new map (an object missing 25 of
 * its fields, as Go's `omitempty` sends them, took 47 µs instead of 1.8 µs; `bench:decode`'s
 * sparse page). So a pass that will add a missing key copies with `Object.assign`, whose copy
 * takes new keys at the usual cost, and one that only replaces values spreads. (Not when the
 * input has an own `__proto__` key, which JSON may hold: `Object.assign` would set the copy's
 * prototype with it, a spread keeps it an own key.)
 */
const copyOf = (input: Record<string, unknown>, adds: boolean): Record<string, unknown> =>
  adds && !Object.hasOwn(input, "__proto__") ? Object.assign({}, input) : { ...input }

/** Whether `step` will add a key `input` lacks (a missing required field filled in). */
const addsKey = (step: FieldStep, input: Record<string, unknown>): boolean =>
  input[step.key] === undefined &&
  (step.repair === "zero" || (fillsMissing(step.repair) && !(step.key in input)))

/** The struct's preparing pass: repairs Go's nulls and prepares nested values, one object at a time. */
export const preparer =
  (steps: ReadonlyArray<FieldStep>): Normalize =>
  (input) => {
    if (!isObject(input)) return input
    let copy: Record<string, unknown> | undefined
    // Decided when a copy is first needed: an object the pass leaves alone costs nothing more.
    const copied = () =>
      copyOf(
        input,
        steps.some((step) => addsKey(step, input))
      )
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!
      const key = step.key
      const value = input[key]
      let next: unknown
      if (step.repair === "zero" && (value === null || value === undefined)) {
        const zero = step.zero!()
        next = step.normalize === undefined ? zero : step.normalize(zero)
      } else if (value === null && step.repair !== undefined) {
        if (step.repair === "dropNull") {
          copy ??= copied()
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
      copy ??= copied()
      copy[key] = next
    }
    return copy ?? input
  }

/**
 * The same pass as {@link preparer}, as straight-line code with literal keys where `new Function`
 * is allowed: a loop over the steps reads each key with a generic keyed load, and the pass is
 * about half of decoding a page.
 */
export const compilePreparer = (steps: ReadonlyArray<FieldStep>): Normalize | undefined => {
  const statements = steps.map((step, i) => {
    const k = JSON.stringify(step.key) // a string literal: keys come from the spec, never evaluated
    const set = (value: string) => `if(c===undefined)c=C(o);c[${k}]=${value}`
    let code = `v=o[${k}];`
    if (step.repair === "zero") {
      const prepare = step.normalize === undefined ? "" : `w=N[${i}](w);`
      code += `if(v===null||v===undefined){w=Z[${i}]();${prepare}${set("w")}}`
    } else if (step.repair === "dropNull") code += `if(v===null){if(c===undefined)c=C(o);delete c[${k}]}`
    else if (step.repair !== undefined) {
      const missing = fillsMissing(step.repair) ? `||(v===undefined&&!(${k} in o))` : ""
      const empty = step.repair === "emptyArray" || step.repair === "nullToEmptyArray" ? "[]" : "{}"
      code += `if(v===null${missing}){${set(empty)}}`
    }
    if (step.normalize !== undefined)
      code += `${step.repair === undefined ? "" : "else "}if(v!==undefined){w=N[${i}](v);if(w!==v){${set("w")}}}`
    return code
  })
  // The copy (see `copyOf`), decided when one is first needed: whether the object lacks a key
  // the pass fills in.
  const adding = steps
    .filter((step) => step.repair === "zero" || fillsMissing(step.repair))
    .map((step) => {
      const k = JSON.stringify(step.key)
      return step.repair === "zero" ? `o[${k}]===undefined` : `(o[${k}]===undefined&&!(${k} in o))`
    })
  const adds = adding.length === 0 ? "false" : adding.join("||")
  try {
    return new Function(
      "N",
      "Z",
      `"use strict";const C=(o)=>(${adds})&&!Object.hasOwn(o,"__proto__")?Object.assign({},o):{...o};` +
        `return function(o){if(typeof o!=="object"||o===null||Array.isArray(o))return o;let v,w,c;${statements.join(";")};return c===undefined?o:c}`
    )(
      steps.map((step) => step.normalize),
      steps.map((step) => step.zero)
    ) as Normalize
  } catch {
    return undefined // e.g. a Content-Security-Policy without 'unsafe-eval'
  }
}

/** The way back for encoding: nested values to their wire form (repairs are not undone). */
export const restorer =
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
