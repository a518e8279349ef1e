/**
 * JSON Schema → TypeScript type text + Effect `Schema` code, in one of two modes:
 *
 * - `response`: tolerant (see src/Tolerant.ts). Every property is optional in the type except
 *   arrays and maps, which decode `null`/missing as empty; enums are open strings; time fields
 *   decode to `Timestamp` / `TimestampMillis`; credentials (see secretFields.ts) decode to
 *   `Redacted<string>`.
 * - `request`: strict. Required stays required, enums are literal unions, integers are checked,
 *   numbers, strings and arrays carry the spec's bounds (`minimum`, `maxLength`, `maxItems`, …),
 *   time fields accept `number | Date | DateTime` (`TimeInput` / `TimeInputMillis`).
 *
 * Every call in emitted code is marked `/*#__PURE__*\/` so that bundlers drop the schemas a
 * program does not use.
 */

import { propertyKey } from "./naming.js"
import { type SecretDecision, secretFieldWhy } from "./secretFields.js"
import type { JsonSchema } from "./spec.js"
import { refName } from "./spec.js"
import { timeUnitOf } from "./timeFields.js"

export type Mode = "request" | "response"

export interface Emitted {
  readonly type: string
  readonly runtime: string
}

/** A time-field decision, for the reviewers' list. */
export interface TimeDecision {
  readonly owner: string
  readonly field: string
  readonly mode: Mode
  readonly unit: "seconds" | "millis"
}

const pure = (fn: string, ...args: ReadonlyArray<string>): string => `/*#__PURE__*/ ${fn}(${args.join(", ")})`

/** A JSDoc block (or nothing) for a description; `*\/` cannot end it early. */
export const docComment = (lines: ReadonlyArray<string | undefined>, indent = ""): string => {
  const text = lines
    .filter((l): l is string => l !== undefined && l.trim() !== "")
    .join("\n\n")
    .replace(/\*\//g, "*\\/")
  if (text === "") return ""
  return `${indent}/**\n${text
    .split("\n")
    .map((l) => `${indent} *${l === "" ? "" : ` ${l}`}`)
    .join("\n")}\n${indent} */\n`
}

const typesOf = (schema: JsonSchema): ReadonlyArray<string> =>
  schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type as string]

const isNullable = (schema: JsonSchema): boolean =>
  schema.nullable === true || typesOf(schema).includes("null")

const literalType = (v: unknown): string => JSON.stringify(v)

/** `{ type: "null" }`: a schema that allows `null` and nothing else. */
const isNullOnly = (schema: JsonSchema): boolean =>
  schema.$ref === undefined && typesOf(schema).length > 0 && typesOf(schema).every((t) => t === "null")

const nullOnly: Emitted = { type: "null", runtime: "Schema.Null" }

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v)

/**
 * `minimum`/`maximum` and their exclusive forms (3.1 numbers, or 3.0 booleans) as `Schema`
 * checks: one `isBetween` when both ends are known, else one bound.
 */
export const numberChecks = (schema: JsonSchema): ReadonlyArray<string> => {
  const lower = finite(schema.exclusiveMinimum)
    ? { value: schema.exclusiveMinimum, exclusive: true }
    : finite(schema.minimum)
      ? { value: schema.minimum, exclusive: schema.exclusiveMinimum === true }
      : undefined
  const upper = finite(schema.exclusiveMaximum)
    ? { value: schema.exclusiveMaximum, exclusive: true }
    : finite(schema.maximum)
      ? { value: schema.maximum, exclusive: schema.exclusiveMaximum === true }
      : undefined
  if (lower !== undefined && upper !== undefined) {
    const flags = `${lower.exclusive ? ", exclusiveMinimum: true" : ""}${upper.exclusive ? ", exclusiveMaximum: true" : ""}`
    return [pure("Schema.isBetween", `{ minimum: ${lower.value}, maximum: ${upper.value}${flags} }`)]
  }
  if (lower !== undefined)
    return [
      pure(lower.exclusive ? "Schema.isGreaterThan" : "Schema.isGreaterThanOrEqualTo", `${lower.value}`)
    ]
  if (upper !== undefined)
    return [pure(upper.exclusive ? "Schema.isLessThan" : "Schema.isLessThanOrEqualTo", `${upper.value}`)]
  return []
}

