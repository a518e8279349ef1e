/**
 * What the nil-pointer tests share (`test/properties/nilPointers.test.ts` for the API's answers,
 * `test/webhooks/nilPointers.test.ts` for what Flashduty sends): every scalar field of a
 * payload's structs, set to `null` on its own, with map values told apart by the decoder.
 */
import { Exit } from "effect"

export type Json = null | boolean | number | string | Array<Json> | { [key: string]: Json }

/** A decoder as the tests call it: the decoded value, or a failure. */
export type Decode = (input: unknown) => Exit.Exit<unknown, unknown>

const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean"

/** The value at `path` (object keys and array indices). */
export const at = (root: unknown, path: ReadonlyArray<string>): unknown =>
  path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], root)

const clone = (value: Json): Json => JSON.parse(JSON.stringify(value))

/** `root` with the value at `path` replaced. */
const withValue = (root: Json, path: ReadonlyArray<string>, value: Json): Json => {
  const copy = clone(root)
  ;(at(copy, path.slice(0, -1)) as Record<string, Json>)[path[path.length - 1]!] = value
  return copy
}

/** Every scalar field of an object (not an array's element), by path from the root. */
export const scalarFields = (root: Json): Array<ReadonlyArray<string>> => {
  const out: Array<ReadonlyArray<string>> = []
  const walk = (node: Json, path: ReadonlyArray<string>) => {
    if (node === null || typeof node !== "object") return
    for (const [key, value] of Object.entries(node)) {
      if (!Array.isArray(node) && isScalar(value)) out.push([...path, key])
      else walk(value, [...path, key])
    }
  }
  walk(root, [])
  return out
}

/** Whether the field at `path` is a map's value: a map keeps a key it did not declare, a struct drops it. */
export const isMapValue = (decode: Decode, data: Json, path: ReadonlyArray<string>): boolean => {
  const parent = path.slice(0, -1)
  const undeclared = [...parent, `${path[path.length - 1]}_undeclared`]
  const probed = decode(withValue(data, undeclared, at(data, path) as Json))
  return Exit.isSuccess(probed) && at(probed.value, undeclared) !== undefined
}

/** `data` decoded with the field at `path` sent as `null`. */
export const decodeWithNull = (decode: Decode, data: Json, path: ReadonlyArray<string>) =>
  decode(withValue(data, path, null))
