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

export interface Spec {
  readonly paths: Record<string, Record<string, RawOperation>>
  readonly components: { readonly schemas: Record<string, JsonSchema> }
}

export interface RawParameter {
  readonly name: string
  readonly in: string
  readonly required?: boolean
  readonly description?: string
  readonly schema: JsonSchema
}

export interface RawOperation {
  readonly operationId: string
  readonly summary?: string
  readonly description?: string
  readonly tags: ReadonlyArray<string>
  readonly deprecated?: boolean
  readonly "x-mint"?: { readonly content?: string; readonly href?: string }
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
  /** JSON body schema, or a synthesized object schema of the GET query parameters. */
  readonly request: JsonSchema | undefined
  /** The `data` schema of the 200 envelope (JSON answers only). */
  readonly response: JsonSchema | undefined
  readonly requestExample: unknown
  readonly responseExample: unknown
  /** Content types of the body and of the 200 answer. */
  readonly requestContentTypes: ReadonlyArray<string>
  readonly responseContentTypes: ReadonlyArray<string>
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
      const ok = op.responses["200"]?.content ?? {}
      const okJson = ok["application/json"]
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
        request:
          json?.schema ?? multipart?.schema ?? (parameters.length > 0 ? queryObject(parameters) : undefined),
        response: okJson === undefined ? undefined : envelopeData(okJson.schema),
        requestExample: json?.example ?? multipart?.example,
        responseExample: okJson?.example,
        requestContentTypes: Object.keys(body ?? {}),
        responseContentTypes: Object.keys(ok)
      })
    }
  }
  return out
}