/**
 * `minLength`/`maxLength` (strings, counted in code points as JSON Schema counts them, so an
 * emoji is one) and `minItems`/`maxItems` (arrays) as `Schema` checks. `pattern` is left out:
 * the spec's patterns are written for Go's regexp (`(?P<name>…)`), not JavaScript's.
 */
export const lengthChecks = (schema: JsonSchema, kind: "string" | "array"): ReadonlyArray<string> => {
  const [minKey, maxKey] = kind === "string" ? ["minLength", "maxLength"] : ["minItems", "maxItems"]
  const [min, max] = [schema[minKey], schema[maxKey]]
  const unit = kind === "string" ? "CodePoints" : "Length"
  const checks: Array<string> = []
  if (finite(min) && min > 0) checks.push(pure(`Schema.isMin${unit}`, `${min}`))
  if (finite(max)) checks.push(pure(`Schema.isMax${unit}`, `${max}`))
  return checks
}

export interface EmitterContext {
  readonly components: Readonly<Record<string, JsonSchema>>
  /** The identifier of a component's schema in a mode (`AssignedTo`, `AssignedToInput`). */
  readonly nameOf: (component: string, mode: Mode) => string
  /** Called for every component reference (for imports and ordering). */
  readonly onReference: (component: string, mode: Mode) => void
  readonly onTimeField: (decision: TimeDecision) => void
  readonly onSecretField: (decision: SecretDecision) => void
}

export class SchemaEmitter {
  constructor(
    readonly ctx: EmitterContext,
    readonly mode: Mode
  ) {}

  resolve(schema: JsonSchema): JsonSchema {
    let s = schema
    for (let i = 0; s.$ref !== undefined && i < 20; i++) s = this.ctx.components[refName(s.$ref)]!
    return s
  }

  /** `allOf` members merged into one object schema (properties and `required` united). */
  flatten(schema: JsonSchema): JsonSchema {
    const s = this.resolve(schema)
    if (s.allOf === undefined) return s
    const properties: Record<string, JsonSchema> = { ...(s.properties ?? {}) }
    const required = new Set(s.required ?? [])
    let additional: JsonSchema["additionalProperties"] = s.additionalProperties
    for (const part of s.allOf) {
      const p = this.flatten(part)
      Object.assign(properties, p.properties ?? {})
      for (const r of p.required ?? []) required.add(r)
      if (p.additionalProperties !== undefined && additional === undefined)
        additional = p.additionalProperties
    }
    const { allOf: _allOf, ...rest } = s
    return {
      ...rest,
      type: "object",
      properties,
      required: [...required],
      ...(additional === undefined ? {} : { additionalProperties: additional })
    }
  }

  private isObjectLike(schema: JsonSchema): boolean {
    const s = this.flatten(schema)
    return (
      s.properties !== undefined || (typesOf(s).includes("object") && s.additionalProperties === undefined)
    )
  }

  private members(schema: JsonSchema): ReadonlyArray<JsonSchema> | undefined {
    return schema.oneOf ?? schema.anyOf
  }

  /** The type and runtime of a schema at `owner` (used for naming time-field decisions). */
  emit(schema: JsonSchema, owner: string): Emitted {
    if (schema.$ref !== undefined) {
      const component = refName(schema.$ref)
      this.ctx.onReference(component, this.mode)
      const name = this.ctx.nameOf(component, this.mode)
      return { type: name, runtime: name }
    }
    if (schema.allOf !== undefined) return this.emitObject(this.flatten(schema), owner)
    const members = this.members(schema)
    if (members !== undefined) return this.emitUnion(members, owner)
    // `{ type: "null" }` in a request: `null`, not `unknown` (as a union member, see `emitUnion`).
    // A response that is only `null` ("always null on success") stays `unknown`: tolerant.
    if (this.mode === "request" && isNullOnly(schema)) return nullOnly
    const types = typesOf(schema).filter((t) => t !== "null")
    const nullable = isNullable(schema)
    const base = this.emitBase(schema, types, owner)
    if (!nullable || types.length === 0) return base
    // Tolerant collections already turn `null` into an empty value.
    if (
      this.mode === "response" &&
      (types[0] === "array" || (types[0] === "object" && schema.properties === undefined))
    )
      return base
    return { type: `${base.type} | null`, runtime: pure("Schema.NullOr", base.runtime) }
  }

