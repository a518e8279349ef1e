/**
 * The JSON text (POST body) and query parameters (GET) of an encoded request. Fields typed
 * `unknown` can hold anything a caller puts there, and `JSON.stringify` throws on some of it
 * (BigInt, cycles, a throwing `toJSON`) and silently drops or corrupts more (NaN → null,
 * functions and Symbols dropped, a Map → `{}`): here each is a problem naming the field,
 * so nothing is sent. For what JSON can carry, the text is byte-identical to `JSON.stringify`.
 */
import * as Result from "effect/Result"

/** Where and why a value cannot be sent as JSON. `path` is dotted like the SDK's other paths: `labels.env`, `items.0.title` ("" for the root). */
export interface JsonProblem {
  readonly path: string
  readonly message: string
}

/** Deeper than any real request, shallow enough that the walk never overflows the stack. */
const maxDepth = 512

/** A problem on its way out of the walk: each enclosing level adds its key, so a valid walk never builds a path. */
class Found {
  readonly reversedPath: Array<string> = []
  constructor(readonly message: string) {}
  at(key: string): Found {
    this.reversedPath.push(key)
    return this
  }
  toProblem(): JsonProblem {
    return { path: this.reversedPath.reverse().join("."), message: this.message }
  }
}

/** What one value gives: its JSON text, `undefined` when JSON omits it, or a problem. */
type Piece = string | undefined | Found

/** The thrown value's message, short, so a problem never echoes a whole (possibly secret) value. */
const describeThrown = (thrown: unknown): string => {
  let text: string
  try {
    text = thrown instanceof Error ? String(thrown.message) : String(thrown)
  } catch {
    text = "(an unprintable value)"
  }
  return text.length > 100 ? `${text.slice(0, 100)}…` : text
}

