/**
 * Reads the Flashduty JSON envelope of an answer: `{request_id, data}` on success,
 * `{request_id, error: {code, message}}` on failure (also on HTTP 200 when `code` is set
 * and not `OK`), anything else a gateway's answer.
 */
import * as Effect from "effect/Effect"
import type * as Headers from "effect/http/Headers"
import type * as SchemaIssue from "effect/SchemaIssue"
import type { ApiResponse } from "../ApiResponse.js"
import { DecodeError, type FlashdutyError, GatewayError, RateLimited } from "../Errors.js"
import { clip } from "./clip.js"
import { toFlashdutyError } from "./errorMapping.js"
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
}

/** `error.code` and `error.message` of an envelope, scrubbed of `secrets` (a server may echo them), bounded. */
const errorPayloadOf = (
  body: Record<string, unknown>,
  secrets: ReadonlyArray<string>
): ErrorPayload | undefined => {
  const error = body.error
  if (typeof error !== "object" || error === null) return undefined
  const { code, message } = error as { code?: unknown; message?: unknown }
  return {
    code: typeof code === "string" && code !== "" ? clip(scrubValue(code, secrets), 100) : undefined,
    message:
      typeof message === "string" && message !== "" ? clip(scrubText(message, secrets), 1000) : undefined
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
    retryAfter: parseRetryAfter(answer.headers["retry-after"], answer.nowMillis)
  })

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
  if (!isOk(answer.status) || (payload?.code !== undefined && payload.code !== "OK")) {
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
  return decodeData(data).pipe(
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