  private emitBase(schema: JsonSchema, types: ReadonlyArray<string>, owner: string): Emitted {
    if (types.length > 1) {
      const parts = types.map((t) => this.emitBase({ ...schema, type: t }, [t], owner))
      return this.union(parts)
    }
    if (schema.const !== undefined) {
      return this.mode === "request"
        ? { type: literalType(schema.const), runtime: pure("Schema.Literal", literalType(schema.const)) }
        : this.openEnum([schema.const])
    }
    switch (types[0]) {
      case "string":
        if (schema.enum !== undefined) {
          return this.mode === "request"
            ? {
                type: schema.enum.map(literalType).join(" | "),
                runtime: pure("Schema.Literals", `[${schema.enum.map(literalType).join(", ")}]`)
              }
            : this.openEnum(schema.enum)
        }
        return { type: "string", runtime: this.bounded("Schema.String", lengthChecks(schema, "string")) }
      case "integer":
      case "number": {
        if (schema.enum !== undefined && this.mode === "request") {
          return {
            type: schema.enum.map(literalType).join(" | "),
            runtime: pure("Schema.Literals", `[${schema.enum.map(literalType).join(", ")}]`)
          }
        }
        return {
          type: "number",
          runtime: this.bounded(
            this.mode === "request" && types[0] === "integer" ? "Tolerant.int" : "Schema.Number",
            numberChecks(schema)
          )
        }
      }
      case "boolean":
        return { type: "boolean", runtime: "Schema.Boolean" }
      case "null":
        return { type: "null", runtime: "Schema.Null" }
      case "array": {
        const item =
          schema.items === undefined
            ? { type: "unknown", runtime: "Schema.Unknown" }
            : this.emit(schema.items, `${owner}[]`)
        return {
          type: `ReadonlyArray<${item.type}>`,
          runtime:
            this.mode === "response"
              ? pure("Tolerant.array", item.runtime)
              : this.bounded(pure("Schema.Array", item.runtime), lengthChecks(schema, "array"))
        }
      }
      case "object":
        return this.emitObject(schema, owner)
      default:
        return { type: "unknown", runtime: "Schema.Unknown" }
    }
  }

  /**
   * `runtime` with the spec's bound checks, in request mode only: an out-of-range request is
   * refused before sending, while a response outside its documented bounds still decodes.
   */
  private bounded(runtime: string, checks: ReadonlyArray<string>): string {
    if (this.mode === "response" || checks.length === 0) return runtime
    return pure(`${runtime.replace(/^\/\*#__PURE__\*\/ /, "")}.check`, ...checks)
  }

  private openEnum(values: ReadonlyArray<unknown>): Emitted {
    const strings = values.filter((v): v is string => typeof v === "string" && v !== "")
    if (strings.length === 0) return { type: "string", runtime: "Schema.String" }
    return {
      type: `${strings.map(literalType).join(" | ")} | (string & {})`,
      runtime: "Schema.String"
    }
  }

  private union(parts: ReadonlyArray<Emitted>): Emitted {
    const types = [...new Set(parts.map((p) => p.type))]
    return {
      type: types.map((t) => (t.includes("=>") ? `(${t})` : t)).join(" | "),
      runtime: pure("Tolerant.union", `[${parts.map((p) => p.runtime).join(", ")}]`)
    }
  }

  private emitUnion(members: ReadonlyArray<JsonSchema>, owner: string): Emitted {
    const objects = members.filter((m) => this.isObjectLike(m))
    if (this.mode === "response" && objects.length === members.length && members.length > 1) {
      // All-optional object members would all match the first one and lose the others'
      // fields: decode the union of their properties, type it as the union of the members.
      const merged: Record<string, JsonSchema> = {}
      for (const m of members) {
        for (const [k, v] of Object.entries(this.flatten(m).properties ?? {})) {
          const prev = merged[k]
          merged[k] =
            prev === undefined || JSON.stringify(prev) === JSON.stringify(v) ? v : { oneOf: [prev, v] }
        }
      }
      const runtime = this.emitObject({ type: "object", properties: merged }, owner).runtime
      const types = members.map((m) => this.emit(m, owner).type)
      return { type: [...new Set(types)].join(" | "), runtime }
    }
    // `anyOf: [X, { type: "null" }]`: `X | null` (a lone `null` member would otherwise be `unknown`).
    return this.union(members.map((m) => (isNullOnly(m) ? nullOnly : this.emit(m, owner))))
  }

