/**
 * The generator's model: services, methods and where each component schema is emitted.
 *
 * A component is emitted once per mode it is used in (`response`: tolerant, `request`: strict).
 * Its request variant is called `<Name>Input` when the response variant also exists.
 * A (component, mode) used by a single service lives in that service's module; one shared by
 * several services lives in `shared.ts`, so that importing one service never pulls in
 * another's schemas.
 */
import type { OperationInfo } from "../../src/runtime/Operation.js"
import type { Mode } from "./emitSchema.js"
import { idempotentWrites as reviewedIdempotentWrites } from "./idempotentWrites.js"
import { methodNames, serviceClass, serviceField, typeNameFor } from "./naming.js"
import {
  type AccessDecision,
  accessDecision,
  authOf,
  kindOf,
  parseRateLimit,
  permissionText
} from "./operationInfo.js"
import type { JsonSchema, Spec, SpecOperation } from "./spec.js"
import { operationsOf, refName } from "./spec.js"

export interface ModelOperation {
  readonly spec: SpecOperation
  readonly info: OperationInfo
  readonly permission: string | undefined
  /** The access and what decided it (for `OPERATIONS.md`). */
  readonly accessDecision: AccessDecision
  /** Why the write is idempotent, when it is listed in `idempotentWrites.ts`. */
  readonly idempotentReason: string | undefined
  /** Name of the request type (component or synthesized), if the operation takes input. */
  readonly requestName: string | undefined
  /** Set when the request type is not a component and must be emitted inline. */
  readonly inlineRequest: JsonSchema | undefined
  readonly responseName: string
  readonly inlineResponse: JsonSchema | undefined
  /** The `items` element type for pageable lists. */
  readonly pagination: { readonly cursor: boolean } | undefined
}

export interface ModelService {
  readonly tag: string
  readonly field: string
  readonly className: string
  readonly operations: ReadonlyArray<ModelOperation>
}

export interface Model {
  readonly spec: Spec
  readonly services: ReadonlyArray<ModelService>
  /** `Name|mode` → the module that declares it: a service class name, or `shared`. */
  readonly home: ReadonlyMap<string, string>
  /** `Name|mode` → the services (class names) whose operations use it, directly or not. */
  readonly usedBy: ReadonlyMap<string, ReadonlySet<string>>
  readonly nameOf: (component: string, mode: Mode) => string
}

export const key = (component: string, mode: Mode): string => `${component}|${mode}`

const refsOf = (schema: unknown, out: Set<string>): void => {
  if (Array.isArray(schema)) for (const s of schema) refsOf(s, out)
  else if (schema !== null && typeof schema === "object") {
    for (const [k, v] of Object.entries(schema)) {
      if (k === "$ref" && typeof v === "string") out.add(refName(v))
      else if (k !== "example" && k !== "examples") refsOf(v, out)
    }
  }
}

const pageable = (spec: Spec, op: SpecOperation): { cursor: boolean } | undefined => {
  const resolve = (s: JsonSchema | undefined): JsonSchema | undefined => {
    let cur = s
    for (let i = 0; cur?.$ref !== undefined && i < 10; i++) cur = spec.components.schemas[refName(cur.$ref)]
    return cur
  }
  const props = (s: JsonSchema | undefined): Record<string, JsonSchema> => {
    const r = resolve(s)
    if (r === undefined) return {}
    return Object.assign({}, ...(r.allOf ?? []).map(props), r.properties ?? {})
  }
  const request = props(op.request)
  const response = props(op.response)
  const cursor = "search_after_ctx" in request
  const pages = "p" in request || "limit" in request
  if ((!cursor && !pages) || !("items" in response)) return undefined
  return { cursor }
}

/**
 * The model of `spec`. `idempotentWrites`: the reviewed list (tests pass their own); an entry
 * that names no operation, or a read, fails.
 */
