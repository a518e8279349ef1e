/**
 * Loading the OpenAPI document and reading operations out of it.
 *
 * The generator never copies the spec into the repository: it reads
 * `../shared/openapi/openapi.en.json` (or `FLASHDUTY_OPENAPI`) at generation time.
 */
import { readFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { fileURLToPath } from "node:url"

/** The subset of JSON Schema (OpenAPI 3.1 dialect) the spec uses. */
export interface JsonSchema {
  readonly $ref?: string
  readonly type?: string | ReadonlyArray<string>
  readonly description?: string
  readonly title?: string
  readonly format?: string
  readonly enum?: ReadonlyArray<unknown>
  readonly const?: unknown
  readonly properties?: Readonly<Record<string, JsonSchema>>
  readonly required?: ReadonlyArray<string>
  readonly additionalProperties?: boolean | JsonSchema
  readonly items?: JsonSchema
  readonly allOf?: ReadonlyArray<JsonSchema>
  readonly oneOf?: ReadonlyArray<JsonSchema>
  readonly anyOf?: ReadonlyArray<JsonSchema>
  readonly nullable?: boolean
  readonly deprecated?: boolean
  readonly default?: unknown
  readonly "x-flashduty-preserve-absence"?: boolean
  readonly [key: string]: unknown
}

/** A security requirement: scheme name → scopes (`[{ AppKeyAuth: [] }]`). */
export type SecurityRequirement = Readonly<Record<string, ReadonlyArray<string>>>

export interface Spec {
  readonly paths: Record<string, Record<string, RawOperation>>
  readonly components: {
    readonly schemas: Record<string, JsonSchema>
    readonly securitySchemes?: Record<string, unknown>
  }
  /** The default security of every operation that declares none. */
  readonly security?: ReadonlyArray<SecurityRequirement>
}

export interface RawParameter {
  readonly name: string
  readonly in: string
  readonly required?: boolean
  readonly description?: string
  readonly schema: JsonSchema
  readonly example?: unknown
}

export interface RawOperation {
  readonly operationId: string
  readonly summary?: string
  readonly description?: string
  readonly tags: ReadonlyArray<string>
  readonly deprecated?: boolean
  readonly "x-mint"?: { readonly content?: string; readonly href?: string }
  readonly security?: ReadonlyArray<SecurityRequirement>
  readonly parameters?: ReadonlyArray<RawParameter>
  readonly requestBody?: {
    readonly content: Record<string, { readonly schema: JsonSchema; readonly example?: unknown }>
  }
  readonly responses: Record<
    string,
    { readonly content?: Record<string, { readonly schema: JsonSchema; readonly example?: unknown }> }
  >
}

/** One operation, flattened to what the emitters need. */
export interface SpecOperation {
  readonly operationId: string
  readonly tag: string
  readonly httpMethod: "GET" | "POST"
  readonly path: string
  readonly summary: string | undefined
  readonly description: string | undefined
  readonly deprecated: boolean
  readonly mint: string
  readonly docsHref: string | undefined
  /**
   * JSON (or multipart) body schema, or a synthesized object schema of the GET query
   * parameters; path parameters are fields of it too (see {@link SpecOperation.pathParams}).
   */
  readonly request: JsonSchema | undefined
  /** The `data` schema of the 200 envelope (JSON answers only). */
  readonly response: JsonSchema | undefined
  readonly requestExample: unknown
  readonly responseExample: unknown
  /** Content types of the body and of the 200 answer. */
  readonly requestContentTypes: ReadonlyArray<string>
  readonly responseContentTypes: ReadonlyArray<string>
  /** The security schemes the operation accepts (its own `security`, else the spec's). */
  readonly security: ReadonlyArray<string>
  /** `{name}` placeholders of the path, in order; each is a required field of the request. */
  readonly pathParams: ReadonlyArray<string>
}

const here = dirname(fileURLToPath(import.meta.url))

/** Where the spec lives: `FLASHDUTY_OPENAPI`, else `../shared/openapi/openapi.en.json` beside the repo. */
export const specPath = (): string =>
  process.env.FLASHDUTY_OPENAPI ?? resolve(here, "../../../shared/openapi/openapi.en.json")

export const loadSpec = (path: string = specPath()): Spec => JSON.parse(readFileSync(path, "utf8")) as Spec

/** `#/components/schemas/Foo` → `Foo`. */
export const refName = (ref: string): string => ref.slice(ref.lastIndexOf("/") + 1)

/** The 200 envelope is `allOf: [SuccessEnvelope, { properties: { data } }]`: take `data`. */
const envelopeData = (schema: JsonSchema): JsonSchema | undefined => {
  for (const part of schema.allOf ?? []) {
    const data = part.properties?.data
    if (data !== undefined) return data
  }
  return schema.properties?.data
}

const queryObject = (parameters: ReadonlyArray<RawParameter>): JsonSchema => ({
  type: "object",
  properties: Object.fromEntries(
    parameters.map((p) => [
      p.name,
      p.description === undefined ? p.schema : { ...p.schema, description: p.description }
    ])
  ),
  required: parameters.filter((p) => p.required === true).map((p) => p.name),
  additionalProperties: false
})

const withDescription = (p: RawParameter): JsonSchema =>
  p.description === undefined ? p.schema : { ...p.schema, description: p.description }

/**
 * The request with the path parameters as required fields: merged into an inline object
 * body, or beside a referenced one (`allOf`), or on their own.
 */
const withPathParameters = (
  request: JsonSchema | undefined,
  parameters: ReadonlyArray<RawParameter>
): JsonSchema | undefined => {
  if (parameters.length === 0) return request
  const properties = Object.fromEntries(parameters.map((p) => [p.name, withDescription(p)]))
  const required = parameters.map((p) => p.name)
  if (request === undefined) return { type: "object", properties, required, additionalProperties: false }
  if (request.$ref === undefined && request.allOf === undefined && request.properties !== undefined) {
    const clash = required.find((name) => name in request.properties!)
    if (clash !== undefined) throw new Error(`path parameter ${clash} is also a body field`)
    return {
      ...request,
      properties: { ...properties, ...request.properties },
      required: [...required, ...(request.required ?? [])]
    }
  }
  return { allOf: [{ type: "object", properties, required }, request] }
}

/** The request example with the path parameters' examples (when every one has an example). */
const exampleWithPathParameters = (example: unknown, parameters: ReadonlyArray<RawParameter>): unknown => {
  if (parameters.length === 0) return example
  const values = parameters.map((p) => [p.name, p.example ?? p.schema.example] as const)
  if (values.some(([, v]) => v === undefined)) return example
  return { ...Object.fromEntries(values), ...((example as object | undefined) ?? {}) }
}

/** `/a/{x}/b/{y}` → `["x", "y"]`; every placeholder must be a required path parameter. */
const pathParamsOf = (
  path: string,
  operationId: string,
  parameters: ReadonlyArray<RawParameter>
): ReadonlyArray<string> => {
  const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!)
  const declared = parameters.filter((p) => p.in === "path")
  const undeclared = names.filter((n) => !declared.some((p) => p.name === n && p.required === true))
  const unused = declared.filter((p) => !names.includes(p.name))
  if (undeclared.length > 0 || unused.length > 0) {
    throw new Error(
      `${operationId}: path parameters of ${path} must be declared, required and used (undeclared: ${undeclared.join(", ")}; unused: ${unused.map((p) => p.name).join(", ")})`
    )
  }
  return names
}

