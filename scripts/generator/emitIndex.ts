/**
 * Emits the cross-service modules: the `Flashduty` aggregate, the `operations` index,
 * the operationId → `Endpoint` map, the spec's examples, the barrel, and the generator's
 * decisions for review: time fields, secret fields, every operation's access, the idempotent
 * writes.
 */

import type { DeclaredModel, EmittedModule } from "./emitModules.js"
import { header, operationLiteral } from "./emitModules.js"
import type { TimeDecision } from "./emitSchema.js"
import type { Model } from "./model.js"
import type { SecretDecision } from "./secretFields.js"
import type { JsonSchema } from "./spec.js"

export const emitFlashduty = (model: Model): EmittedModule => {
  const imports = model.services.map((s) => `import * as ${s.className} from "./${s.className}.js"`)
  const fields = model.services.map((s) => `  readonly ${s.field}: ${s.className}.${s.className}Service`)
  const makes = model.services.map((s) => `  ${s.field}: ${s.className}.make`)
  const content = `${header("`Flashduty`: every service of the API in one `Context` service.")}import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { FlashdutyClient } from "../FlashdutyClient.js"
import type { FlashdutyConfig } from "../FlashdutyConfig.js"
import type { FlashdutyOptions } from "../FlashdutyOptions.js"
${imports.join("\n")}

/** Every service of the Flashduty Open API, one field per spec tag. */
export interface FlashdutyService {
${fields.join("\n")}
}

/** Builds every service from one {@link FlashdutyClient}. */
export const make: Effect.Effect<FlashdutyService, never, FlashdutyClient> = /*#__PURE__*/ Effect.all({
${makes.join(",\n")}
})

/**
 * The whole Flashduty Open API as one \`Context\` service.
 *
 * @example
 * \`\`\`ts
 * import { Effect, Redacted } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { Flashduty } from "effect-flashduty"
 *
 * const program = Effect.gen(function* () {
 *   const fd = yield* Flashduty
 *   const { data, meta } = yield* fd.incidents.list({ progress: "Triggered", limit: 20 })
 * })
 *
 * program.pipe(
 *   Effect.provide(Flashduty.layer({ appKey: Redacted.make("…") })),
 *   Effect.provide(FetchHttpClient.layer),
 *   Effect.runPromise
 * )
 * \`\`\`
 */
export class Flashduty extends /*#__PURE__*/ Context.Service<Flashduty, FlashdutyService>()("effect-flashduty/Flashduty") {
  /**
   * Every service, from the \`FlashdutyClient\` in context. Not memoized: composed with two
   * clients (two accounts), it gives each its own services, never the first ones built.
   */
  // No type annotation: with one, tsc drops the pure annotation from the emitted JavaScript.
  static readonly layerFromClient = /*#__PURE__*/ Layer.fresh(/*#__PURE__*/ Layer.effect(Flashduty, make))

  /**
   * Every service over one client configured by \`options\`. The \`FlashdutyClient\` is provided
   * too, for \`FlashdutyClient.request\` (paths the spec lacks).
   *
   * **Needs an \`HttpClient\` layer**, e.g. \`FetchHttpClient.layer\` from \`effect/http\` (or
   * \`NodeHttpClient\`): without one, running the program fails to compile with
   * \`Type 'HttpClient' is not assignable to type 'never'\`. Add
   * \`Effect.provide(FetchHttpClient.layer)\` after this layer.
   */
  static layer(options: FlashdutyOptions) {
    return Flashduty.layerFromClient.pipe(Layer.provideMerge(FlashdutyClient.layer(options)))
  }

  /**
   * Like {@link Flashduty.layer}, the options read through \`Config\` (\`FlashdutyConfig\`): by
   * default \`FLASHDUTY_APP_KEY\` (or \`FLASHDUTY_ACCESS_TOKEN\`), \`FLASHDUTY_BASE_URL\`,
   * \`FLASHDUTY_TIMEOUT\`, \`FLASHDUTY_USER_AGENT\`, \`FLASHDUTY_MAX_RESPONSE_BYTES\`. Needs an
   * \`HttpClient\` layer too.
   */
  static layerConfig(config?: FlashdutyConfig) {
    return Flashduty.layerFromClient.pipe(Layer.provideMerge(FlashdutyClient.layerConfig(config)))
  }
}
`
  return { file: "Flashduty.ts", content, timeDecisions: [] }
}