export const buildModel = (
  spec: Spec,
  {
    idempotentWrites = reviewedIdempotentWrites
  }: { readonly idempotentWrites?: Readonly<Record<string, string>> } = {}
): Model => {
  const ops = operationsOf(spec)
  const byTag = new Map<string, Array<SpecOperation>>()
  for (const op of ops) byTag.set(op.tag, [...(byTag.get(op.tag) ?? []), op])
  const componentNames = new Set(Object.keys(spec.components.schemas))
  // The names the generated modules declare besides the model types: a model type may not take
  // one (a component that does is an error; an inline type gets a `_` suffix, in spec order).
  const reserved = new Set([
    "Flashduty",
    "FlashdutyService",
    "ErrorCode",
    "operations",
    "endpoints",
    "make",
    ...[...byTag.keys()].flatMap((tag) => [serviceClass(tag), `${serviceClass(tag)}Service`])
  ])
  const takenTypeNames = new Set([...componentNames, ...reserved])

  const services: Array<ModelService> = []
  for (const [tag, list] of byTag) {
    const names = methodNames(
      tag,
      list.map((o) => o.operationId)
    )
    const field = serviceField(tag)
    services.push({
      tag,
      field,
      className: serviceClass(tag),
      operations: list.map((op): ModelOperation => {
        const inlineName = (suffix: string): string => {
          let n = typeNameFor(op.operationId, suffix)
          while (takenTypeNames.has(n)) n = `${n}_`
          takenTypeNames.add(n)
          return n
        }
        const reqRef = op.request?.$ref
        const resRef = op.response?.$ref
        const access = accessDecision(op.operationId, op.summary, op.mint)
        const kind = kindOf(op.operationId)
        if (
          op.requestContentTypes.includes("multipart/form-data") &&
          !op.requestContentTypes.includes("application/json") &&
          kind !== "multipart"
        ) {
          throw new Error(
            `${op.operationId} takes multipart/form-data: list it as "multipart" in operationInfo.ts`
          )
        }
        const idempotentReason = idempotentWrites[op.operationId]
        if (idempotentReason !== undefined && access.access !== "write") {
          throw new Error(`${op.operationId} is listed in idempotentWrites.ts but is a ${access.access}`)
        }
        const auth = authOf(op.operationId, op.security)
        return {
          spec: op,
          info: {
            operationId: op.operationId,
            service: field,
            method: names.get(op.operationId)!,
            httpMethod: op.httpMethod,
            path: op.path,
            access: access.access,
            rateLimit: parseRateLimit(op.mint),
            kind,
            // Present only when not the default, to keep `operations` small.
            ...(idempotentReason === undefined ? {} : { idempotent: true as const }),
            ...(auth === undefined ? {} : { auth }),
            ...(op.pathParams.length === 0 ? {} : { pathParams: op.pathParams })
          },
          permission: permissionText(op.mint),
          accessDecision: access,
          idempotentReason,
          requestName:
            op.request === undefined
              ? undefined
              : reqRef !== undefined
                ? refName(reqRef)
                : inlineName("Request"),
          inlineRequest: op.request !== undefined && reqRef === undefined ? op.request : undefined,
          responseName: resRef !== undefined ? refName(resRef) : inlineName("Response"),
          inlineResponse: resRef === undefined ? (op.response ?? {}) : undefined,
          pagination: pageable(spec, op)
        }
      })
    })
  }

  const known = new Set(ops.map((op) => op.operationId))
  const unknown = Object.keys(idempotentWrites).filter((id) => !known.has(id))
  if (unknown.length > 0)
    throw new Error(`idempotentWrites.ts lists unknown operations: ${unknown.join(", ")}`)

  // Which services use each (component, mode), transitively.
  const usedBy = new Map<string, Set<string>>()
  const visit = (component: string, mode: Mode, service: string): void => {
    const k = key(component, mode)
    const set = usedBy.get(k) ?? new Set<string>()
    if (set.has(service)) return
    set.add(service)
    usedBy.set(k, set)
    const refs = new Set<string>()
    refsOf(spec.components.schemas[component], refs)
    for (const r of refs) visit(r, mode, service)
  }
  for (const s of services) {
    for (const op of s.operations) {
      const req = new Set<string>()
      refsOf(op.spec.request, req)
      for (const r of req) visit(r, "request", s.className)
      const res = new Set<string>()
      refsOf(op.spec.response, res)
      for (const r of res) visit(r, "response", s.className)
    }
  }
  const home = new Map<string, string>()
  for (const [k, set] of [...usedBy].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    home.set(k, set.size === 1 ? [...set][0]! : "shared")
  }
  const nameOf = (component: string, mode: Mode): string =>
    mode === "request" && usedBy.has(key(component, "response")) ? `${component}Input` : component
  for (const c of componentNames) {
    // `ErrorCode` is the generator's own rendering of that component (see `emitErrorCode`).
    const used = (["request", "response"] as const).filter((m) => usedBy.has(key(c, m)))
    for (const m of used)
      if (reserved.has(nameOf(c, m)))
        throw new Error(`name clash: the component ${c} takes a name the generator declares itself`)
    if (usedBy.has(key(c, "request")) && usedBy.has(key(c, "response")) && componentNames.has(`${c}Input`)) {
      throw new Error(`name clash: ${c}Input`)
    }
  }
  return { spec, services, home, usedBy, nameOf }
}
