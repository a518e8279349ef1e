/**
 * Reads the Flashduty JSON envelope of an answer as go-flashduty reads the live API:
 *
 * - success: a 2xx whose `error` is absent or has a success code (`""`, `"0"`, `"OK"`); its
 *   `data` decoded by the operation's schema, a missing or `null` `data` (Go's `omitempty` on a
 *   nil payload) as the operation's empty payload (`{}`, `[]` or `""`, whichever its schema takes);
 * - failure: any other `error.code`, or any non-2xx status, as a tagged error carrying `code`,
 *   `reason` and the message (`errorMapping.ts`); an `error` that is a plain string is its message;
 * - anything that is not JSON: a gateway's answer (`GatewayError`, or `RateLimited` for a 429).
 */
import * as Effect from "effect/Effect"
import type * as Headers from "effect/http/Headers"
import type * as SchemaIssue from "effect/SchemaIssue"
import type { ApiResponse } from "../ApiResponse.js"
import { DecodeError, type FlashdutyError, GatewayError, RateLimited } from "../Errors.js"
import { clip } from "./clip.js"
import { isSuccessCode, toFlashdutyError } from "./errorMapping.js"
import { preview, scrubText, scrubValue } from "./redact.js"
import { buildMeta, parseRetryAfter, requestIdOf } from "./responseMeta.js"
import { firstProblem } from "./schemaIssue.js"

/** Everything about one answer that the interpretation needs. */
export interface Answer {
  readonly operationId: string
  readonly status: number
  readonly headers: Headers.Headers
  readonly text: string
  readonly nowMillis: number
  /** Secrets to scrub from anything copied out of the body. */
  readonly secrets: ReadonlyArray<string>
}

const isOk = (status: number) => status >= 200 && status < 300

interface ErrorPayload {
  readonly code: string | undefined
  readonly message: string | undefined
  readonly reason: string | undefined
  /** Whether the envelope says this is a failure (a code that is not a success code, or a bare message). */
  readonly failed: boolean
}

/**
 * `error.code`, `error.message` and `error.reason` of an envelope, scrubbed of `secrets` (a
 * server may echo them) and bounded; an `error` that is a plain string is a message.
 */
const errorPayloadOf = (
  body: Record<string, unknown>,
  secrets: ReadonlyArray<string>
): ErrorPayload | undefined => {
  const error = body.error
  if (typeof error === "string") {
    return error === ""
      ? undefined
      : { code: undefined, message: clip(scrubText(error, secrets), 1000), reason: undefined, failed: true }
  }
  if (typeof error !== "object" || error === null) return undefined
  const { code, message, reason } = error as { code?: unknown; message?: unknown; reason?: unknown }
  const text = (value: unknown, max: number, scrub: typeof scrubText) =>
    typeof value === "string" && value !== "" ? clip(scrub(value, secrets), max) : undefined
  const wireCode = typeof code === "string" ? code : typeof code === "number" ? String(code) : undefined
  return {
    code: text(wireCode, 100, scrubValue),
    message: text(message, 1000, scrubText),
    reason: text(reason, 200, scrubValue),
    failed: !isSuccessCode(wireCode)
  }
}

/** A non-JSON (or empty) answer: `RateLimited` for a 429, else `GatewayError`. */
const nonJson = (answer: Answer): FlashdutyError => {
  const requestId = requestIdOf(undefined, answer.headers, answer.secrets)
  const common = {
    operationId: answer.operationId,
    status: answer.status,
    ...(requestId === undefined ? {} : { requestId })
  }
  if (answer.status === 429) {
    const retryAfter = parseRetryAfter(answer.headers["retry-after"], answer.nowMillis)
    return new RateLimited({
      ...common,
      message: `HTTP 429 from ${answer.operationId}`,
      ...(retryAfter === undefined ? {} : { retryAfter })
    })
  }
  const kind = answer.text.trim() === "" ? "an empty body" : "a non-JSON body"
  return new GatewayError({
    ...common,
    message: `HTTP ${answer.status} with ${kind} from ${answer.operationId} (a proxy or gateway answered?)`,
    preview: preview(answer.text, answer.secrets)
  })
}

/** The error of a failed answer with a JSON body. */
const failure = (answer: Answer, body: unknown, payload: ErrorPayload | undefined): FlashdutyError =>
  toFlashdutyError({
    operationId: answer.operationId,
    status: answer.status,
    requestId: requestIdOf(body, answer.headers, answer.secrets),
    code: payload?.code,
    message: payload?.message ?? `HTTP ${answer.status} from ${answer.operationId}`,
    reason: payload?.reason,
    retryAfter: parseRetryAfter(answer.headers["retry-after"], answer.nowMillis)
  })

/** The empty payloads a missing `data` may stand for, in the order tried. */
const emptyPayloads: ReadonlyArray<unknown> = [{}, [], ""]

/**
 * `data` decoded; a missing or `null` one (Go's `omitempty` on a nil payload, or a nil
 * pointer) as itself when the schema takes it (`unknown`), else as the first empty payload
 * the schema accepts: `{}` for an object (its lists come out empty), `[]`, `""`.
 */
const decodeOrEmpty = <A>(
  decodeData: (data: unknown) => Effect.Effect<A, SchemaIssue.Issue>,
  data: unknown
): Effect.Effect<A, SchemaIssue.Issue> => {
  if (data !== undefined && data !== null) return decodeData(data)
  return emptyPayloads.reduce(
    (attempt: Effect.Effect<A, SchemaIssue.Issue>, empty) => Effect.catch(attempt, () => decodeData(empty)),
    decodeData(data)
  )
}

const parseJson = (text: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false } => {
  if (text === "") return { ok: false }
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false }
  }
}

/**
 * Interprets an answer: the decoded `data` and its metadata, or the tagged error.
 * `decodeData` is the operation's cached decoder.
 */
export const interpret = <A>(
  answer: Answer,
  decodeData: (data: unknown) => Effect.Effect<A, SchemaIssue.Issue>
): Effect.Effect<ApiResponse<A>, FlashdutyError> => {
  const parsed = parseJson(answer.text)
  if (!parsed.ok) return Effect.fail(nonJson(answer))
  const body = parsed.value
  const isObject = typeof body === "object" && body !== null && !Array.isArray(body)
  const payload = isObject ? errorPayloadOf(body as Record<string, unknown>, answer.secrets) : undefined
  if (!isOk(answer.status) || payload?.failed === true) {
    return Effect.fail(failure(answer, body, payload))
  }
  const requestId = requestIdOf(body, answer.headers, answer.secrets)
  if (!isObject) {
    return Effect.fail(
      new DecodeError({
        message: `${answer.operationId}: expected the {request_id, data} envelope`,
        operationId: answer.operationId,
        status: answer.status,
        path: "",
        ...(requestId === undefined ? {} : { requestId })
      })
    )
  }
  const data = (body as { data?: unknown }).data
  return decodeOrEmpty(decodeData, data).pipe(
    Effect.mapError((issue) => {
      const problem = firstProblem(issue)
      const at = problem.path === "" ? "data" : `data.${problem.path}`
      return new DecodeError({
        message: `${answer.operationId}: the answer does not fit its schema at ${at}: ${problem.message}`,
        operationId: answer.operationId,
        status: answer.status,
        path: problem.path,
        ...(requestId === undefined ? {} : { requestId })
      })
    }),
    Effect.map((decoded) => ({
      data: decoded,
      meta: buildMeta(answer.status, answer.headers, requestId, data, answer.nowMillis, answer.secrets)
    }))
  )
}