export const emitOperations = (model: Model): EmittedModule => {
  const entries = model.services.flatMap((s) => s.operations.map((op) => `  ${operationLiteral(op)}`))
  const content = `${header(`Every operation of the Flashduty Open API (${entries.length}), for tools that enumerate the API.`)}import type { OperationInfo } from "../runtime/Operation.js"

/**
 * Every operation: \`fd[op.service][op.method]\` is its function.
 *
 * @example
 * \`\`\`ts
 * import { operations } from "effect-flashduty"
 *
 * const writes = operations.filter((op) => op.access === "write").map((op) => op.operationId)
 * const retriedLikeReads = operations.filter((op) => op.access === "read" || op.idempotent === true)
 * \`\`\`
 */
export const operations: ReadonlyArray<OperationInfo> = [
${entries.join(",\n")}
]
`
  return { file: "operations.ts", content, timeDecisions: [] }
}

export const emitEndpoints = (model: Model): EmittedModule => {
  const imports = model.services.map(
    (s) => `import { endpoints as ${s.className} } from "./${s.className}.js"`
  )
  const entries = model.services.flatMap((s) =>
    s.operations.map((op) => `  ${JSON.stringify(op.spec.operationId)}: ${s.className}.${op.info.method}`)
  )
  const content = `${header("operationId → `Endpoint` for every operation (used by the stand-in and the tests).")}import type { Endpoint } from "../runtime/Endpoint.js"
${imports.join("\n")}

/** Every operation's {@link Endpoint}, by operationId. Imports every service's schemas. */
export const endpoints: Readonly<Record<string, Endpoint<any, any>>> = {
${entries.join(",\n")}
}
`
  return { file: "endpoints.ts", content, timeDecisions: [] }
}

/** A minimal valid value for a (query parameter) schema, for operations without a request example. */
const sample = (schema: JsonSchema): unknown => {
  if (schema.enum !== undefined) return schema.enum[0]
  if (schema.example !== undefined) return schema.example
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  return type === "integer" || type === "number" ? 1 : type === "boolean" ? true : "example"
}

export const emitExamples = (model: Model): EmittedModule => {
  const entries = model.services.flatMap((s) =>
    s.operations.map((op) => {
      const e: Record<string, unknown> = {}
      let request = op.spec.requestExample
      if (
        request === undefined &&
        op.spec.httpMethod === "GET" &&
        op.spec.request?.properties !== undefined
      ) {
        // GET operations document parameters, not an example: use their required ones.
        const required = new Set(op.spec.request.required ?? [])
        request = Object.fromEntries(
          Object.entries(op.spec.request.properties)
            .filter(([k]) => required.has(k))
            .map(([k, v]) => [k, sample(v)])
        )
        e.requestSynthesized = true
      }
      if (request !== undefined) e.request = request
      if (op.spec.responseExample !== undefined) e.response = op.spec.responseExample
      return `  ${JSON.stringify(op.spec.operationId)}: ${JSON.stringify(e)}`
    })
  )
  const content = `${header("The spec's own examples, by operationId: request example and 200 answer (whole envelope).")}// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the spec's examples contain template placeholders
/** One operation's examples. \`requestSynthesized\`: built from the required query parameters (GET). */
export interface OperationExamples {
  readonly request?: unknown
  readonly requestSynthesized?: boolean
  readonly response?: unknown
}

/** For tests and the stand-in only; the main entry point never imports this module. */
export const examples: Readonly<Record<string, OperationExamples>> = {
${entries.join(",\n")}
}
`
  return { file: "examples.ts", content, timeDecisions: [] }
}

/**
 * The API's error codes, once (`components.schemas.ErrorCode`): the literal union and a
 * constants object (`ErrorCode.ResourceNotFound`, like go-flashduty's `ErrorCode…` constants),
 * so that the SDK's mapping can be checked against every code (`satisfies Record<ErrorCode, …>`).
 */
export const emitErrorCode = (model: Model): EmittedModule => {
  const schema = model.spec.components.schemas.ErrorCode
  const codes = (schema?.enum ?? []) as ReadonlyArray<string>
  if (codes.length === 0) throw new Error("the spec has no ErrorCode enum")
  const description = typeof schema?.description === "string" ? schema.description : "The API's error codes."
  const content = `${header("The API's `ErrorCode` values (`components.schemas.ErrorCode`).")}/**
 * ${description}
 *
 * @example
 * \`\`\`ts
 * import { ErrorCode } from "effect-flashduty"
 *
 * const isLocked = (error: { readonly code?: string }) => error.code === ErrorCode.RequestLocked
 * \`\`\`
 */
export type ErrorCode = ${codes.map((c) => JSON.stringify(c)).join(" | ")}

/** Every {@link ErrorCode}, by name. */
export const ErrorCode = {
${codes.map((c) => `  ${c}: ${JSON.stringify(c)}`).join(",\n")}
} as const satisfies { readonly [K in ErrorCode]: K }
`
  return { file: "ErrorCode.ts", content, timeDecisions: [] }
}