  /** Whether a response property decodes `null`/missing to an empty collection. */
  private collectionKind(schema: JsonSchema): "array" | "record" | "object" | undefined {
    if (this.members(schema) !== undefined) return "object"
    // A union of objects behind a `$ref` is an object field too (Go sends `null` for a nil one).
    const referenced = this.members(this.resolve(schema))
    if (referenced?.every((m) => this.isObjectLike(m))) return "object"
    const s = this.flatten(schema)
    const types = typesOf(s)
    if (types.includes("array")) return "array"
    if (types.includes("object") || s.properties !== undefined) {
      return s.properties === undefined && s.additionalProperties !== false ? "record" : "object"
    }
    return undefined
  }

  emitObject(schema: JsonSchema, owner: string): Emitted {
    const properties = schema.properties ?? {}
    const names = Object.keys(properties)
    if (names.length === 0 && schema.additionalProperties === false) {
      // `additionalProperties: false` and no property: the empty object, nothing else.
      return {
        type: "{ readonly [key: string]: never }",
        runtime:
          this.mode === "response" ? pure("Tolerant.struct", "{}") : pure("Tolerant.strictStruct", "{}")
      }
    }
    if (names.length === 0) {
      const value =
        typeof schema.additionalProperties === "object"
          ? this.emit(schema.additionalProperties, `${owner}{}`)
          : { type: "unknown", runtime: "Schema.Unknown" }
      return {
        type: `{ readonly [key: string]: ${value.type} }`,
        runtime:
          this.mode === "response"
            ? pure("Tolerant.record", value.runtime)
            : pure("Schema.Record", "Schema.String", value.runtime)
      }
    }
    const required = new Set(schema.required ?? [])
    const typeLines: Array<string> = []
    const fieldLines: Array<string> = []
    for (const name of names) {
      const field = this.emitField(name, properties[name]!, required.has(name), owner)
      typeLines.push(field.type)
      fieldLines.push(field.runtime)
    }
    return {
      type: `{\n${typeLines.join("\n")}\n}`,
      runtime: pure(
        this.mode === "response" ? "Tolerant.struct" : "Tolerant.strictStruct",
        `{\n${fieldLines.join(",\n")}\n}`
      )
    }
  }

