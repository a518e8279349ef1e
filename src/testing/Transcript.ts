/**
 * A generated AI SRE session transcript, as `POST /safari/session/export` streams it
 * (`application/x-ndjson`): first a `session_meta` line, then one event per line
 * (`user_message`, `llm_call`, `tool_call`, `subagent_dispatch`, `agent_text`,
 * `error`, `final_answer`). With `include_subagents`, each `subagent_dispatch` line
 * is followed by the child session's own stream, bracketed by its `session_meta`.
 *
 * Lines are produced lazily in chunks of about `chunkBytes`, so a transcript of any
 * size (1 GiB for the benchmark) streams in constant memory.
 *
 * Every line carries `type`, `session_id`, `seq` (per session), `event_id` and
 * `created_at` (Unix ms). The server's own failure mid-stream is a final line shaped
 * like the error envelope, without `type`:
 * `{"request_id":"…","error":{"code":"InternalError","message":"…"}}`; an agent's
 * `error` event instead has `type: "error"` and `error_code`/`error_message`.
 */
import * as Stream from "effect/Stream"

export interface TranscriptOptions {
  /** Event lines of the top-level session after its `session_meta` (subagent lines not counted); default 200. */
  readonly lines?: number
  /** Instead of `lines`: keep adding events until the body reaches this many bytes (then `final_answer`). */
  readonly bytes?: number
  /** Approximate size of one event line in bytes (the text is padded); default 240. */
  readonly lineBytes?: number
  /** One `subagent_dispatch` every this many events; default 25; 0 for none. */
  readonly subagentEvery?: number
  /** Events in each subagent's own transcript; default 6. */
  readonly subagentLines?: number
  /** One agent `error` event every this many events; default 0 (none). */
  readonly errorEvery?: number
  /** Size of the byte chunks handed to the transport; default 64 KiB. */
  readonly chunkBytes?: number
}

export interface TranscriptRequest {
  readonly sessionId: string
  /** The response's request id, repeated in the server's error line. */
  readonly requestId: string
  readonly includeSubagents: boolean
  /** Base time of the first line, Unix ms. */
  readonly startedAtMillis: number
  /** End the stream with the server's error line after this many lines (the fault). */
  readonly failAfterLines?: number
  readonly failure?: { readonly code: string; readonly message: string }
}

const FILLER =
  "Checked the p99 latency panel for the checkout service; the spike lines up with the 14:02 deploy " +
  "and the connection pool saturating on prod-db-01. "

const pad = (target: number): string => {
  if (target <= 0) return ""
  let text = FILLER
  while (text.length < target) text += FILLER
  return text.slice(0, target)
}

const TOOLS = ["query_metrics", "search_logs", "get_incident", "list_changes", "run_promql"] as const