/**
 * The subpath of a service: its class name in kebab case (`Incidents` → `incidents`,
 * `AlertEnrichment` → `alert-enrichment`, `A2aAgents` → `a2a-agents`), as
 * `effect-flashduty/<subpath>` and `src/generated/services/<subpath>.ts`.
 */
export const serviceSubpath = (className: string): string =>
  className.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()

/** The model names a service's subpath exports: its own module's, then the shared ones it uses. */
const modelNamesOf = (
  model: Model,
  className: string,
  declared: ReadonlyMap<string, ReadonlyArray<DeclaredModel>>
): { readonly own: ReadonlyArray<string>; readonly shared: ReadonlyArray<string> } => ({
  own: [...new Set((declared.get(className) ?? []).map((d) => d.name))].sort(),
  shared: [
    ...new Set(
      (declared.get("shared") ?? [])
        .filter((d) => d.key !== undefined && model.usedBy.get(d.key)?.has(className) === true)
        .map((d) => d.name)
    )
  ].sort()
})

/**
 * One entry module per service, `effect-flashduty/<subpath>`: the service, its request and
 * response types and their schemas (each name is both, as in the service module). Names are
 * unique across the package (component names are, inline ones are made so by the model), so a
 * shared type re-exported by several subpaths is one and the same.
 */
export const emitServiceEntries = (
  model: Model,
  declared: ReadonlyMap<string, ReadonlyArray<DeclaredModel>>
): ReadonlyArray<EmittedModule> =>
  model.services.map((s) => {
    if (["testing", "node", "package.json"].includes(serviceSubpath(s.className)))
      throw new Error(`name clash: the service ${s.className} would take the package's own subpath`)
    const { own, shared } = modelNamesOf(model, s.className, declared)
    const endpointNames = s.operations.map((op) => `${op.info.method}Endpoint`).sort()
    const content = `${header(
      `\`effect-flashduty/${serviceSubpath(s.className)}\`: the \`${s.tag}\` service (\`${s.className}\`), the types of its requests and answers, their schemas (for decoding stored JSON), and each operation's endpoint (\`<method>Endpoint\`, for \`FlashdutyClient.call\`).`
    )}export { ${[s.className, `type ${s.className}Service`, ...own, ...endpointNames].join(", ")} } from "../${s.className}.js"
${shared.length > 0 ? `export { ${shared.join(", ")} } from "../shared.js"\n` : ""}`
    return { file: `services/${serviceSubpath(s.className)}.ts`, content, timeDecisions: [] }
  })

/**
 * The barrel the root entry re-exports: the services, the \`Flashduty\` aggregate, \`ErrorCode\`,
 * \`operations\`, and every model type (types only: erased, they cost a bundle nothing; the
 * schemas come from the service subpaths).
 */
export const emitBarrel = (
  model: Model,
  declared: ReadonlyMap<string, ReadonlyArray<DeclaredModel>>
): EmittedModule => {
  const lines = model.services.map(
    (s) => `export { ${s.className}, type ${s.className}Service } from "./${s.className}.js"`
  )
  const home = new Map<string, string>()
  for (const [module, list] of declared)
    for (const { name } of list) {
      const other = home.get(name)
      if (other !== undefined && other !== module)
        throw new Error(`name clash: ${name} is declared by both ${other} and ${module}`)
      home.set(name, module)
    }
  const typeLines = ["shared", ...model.services.map((s) => s.className)].flatMap((module) => {
    const names = [...new Set((declared.get(module) ?? []).map((d) => d.name))].sort()
    return names.length === 0 ? [] : [`export type { ${names.join(", ")} } from "./${module}.js"`]
  })
  const content = `${header("The generated public surface: services, the `Flashduty` aggregate, `operations`, `ErrorCode` and every request and response type.")}export { Flashduty, type FlashdutyService } from "./Flashduty.js"
export { ErrorCode } from "./ErrorCode.js"
export { operations } from "./operations.js"
${lines.join("\n")}

