/**
 * Whose event is this line? With `include_subagents: true` the export inlines each
 * subagent's transcript right after its `subagent_dispatch` line, bracketed by the
 * subagent's own `session_meta`. This tracks the nesting so a caller can tell a
 * subagent's `llm_call` from the parent's.
 */
import * as Stream from "effect/Stream"
import { type ExportLine, sessionIdOf } from "./ExportLine.js"

/** A transcript line with the session it belongs to. */
export interface OwnedExportLine {
  readonly line: ExportLine
  /** The session that produced the line; `undefined` only if no line named it. */
  readonly sessionId: string | undefined
  /** The session that dispatched it, for a subagent's line; `undefined` for the root session. */
  readonly parentSessionId: string | undefined
  /** 0 for the exported session, 1 for its subagents, 2 for theirs, ... */
  readonly depth: number
}

/** The open sessions, outermost first. */
type Stack = ReadonlyArray<string | undefined>

const indexIn = (stack: Stack, sessionId: string | undefined) =>
  sessionId === undefined ? -1 : stack.lastIndexOf(sessionId)

const owned = (line: ExportLine, stack: Stack, depth: number): OwnedExportLine => ({
  line,
  sessionId: stack[depth],
  parentSessionId: depth > 0 ? stack[depth - 1] : undefined,
  depth
})

/**
 * One step of ownership tracking, pure: the stack of open sessions before the line, and
 * the line's owner with the stack after it.
 *
 * Rules: a `session_meta` for a session not yet open opens it (nested in the current
 * one); a line naming an open session (by `session_id`) returns to it, closing the
 * subagents nested in it; a line naming no session belongs to the innermost open one.
 */
const assignOwner = (stack: Stack, line: ExportLine): readonly [stack: Stack, owned: OwnedExportLine] => {
  const sessionId = sessionIdOf(line)
  const open = indexIn(stack, sessionId)
  if (open >= 0) {
    const next = open === stack.length - 1 ? stack : stack.slice(0, open + 1)
    return [next, owned(line, next, open)]
  }
  if (line.type === "session_meta") {
    const next = [...stack, sessionId]
    return [next, owned(line, next, next.length - 1)]
  }
  if (sessionId !== undefined) {
    // A session never announced by a session_meta: trust the line's own id, one level
    // below the current session, without reshaping the stack.
    return [stack, { line, sessionId, parentSessionId: stack[stack.length - 1], depth: stack.length }]
  }
  return [stack, owned(line, stack, Math.max(0, stack.length - 1))]
}

/**
 * Annotates each transcript line with the session it belongs to.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { Flashduty, withOwners } from "effect-flashduty"
 *
 * const subagentCalls = Effect.gen(function* () {
 *   const fd = yield* Flashduty
 *   return yield* fd.sessions.export({ session_id: "sess_1", include_subagents: true }).pipe(
 *     withOwners,
 *     Stream.filter((owned) => owned.depth > 0 && owned.line.type === "llm_call"),
 *     Stream.runCount
 *   )
 * })
 * ```
 */
export const withOwners = <E, R>(
  lines: Stream.Stream<ExportLine, E, R>
): Stream.Stream<OwnedExportLine, E, R> =>
  Stream.mapAccum(
    lines,
    (): Stack => [],
    (stack, line) => {
      const [next, result] = assignOwner(stack, line)
      return [next, [result]] as const
    }
  )