  private emitField(name: string, schema: JsonSchema, required: boolean, owner: string): Emitted {
    const key = propertyKey(name)
    const resolved = this.resolve(schema)
    const unit = schema.$ref === undefined ? timeUnitOf(name, schema) : undefined
    const docWith = (note?: string) =>
      docComment(
        [
          schema.description ?? (schema.$ref === undefined ? undefined : resolved.description),
          note,
          schema.deprecated === true ? "@deprecated" : undefined
        ],
        "  "
      )
    const doc = docWith()
    let value: Emitted
    if (unit !== undefined) {
      this.ctx.onTimeField({ owner, field: name, mode: this.mode, unit })
      const nullable = isNullable(schema)
      value =
        this.mode === "response"
          ? { type: "Timestamp", runtime: unit === "millis" ? "TimestampMillis" : "Timestamp" }
          : {
              type: nullable ? "TimeInput | null" : "TimeInput",
              runtime: nullable
                ? pure("Schema.NullOr", unit === "millis" ? "TimeInputMillis" : "TimeInput")
                : unit === "millis"
                  ? "TimeInputMillis"
                  : "TimeInput"
            }
    } else {
      value = this.emit(schema, `${owner}.${name}`)
    }
    const secret =
      this.mode === "response" && unit === undefined && schema.$ref === undefined
        ? secretFieldWhy(owner, name, schema)
        : undefined
    if (secret !== undefined) {
      // A credential: `Redacted` in the type, `null` decoded as absent like an object field's.
      this.ctx.onSecretField({ owner, field: name, why: secret })
      return {
        type: `${doc}  readonly ${key}?: Redacted.Redacted<string>`,
        runtime: `${key}: ${pure("Tolerant.optional", "Tolerant.secret")}`
      }
    }
    if (this.mode === "request") {
      // An optional field may be given as `undefined` (what TypeScript allows without
      // `exactOptionalPropertyTypes`): it is absent, never sent (`Schema.optional`).
      return {
        type: `${doc}  readonly ${key}${required ? "" : "?"}: ${value.type}${required ? "" : " | undefined"}`,
        runtime: `${key}: ${required ? value.runtime : pure("Schema.optional", value.runtime)}`
      }
    }
    const kind = unit === undefined ? this.collectionKind(schema) : undefined
    const keepAbsent =
      schema["x-flashduty-preserve-absence"] === true || resolved["x-flashduty-preserve-absence"] === true
    const inner =
      kind === "array" || kind === "record" ? this.requiredCollection(value.runtime, kind) : undefined
    if (inner !== undefined && required && !keepAbsent) {
      // `null` and a missing key both decode to the empty collection: the key stays required.
      return { type: `${doc}  readonly ${key}: ${value.type}`, runtime: `${key}: ${inner}` }
    }
    const zero = required && !keepAbsent && inner === undefined ? this.goZero(schema, unit, kind) : undefined
    if (zero !== undefined) {
      // Required, as the spec says: when the server omits it (or sends `null`), the value Go
      // would have given: `""`, `0`, `false`, an unset timestamp, a nested object of such values.
      return {
        type: `${doc}  readonly ${key}: ${value.type}`,
        runtime: `${key}: ${pure("Tolerant.required", value.runtime, zero)}`
      }
    }
    // An optional object or scalar (Go: a pointer): `null` is a nil one and decodes as absent,
    // as Go would leave it. Collections have their own `null` repair; a nullable or untyped
    // value keeps its `null`; a time keeps `Timestamp`'s own reading.
    const scalar =
      kind === undefined &&
      unit === undefined &&
      typesOf(this.flatten(schema)).some(
        (t) => t === "string" || t === "number" || t === "integer" || t === "boolean"
      )
    const runtime =
      (kind === "object" || scalar) && !isNullable(schema)
        ? pure("Tolerant.optional", value.runtime)
        : pure("Schema.optionalKey", value.runtime)
    // A required field with no zero value stays optional, and its doc says why.
    const note = !required
      ? undefined
      : keepAbsent
        ? "Required by the spec, optional here: the server leaves it out when it has no value, and its absence means something."
        : "Required by the spec, optional here: no zero value stands for it (a union, a constant or an untyped value) when the server leaves it out."
    return { type: `${docWith(note)}  readonly ${key}?: ${value.type}`, runtime: `${key}: ${runtime}` }
  }

  /**
   * The Go zero value of a required response field, as source text: `null` for a nullable one,
   * `0` for a time (unset), `""`, `0`, `false`, `{}` for an object (its own fields then get
   * theirs); `undefined` where no zero value means anything (a union, a constant, `unknown`),
   * which then stays optional.
   */
  private goZero(schema: JsonSchema, unit: string | undefined, kind: string | undefined): string | undefined {
    if (unit !== undefined) return "0"
    if (isNullable(schema)) return "null"
    const resolved = this.resolve(schema)
    if (this.members(schema) !== undefined || this.members(resolved) !== undefined) return undefined
    if (kind === "object")
      return resolved.properties !== undefined || resolved.allOf !== undefined ? "{}" : undefined
    const flat = this.flatten(resolved)
    if (flat.const !== undefined) return undefined
    const types = typesOf(flat).filter((t) => t !== "null")
    if (types.length !== 1) return undefined
    switch (types[0]) {
      case "string":
        return flat.format === "binary" ? undefined : '""'
      case "integer":
      case "number":
        return "0"
      case "boolean":
        return "false"
      default:
        return undefined
    }
  }

  /** `Tolerant.array(X)` → `Tolerant.requiredArray(X)`; `undefined` for a referenced collection. */
  private requiredCollection(runtime: string, kind: "array" | "record"): string | undefined {
    const prefix = `/*#__PURE__*/ Tolerant.${kind}(`
    if (!runtime.startsWith(prefix) || !runtime.endsWith(")")) return undefined
    return `/*#__PURE__*/ Tolerant.required${kind === "array" ? "Array" : "Record"}(${runtime.slice(prefix.length, -1)})`
  }
}
