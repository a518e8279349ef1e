/**
 * One line of an AI SRE session transcript (`POST /safari/session/export`).
 *
 * The spec documents the line kinds (`type`) but not their fields, so each known kind
 * keeps every field exactly as sent (typed `unknown` beyond `type`), and a kind this SDK
 * does not know yet becomes `{ type: "unknown", raw }` instead of failing the stream.
 */
import * as Schema from "effect/Schema"

/** The `type`s the API documents for transcript lines. */
export const exportLineTypes = [
  "session_meta",
  "user_message",
  "llm_call",
  "tool_call",
  "subagent_dispatch",
  "final_answer",
  "agent_text",
  "error"
] as const

export type KnownExportLineType = (typeof exportLineTypes)[number]

const knownTypes: ReadonlySet<string> = new Set(exportLineTypes)

const Fields = Schema.Record(Schema.String, Schema.Unknown)

const lineOf = <const T extends KnownExportLineType>(type: T) =>
  Schema.StructWithRest(Schema.Struct({ type: Schema.Literal(type) }), [Fields])

/** The envelope that starts every transcript (and every inlined subagent transcript). */
export const SessionMetaLine = lineOf("session_meta")
export const UserMessageLine = lineOf("user_message")
export const LlmCallLine = lineOf("llm_call")
export const ToolCallLine = lineOf("tool_call")
/** A subagent was started; with `include_subagents: true` its own transcript follows. */
export const SubagentDispatchLine = lineOf("subagent_dispatch")
export const FinalAnswerLine = lineOf("final_answer")
export const AgentTextLine = lineOf("agent_text")
/** An error event recorded in the session (not the server's truncation line). */
export const ErrorEventLine = lineOf("error")

/** A line whose `type` this SDK does not know (or that has none); `raw` is the object as sent. */
export const UnknownLine = Schema.Struct({
  type: Schema.Literal("unknown"),
  raw: Fields
})

/**
 * Schema of a decoded transcript line: a union tagged on `type`.
 *
 * @example
 * ```ts
 * import { ExportLine } from "effect-flashduty"
 *
 * const describe = (line: ExportLine) => {
 *   switch (line.type) {
 *     case "llm_call": return `LLM call in ${String(line.session_id)}`
 *     case "unknown": return `new kind ${String(line.raw.type)}`
 *     default: return line.type
 *   }
 * }
 * ```
 */
export const ExportLine = Schema.Union([
  SessionMetaLine,
  UserMessageLine,
  LlmCallLine,
  ToolCallLine,
  SubagentDispatchLine,
  FinalAnswerLine,
  AgentTextLine,
  ErrorEventLine,
  UnknownLine
])

export type ExportLine = typeof ExportLine.Type

export type ExportLineOf<T extends ExportLine["type"]> = Extract<ExportLine, { readonly type: T }>

type JsonObject = { readonly [key: string]: unknown }

export const isJsonObject = (u: unknown): u is JsonObject =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * Turns one parsed JSON object into an {@link ExportLine}. Never fails: a known `type`
 * keeps the object as is (it already has the variant's shape), anything else is `unknown`.
 */
export const toExportLine = (json: JsonObject): ExportLine =>
  typeof json.type === "string" && knownTypes.has(json.type)
    ? (json as ExportLine)
    : { type: "unknown", raw: json }

/**
 * The server's "stream failed partway" line: an error envelope (`{ error: { code,
 * message } }`, optionally with `request_id`) where an event was expected. Event lines
 * always carry a `type`; this line does not.
 */
export interface TruncationLine {
  readonly code: string | undefined
  readonly message: string | undefined
  readonly requestId: string | undefined
}

/** Recognises the truncation line, see {@link TruncationLine}. */
export const asTruncationLine = (json: JsonObject): TruncationLine | undefined => {
  if (json.type !== undefined || json.error === undefined || json.error === null) return undefined
  const requestId = typeof json.request_id === "string" ? json.request_id : undefined
  if (typeof json.error === "string") return { code: undefined, message: json.error, requestId }
  if (!isJsonObject(json.error)) return undefined
  const { code, message } = json.error
  return {
    code: typeof code === "string" ? code : undefined,
    message: typeof message === "string" ? message : undefined,
    requestId
  }
}

/**
 * The session a line belongs to, when the line names it: `session_id`, or the
 * `session.session_id` of a `session_meta` envelope that nests the session.
 */
export const sessionIdOf = (line: ExportLine): string | undefined => {
  const fields: JsonObject = line.type === "unknown" ? line.raw : line
  if (typeof fields.session_id === "string" && fields.session_id !== "") return fields.session_id
  const session = fields.session
  if (isJsonObject(session) && typeof session.session_id === "string" && session.session_id !== "") {
    return session.session_id
  }
  return undefined
}
