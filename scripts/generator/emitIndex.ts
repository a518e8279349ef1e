/**
 * Emits the cross-service modules: the `Flashduty` aggregate, the `operations` index,
 * the operationId → `Endpoint` map, the spec's examples, the barrel, and the generator's
 * decisions for review: time fields, secret fields, every operation's access, the idempotent
 * writes.
 */

import type { EmittedModule } from "./emitModules.js"
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
import type { FlashdutyOptions } from "../FlashdutyOptions.js"
${imports.join("\n")}

/** Every service of the Flashduty Open API, one field per spec tag. */
export interface FlashdutyService {
${fields.join("\n")}
}

/** Builds every service from one {@link FlashdutyClient}. */
export const make: Effect.Effect<FlashdutyService, never, FlashdutyClient> = Effect.all({
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
export class Flashduty extends Context.Service<Flashduty, FlashdutyService>()("effect-flashduty/Flashduty") {
  /** Every service, from a \`FlashdutyClient\` already in context. */
  static readonly layerFromClient: Layer.Layer<Flashduty, never, FlashdutyClient> = Layer.effect(Flashduty, make)

  /**
   * Every service over one client configured by \`options\`; needs only an \`HttpClient\`. The
   * \`FlashdutyClient\` is provided too, for \`FlashdutyClient.request\` (paths the spec lacks).
   */
  static layer(options: FlashdutyOptions) {
    return Flashduty.layerFromClient.pipe(Layer.provideMerge(FlashdutyClient.layer(options)))
  }

  /** Like {@link Flashduty.layer}, configured from the environment (\`FLASHDUTY_APP_KEY\`, …). */
  static readonly layerConfig = Flashduty.layerFromClient.pipe(Layer.provideMerge(FlashdutyClient.layerConfig))
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

export const emitBarrel = (model: Model): EmittedModule => {
  const lines = model.services.map(
    (s) => `export { ${s.className}, type ${s.className}Service } from "./${s.className}.js"`
  )
  const content = `${header("The generated public surface: services, the `Flashduty` aggregate and `operations`.")}export { Flashduty, type FlashdutyService } from "./Flashduty.js"
export { operations } from "./operations.js"
${lines.join("\n")}
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