/** Every operation of the spec, in document order. */
export const operationsOf = (spec: Spec): ReadonlyArray<SpecOperation> => {
  const out: Array<SpecOperation> = []
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const httpMethod = method.toUpperCase()
      if (httpMethod !== "GET" && httpMethod !== "POST")
        throw new Error(`unsupported method ${method} ${path}`)
      const body = op.requestBody?.content
      const json = body?.["application/json"]
      const multipart = body?.["multipart/form-data"]
      const parameters = (op.parameters ?? []).filter((p) => p.in === "query")
      const pathParams = pathParamsOf(path, op.operationId, op.parameters ?? [])
      const pathParameters = pathParams.map((name) => (op.parameters ?? []).find((p) => p.name === name)!)
      const ok = op.responses["200"]?.content ?? {}
      const okJson = ok["application/json"]
      const security = (op.security ?? spec.security ?? []).flatMap((requirement) => Object.keys(requirement))
      out.push({
        operationId: op.operationId,
        tag: op.tags[0]!,
        httpMethod,
        path,
        summary: op.summary,
        description: op.description,
        deprecated: op.deprecated === true,
        mint: op["x-mint"]?.content ?? "",
        docsHref: op["x-mint"]?.href,
        request: withPathParameters(
          json?.schema ?? multipart?.schema ?? (parameters.length > 0 ? queryObject(parameters) : undefined),
          pathParameters
        ),
        response: okJson === undefined ? undefined : envelopeData(okJson.schema),
        requestExample: exampleWithPathParameters(json?.example ?? multipart?.example, pathParameters),
        responseExample: okJson?.example,
        requestContentTypes: Object.keys(body ?? {}),
        responseContentTypes: Object.keys(ok),
        security: [...new Set(security)],
        pathParams
      })
    }
  }
  return out
}