// The request and response types of every service (their schemas: \`effect-flashduty/<service>\`).
${typeLines.join("\n")}
`
  return { file: "index.ts", content, timeDecisions: [] }
}

export const emitTimeFields = (decisions: ReadonlyArray<TimeDecision>): EmittedModule => {
  const rows = [
    ...new Set(decisions.map((d) => `| \`${d.owner}\` | \`${d.field}\` | ${d.mode} | ${d.unit} |`))
  ].sort()
  const content = `# Time fields decided by the generator

Generated by \`npm run generate\`; the rule is in \`scripts/generator/timeFields.ts\`.
Response fields decode to \`Timestamp\` (seconds) / \`TimestampMillis\`; request fields accept
\`TimeInput\` / \`TimeInputMillis\` (a number, a \`Date\` or a \`DateTime\`).

| schema | field | side | unit |
| --- | --- | --- | --- |
${rows.join("\n")}
`
  return { file: "TIME_FIELDS.md", content, timeDecisions: [] }
}

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\s+/g, " ")

export const emitSecretFields = (decisions: ReadonlyArray<SecretDecision>): EmittedModule => {
  const rows = [
    ...new Set(decisions.map((d) => `| \`${d.owner}\` | \`${d.field}\` | ${cell(d.why)} |`))
  ].sort()
  const content = `# Secret fields decided by the generator

Generated by \`npm run generate\`; the rule and its overrides are in \`scripts/generator/secretFields.ts\`.
These response fields carry a credential: they decode to \`Redacted<string>\` (\`Tolerant.secret\`),
which prints as \`<redacted>\` in \`String\`, \`JSON.stringify\` and inspection; \`Redacted.value\` gives
the string. \`why\`: the field's name, its description, or an override (with its reason).

${rows.length} fields.

| schema | field | why |
| --- | --- | --- |
${rows.join("\n")}
`
  return { file: "SECRET_FIELDS.md", content, timeDecisions: [] }
}

export const emitOperationsTable = (model: Model): EmittedModule => {
  const rows = model.services.flatMap((s) =>
    s.operations.map((op) => {
      const i = op.info
      const extra = [
        i.idempotent === true ? "idempotent" : undefined,
        i.auth === undefined ? undefined : `auth: ${i.auth}`,
        i.pathParams === undefined ? undefined : `path: ${i.pathParams.join(", ")}`
      ].filter((x) => x !== undefined)
      return `| \`${i.operationId}\` | \`${i.service}.${i.method}\` | ${i.httpMethod} \`${i.path}\` | ${cell(op.spec.summary ?? "")} | **${i.access}** | ${cell(op.accessDecision.basis)} | ${cell(op.permission ?? "")} | ${i.kind}${extra.length > 0 ? `; ${extra.join("; ")}` : ""} |`
    })
  )
  const count = (access: string) => rows.filter((r) => r.includes(`| **${access}** |`)).length
  const content = `# Operations

Generated by \`npm run generate\`: every operation with its method, its access and what decided it
(\`accessDecision\` in \`scripts/generator/operationInfo.ts\`: the summary's verb, then the
operationId's \`-read-\`/\`-write-\`, then the permission, then the operationId's verbs). A \`read\` is
retried after an unknown outcome, a \`write\` only when it is \`idempotent\` (\`IDEMPOTENT_WRITES.md\`).

${rows.length} operations: ${count("read")} reads, ${count("write")} writes.

| operationId | method | HTTP | summary | access | decided by | permission | kind |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}
`
  return { file: "OPERATIONS.md", content, timeDecisions: [] }
}

export const emitIdempotentWrites = (model: Model): EmittedModule => {
  const rows = model.services.flatMap((s) =>
    s.operations
      .filter((op) => op.idempotentReason !== undefined)
      .map(
        (op) =>
          `| \`${op.info.operationId}\` | \`${op.info.service}.${op.info.method}\` | ${op.info.httpMethod} \`${op.info.path}\` | ${cell(op.idempotentReason!)} |`
      )
  )
  const content = `# Idempotent writes

Generated by \`npm run generate\` from the reviewed list in \`scripts/generator/idempotentWrites.ts\`
(which also says what is never listed, and why). These writes are safe to send again when their
outcome is unknown: \`operations\` marks them \`idempotent: true\` and the client retries them like
reads.

${rows.length} operations.

| operationId | method | HTTP | why re-sending is safe |
| --- | --- | --- | --- |
${rows.join("\n")}
`
  return { file: "IDEMPOTENT_WRITES.md", content, timeDecisions: [] }
}
