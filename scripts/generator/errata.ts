/**
 * Spec errata: corrections the generator applies to the OpenAPI document before emitting.
 *
 * Where a request example contradicts its own schema, the example shows what the API
 * accepts, and what the API accepts wins. Each entry names the operation, the JSON pointer
 * it changes, the change, the evidence (the spec's own example) and a one-line reason.
 * The per-endpoint tests prove the result: every spec request example encodes through its
 * method's request codec, and is sent unchanged.
 */
import type { Spec } from "./spec.js"

export type Change =
  /** Drop a name from a `required` list. */
  | { readonly op: "unrequire"; readonly property: string }
  /** Add (or replace) a property schema. */
  | { readonly op: "addProperty"; readonly property: string; readonly schema: Record<string, unknown> }
  /** Add values to an `enum`. */
  | { readonly op: "addEnum"; readonly values: ReadonlyArray<string> }

export interface Erratum {
  readonly operationId: string
  /** JSON pointer into the spec of the schema the change applies to. */
  readonly pointer: string
  readonly change: Change
  /** The part of the spec's request example that shows what the API accepts. */
  readonly evidence: unknown
  readonly reason: string
}

export const errata: ReadonlyArray<Erratum> = []

const at = (root: unknown, pointer: string): any => {
  let node: any = root
  for (const raw of pointer.split("/").slice(1)) {
    const token = raw.replace(/~1/g, "/").replace(/~0/g, "~")
    node = node?.[token]
    if (node === undefined) throw new Error(`erratum pointer ${pointer} does not resolve at ${token}`)
  }
  return node
}

/** Applies the errata to a deep copy of the spec; fails loudly when one no longer applies. */
export const applyErrata = (spec: Spec, list: ReadonlyArray<Erratum> = errata): Spec => {
  const copy = structuredClone(spec) as Spec
  for (const e of list) {
    const node = at(copy, e.pointer)
    const change = e.change
    switch (change.op) {
      case "unrequire": {
        const required: Array<string> | undefined = node.required
        if (!required?.includes(change.property)) {
          throw new Error(`erratum for ${e.operationId}: ${change.property} is not required at ${e.pointer}`)
        }
        node.required = required.filter((r) => r !== change.property)
        break
      }
      case "addProperty":
        node.properties = { ...(node.properties ?? {}), [change.property]: change.schema }
        break
      case "addEnum": {
        if (!Array.isArray(node.enum))
          throw new Error(`erratum for ${e.operationId}: no enum at ${e.pointer}`)
        node.enum = [...node.enum, ...change.values.filter((v) => !node.enum.includes(v))]
        break
      }
    }
  }
  return copy
}