/** "a Map", "an ArrayBuffer". */
const withArticle = (name: string): string => (/^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`)

/** Characters `JSON.stringify` may escape: quote, backslash, control characters and surrogates (lone ones). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what JSON escapes.
const needsEscape = /["\\\u0000-\u001f\ud800-\udfff]/

/** A JSON string literal, escaped exactly as `JSON.stringify` does; the common plain case skips the native call. */
const quote = (text: string): string => (needsEscape.test(text) ? JSON.stringify(text) : `"${text}"`)

const dateToJSON = Date.prototype.toJSON
const dateGetTime = Date.prototype.getTime
const isEnumerable = Object.prototype.propertyIsEnumerable

/** Objects `JSON.stringify` turns into `{}` or index-keyed objects, losing their contents. */
const lossyClasses: ReadonlyArray<readonly [Function, string]> = [
  [Map, "a Map cannot be sent as JSON (convert it with Object.fromEntries first)"],
  [Set, "a Set cannot be sent as JSON (convert it to an array first)"],
  [WeakMap, "a WeakMap cannot be sent as JSON"],
  [WeakSet, "a WeakSet cannot be sent as JSON"],
  [Promise, "a Promise cannot be sent as JSON (await it first)"],
  [RegExp, "a RegExp cannot be sent as JSON (send its source as a string)"],
  [Error, "an Error cannot be sent as JSON (send its message as a string)"],
  [ArrayBuffer, "an ArrayBuffer cannot be sent as JSON"],
  ...(typeof SharedArrayBuffer === "function"
    ? [[SharedArrayBuffer, "a SharedArrayBuffer cannot be sent as JSON"] as const]
    : []),
  ...(typeof WeakRef === "function" ? [[WeakRef, "a WeakRef cannot be sent as JSON"] as const] : [])
]

/** Why a class instance would lose data as JSON, or `undefined` when its own keys are its data. */
const lossyReason = (value: object): string | undefined => {
  if (ArrayBuffer.isView(value)) {
    return `${withArticle(Object.prototype.toString.call(value).slice(8, -1))} cannot be sent as JSON`
  }
  for (const [lossy, reason] of lossyClasses) if (value instanceof lossy) return reason
  return undefined
}

/** The first own enumerable Symbol key, which `JSON.stringify` would drop. */
const enumerableSymbolKey = (value: object): symbol | undefined => {
  for (const key of Object.getOwnPropertySymbols(value)) if (isEnumerable.call(value, key)) return key
  return undefined
}

/** Refuses a container nested too deep or already being walked (a cycle); otherwise makes it an ancestor. */
const enter = (value: object, ancestors: Array<object>): Found | undefined => {
  if (ancestors.length >= maxDepth) {
    return new Found(`is nested more than ${maxDepth} levels deep, so it cannot be sent as JSON`)
  }
  if (ancestors.includes(value)) {
    return new Found("refers back to an enclosing object, so it cannot be sent as JSON")
  }
  ancestors.push(value)
  return undefined
}

/** A finite number's text (`-0` is `0`, as in `JSON.stringify`); NaN and ±Infinity would become null. */
const numberPiece = (value: number, target: string): string | Found =>
  Number.isFinite(value) ? String(value) : new Found(`${value} cannot be sent as ${target}`)

/** One member of an object or array; a throwing getter or Proxy trap is a problem at that member. */
const memberPiece = (holder: any, key: string | number, ancestors: Array<object>): Piece => {
  try {
    return piece(holder[key], key, ancestors)
  } catch (thrown) {
    return new Found(`could not be read: ${describeThrown(thrown)}`)
  }
}

const objectPiece = (value: object, ancestors: Array<object>): Piece => {
  const refused = enter(value, ancestors)
  if (refused !== undefined) return refused
  let text = "{"
  let first = true
  for (const key of Object.keys(value)) {
    const member = memberPiece(value, key, ancestors)
    if (member === undefined) continue
    if (typeof member !== "string") return member.at(key)
    text += first ? `${quote(key)}:${member}` : `,${quote(key)}:${member}`
    first = false
  }
  const symbolKey = enumerableSymbolKey(value)
  if (symbolKey !== undefined) return new Found("a Symbol key cannot be sent as JSON").at(String(symbolKey))
  ancestors.pop()
  return `${text}}`
}

const arrayPiece = (value: ReadonlyArray<unknown>, ancestors: Array<object>): Piece => {
  const refused = enter(value, ancestors)
  if (refused !== undefined) return refused
  let text = "["
  const length = value.length
  for (let index = 0; index < length; index++) {
    const item = memberPiece(value, index, ancestors)
    if (typeof item !== "string") {
      const found = item ?? new Found("undefined cannot be sent as JSON in an array (it would become null)")
      return found.at(String(index))
    }
    text += index === 0 ? item : `,${item}`
  }
  ancestors.pop()
  return `${text}]`
}

/** A class instance: a boxed primitive is its value, a Map and the like are refused, anything else is its own keys. */
const instancePiece = (value: object, ancestors: Array<object>): Piece => {
  if (value instanceof Number) return numberPiece(Number(value), "JSON")
  if (value instanceof String) return quote(String(value))
  if (value instanceof Boolean) return Boolean.prototype.valueOf.call(value) ? "true" : "false"
  if (value instanceof BigInt) return new Found("a BigInt cannot be sent as JSON (send it as a string)")
  const reason = lossyReason(value)
  return reason === undefined ? objectPiece(value, ancestors) : new Found(reason)
}

/** The JSON text of one value, following `JSON.stringify`'s steps (toJSON, unboxing, then by type). */
const piece = (input: unknown, key: string | number, ancestors: Array<object>): Piece => {
  let value = input
  if (typeof value === "object" ? value !== null : typeof value === "function" || typeof value === "bigint") {
    const toJSON = (value as { readonly toJSON?: unknown }).toJSON
    if (typeof toJSON === "function") {
      if (toJSON === dateToJSON && value instanceof Date && Number.isNaN(dateGetTime.call(value))) {
        return new Found("an invalid Date cannot be sent as JSON")
      }
      try {
        value = toJSON.call(value, String(key))
      } catch (thrown) {
        return new Found(`its toJSON() threw: ${describeThrown(thrown)}`)
      }
    }
  }
  switch (typeof value) {
    case "string":
      return quote(value)
    case "number":
      return numberPiece(value, "JSON")
    case "boolean":
      return value ? "true" : "false"
    case "undefined":
      return undefined
    case "bigint":
      return new Found("a BigInt cannot be sent as JSON (send it as a string)")
    case "symbol":
      return new Found("a Symbol cannot be sent as JSON")
    case "function":
      return new Found("a function cannot be sent as JSON")
  }
  if (value === null) return "null"
  // Every other type returned above: what is left is an object.
  const container = value as object
  if (Array.isArray(container)) return arrayPiece(container, ancestors)
  const prototype = Object.getPrototypeOf(container)
  return prototype === Object.prototype || prototype === null
    ? objectPiece(container, ancestors)
    : instancePiece(container, ancestors)
}

/** The whole walk, from the root; anything thrown that no member caught is a problem at the root. */
const rootPiece = (value: unknown): Piece => {
  try {
    return piece(value, "", [])
  } catch (thrown) {
    return new Found(`could not be read: ${describeThrown(thrown)}`)
  }
}

/**
 * The JSON text of `value`, or the first problem; never throws.
 *
 * @example
 * ```ts
 * toJsonText({ title: "disk full", at: new Date(0) })
 * // Result.succeed('{"title":"disk full","at":"1970-01-01T00:00:00.000Z"}')
 * toJsonText({ labels: { env: Number.NaN } })
 * // Result.fail({ path: "labels.env", message: "NaN cannot be sent as JSON" })
 * ```
 */
export const toJsonText = (value: unknown): Result.Result<string, JsonProblem> => {
  const text = rootPiece(value)
  if (typeof text === "string") return Result.succeed(text)
  return Result.fail((text ?? new Found("undefined cannot be sent as JSON")).toProblem())
}

/** One query value: a scalar as its text (a BigInt as its digits, lossless), an object as its JSON text. */
const paramPiece = (value: unknown): string | Found => {
  switch (typeof value) {
    case "string":
      return value
    case "number":
      return numberPiece(value, "a query parameter")
    case "boolean":
    case "bigint":
      return String(value)
    case "symbol":
      return new Found("a Symbol cannot be sent as a query parameter")
    case "function":
      return new Found("a function cannot be sent as a query parameter")
  }
  return piece(value, "", []) ?? new Found("its toJSON() returned undefined, so it cannot be sent")
}

/** The parameters of one key: an array repeats the key, `undefined`/`null` are omitted. */
const addParams = (
  params: Array<readonly [string, string]>,
  key: string,
  value: unknown
): Found | undefined => {
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value)) {
    const text = paramPiece(value)
    if (typeof text !== "string") return text.at(key)
    params.push([key, text])
    return undefined
  }
  for (let index = 0; index < value.length; index++) {
    const item = value[index]
    if (item === undefined || item === null) continue
    const text = paramPiece(item)
    if (typeof text !== "string") return text.at(String(index)).at(key)
    params.push([key, text])
  }
  return undefined
}

/** Every key's parameters, or the first problem; a throwing getter is a problem at its key. */
const collectParams = (input: object): Array<readonly [string, string]> | Found => {
  const params: Array<readonly [string, string]> = []
  for (const key of Object.keys(input)) {
    let found: Found | undefined
    try {
      found = addParams(params, key, (input as Record<string, unknown>)[key])
    } catch (thrown) {
      found = new Found(`could not be read: ${describeThrown(thrown)}`).at(key)
    }
    if (found !== undefined) return found
  }
  const symbolKey = enumerableSymbolKey(input)
  return symbolKey === undefined
    ? params
    : new Found("a Symbol key cannot be sent as a query parameter").at(String(symbolKey))
}

/** Query parameters of an encoded GET input (arrays repeated, undefined/null omitted, objects as JSON text), or the first problem. */
export const toQueryParams = (
  value: unknown
): Result.Result<Array<readonly [string, string]>, JsonProblem> => {
  if (value === undefined || value === null) return Result.succeed([])
  if (typeof value !== "object" || Array.isArray(value)) {
    const kind = Array.isArray(value) ? "an array" : `a ${typeof value}`
    return Result.fail({ path: "", message: `query parameters come from an object, not ${kind}` })
  }
  let params: Array<readonly [string, string]> | Found
  try {
    params = collectParams(value)
  } catch (thrown) {
    params = new Found(`could not be read: ${describeThrown(thrown)}`)
  }
  return Array.isArray(params) ? Result.succeed(params) : Result.fail(params.toProblem())
}