/** Lines of one session; `dispatch` yields a child's lines after its dispatch line when subagents are inlined. */
function* sessionLines(
  sessionId: string,
  parentSessionId: string,
  eventCount: number | undefined,
  options: Required<Omit<TranscriptOptions, "bytes">>,
  startedAtMillis: number,
  includeSubagents: boolean,
  budget: { bytes: number; readonly limit: number | undefined }
): Generator<string> {
  const text = pad(Math.max(0, options.lineBytes - 130))
  let seq = 0
  const head = (type: string) =>
    `{"type":"${type}","session_id":"${sessionId}","seq":${seq},"event_id":"${sessionId}-${seq}","created_at":${startedAtMillis + seq * 1000}`
  const emit = (line: string) => {
    budget.bytes += line.length + 1
    seq++
    return `${line}\n`
  }
  yield emit(
    `${head("session_meta")},"parent_session_id":"${parentSessionId}","session_name":"Investigate checkout latency","app_name":"ai-sre","entry_kind":"${parentSessionId === "" ? "api" : "subagent"}"}`
  )
  yield emit(
    `${head("user_message")},"author":"user","text":${JSON.stringify(`Why is checkout slow? ${text}`)}}`
  )
  let event = 1
  const more = () =>
    eventCount !== undefined
      ? event < eventCount - 1
      : budget.limit !== undefined && budget.bytes < budget.limit
  while (more()) {
    event++
    if (options.errorEvery > 0 && event % options.errorEvery === 0) {
      yield emit(
        `${head("error")},"error_code":"ToolTimeout","error_message":"search_logs timed out after 30s; retrying with a narrower window"}`
      )
    } else if (options.subagentEvery > 0 && event % options.subagentEvery === 0) {
      const child = `${sessionId}-sub${event}`
      yield emit(
        `${head("subagent_dispatch")},"subagent_session_id":"${child}","agent":"log-investigator","task":"Correlate errors around the deploy"}`
      )
      if (includeSubagents) {
        yield* sessionLines(
          child,
          sessionId,
          Math.max(2, options.subagentLines),
          { ...options, subagentEvery: 0 },
          startedAtMillis + seq * 1000,
          false,
          budget
        )
      }
    } else {
      switch (event % 3) {
        case 0:
          yield emit(
            `${head("llm_call")},"model":"standin-llm","input_tokens":${1000 + event},"output_tokens":${200 + (event % 50)},"duration_ms":${800 + (event % 400)},"text":"${text}"}`
          )
          break
        case 1:
          yield emit(
            `${head("tool_call")},"tool":"${TOOLS[event % TOOLS.length]}","arguments":{"service":"checkout","window":"15m"},"output":"${text}","duration_ms":${50 + (event % 200)}}`
          )
          break
        default:
          yield emit(`${head("agent_text")},"author":"ai-sre","text":"${text}"}`)
      }
    }
  }
  yield emit(
    `${head("final_answer")},"author":"ai-sre","text":"The 14:02 deploy halved the DB pool size; roll back or raise pool_max to 50."}`
  )
}

function* transcriptChunks(options: TranscriptOptions, request: TranscriptRequest): Generator<Uint8Array> {
  const encoder = new TextEncoder()
  const chunkBytes = options.chunkBytes ?? 65_536
  const resolved = {
    lines: options.lines ?? 200,
    lineBytes: options.lineBytes ?? 240,
    subagentEvery: options.subagentEvery ?? 25,
    subagentLines: options.subagentLines ?? 6,
    errorEvery: options.errorEvery ?? 0,
    chunkBytes
  }
  const budget = { bytes: 0, limit: options.bytes }
  // `user_message` and `final_answer` are always there, so at least two events.
  const eventCount = options.bytes === undefined ? Math.max(2, resolved.lines) : undefined
  // Lines are gathered and encoded once per chunk: one `encode` per 64 KiB, not per line.
  let pending: Array<string> = []
  let pendingBytes = 0
  let lines = 0
  const failAfter = request.failAfterLines
  for (const line of sessionLines(
    request.sessionId,
    "",
    eventCount,
    resolved,
    request.startedAtMillis,
    request.includeSubagents,
    budget
  )) {
    if (failAfter !== undefined && lines >= failAfter) break
    pending.push(line)
    pendingBytes += line.length
    lines++
    if (pendingBytes >= chunkBytes) {
      yield encoder.encode(pending.join(""))
      pending = []
      pendingBytes = 0
    }
  }
  if (failAfter !== undefined && lines >= failAfter) {
    const failure = request.failure ?? { code: "InternalError", message: "export aborted" }
    pending.push(`${JSON.stringify({ request_id: request.requestId, error: failure })}\n`)
  }
  if (pending.length > 0) yield encoder.encode(pending.join(""))
}

/** The transcript as a lazy byte stream; each run regenerates it from the start. */
export const transcriptStream = (
  options: TranscriptOptions,
  request: TranscriptRequest
): Stream.Stream<Uint8Array> =>
  Stream.suspend(() => Stream.fromIterable(transcriptChunks(options, request), { chunkSize: 1 }))
