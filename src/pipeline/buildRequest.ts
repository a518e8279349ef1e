/**
 * The request of one attempt: the operation's serialised input (a JSON body for POST,
 * query parameters for GET, or a ready body such as multipart), the credentials and the
 * SDK's headers.
 *
 * The input is serialised once per call ({@link serialize}), before anything is sent, so
 * that a value JSON cannot carry is the caller's `InvalidParameter`, never a defect
 * halfway through, and retries re-send the very same text.
 */
import * as Headers from "effect/http/Headers"
import * as HttpBody from "effect/http/HttpBody"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as UrlParams from "effect/http/UrlParams"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import type { OperationInfo } from "../runtime/Operation.js"
import { type JsonProblem, toJsonText, toQueryParams } from "./jsonText.js"
import { isReplayable } from "./replayableBody.js"

type Param = readonly [string, string | Redacted.Redacted]

/** What the request carries besides the operation's input. */
export interface RequestParts {
  readonly url: string
  /** Lower-cased names; later entries win. */
  readonly headers: Record<string, string>
  /** Extra query parameters (the `app_key`, as `Redacted`). */
  readonly params: ReadonlyArray<Param>
}

/**
 * An operation's input ready to send: JSON text (with the encoded value, for debug logs),
 * query parameters, or a ready body (multipart, with the query parameters it goes with), with
 * whether it can be sent again exactly, and the path with its parameters filled in.
 */
export type RequestPayload =
  | {
      readonly _tag: "Json"
      readonly path: string
      readonly body: HttpBody.HttpBody
      readonly encoded: unknown
      readonly replayable: true
    }
  | {
      readonly _tag: "Query"
      readonly path: string
      readonly params: ReadonlyArray<Param>
      readonly encoded: unknown
      readonly replayable: true
    }
  | {
      readonly _tag: "Body"
      readonly path: string
      readonly body: HttpBody.HttpBody
      readonly params: ReadonlyArray<Param>
      readonly replayable: boolean
    }

/** A body an operation prepared (multipart), with the query parameters it goes with. */
export type PreparedBody =
  | HttpBody.HttpBody
  | { readonly body: HttpBody.HttpBody; readonly query: ReadonlyArray<readonly [string, string]> }

const emptyObject = HttpBody.text("{}", "application/json")

/**
 * The operation's path with its `pathParams` taken from the encoded input (and removed from
 * it), each as one URL-encoded segment: a value that is not a non-empty string or number, or
 * that would change the path (`.`, `..`), is refused.
 */
const fillPath = (
  operation: OperationInfo,
  encoded: unknown
): Result.Result<{ readonly path: string; readonly rest: unknown }, JsonProblem> => {
  const names = operation.pathParams
  if (names === undefined || names.length === 0)
    return Result.succeed({ path: operation.path, rest: encoded })
  const input = (typeof encoded === "object" && encoded !== null ? encoded : {}) as Record<string, unknown>
  const rest: Record<string, unknown> = { ...input }
  let path = operation.path
  for (const name of names) {
    const value = input[name]
    const text = typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined
    if (text === undefined || text.trim() === "" || text === "." || text === "..") {
      return Result.fail({ path: name, message: "a path parameter must be a non-empty string (not . or ..)" })
    }
    path = path.replace(`{${name}}`, encodeURIComponent(text))
    delete rest[name]
  }
  return Result.succeed({ path, rest })
}

/** The payload of an encoded input for `operation`, or where and why it cannot be sent. */
export const serialize = (
  operation: OperationInfo,
  encoded: unknown
): Result.Result<RequestPayload, JsonProblem> =>
  Result.flatMap(
    fillPath(operation, encoded),
    ({ path, rest }): Result.Result<RequestPayload, JsonProblem> => {
      if (operation.httpMethod === "GET") {
        return Result.map(toQueryParams(rest), (params) => ({
          _tag: "Query" as const,
          path,
          params,
          encoded,
          replayable: true as const
        }))
      }
      if (rest === undefined)
        return Result.succeed({
          _tag: "Json" as const,
          path,
          body: emptyObject,
          encoded,
          replayable: true as const
        })
      return Result.map(toJsonText(rest), (text) => ({
        _tag: "Json" as const,
        path,
        body: HttpBody.text(text, "application/json"),
        encoded,
        replayable: true as const
      }))
    }
  )

/** A ready body (multipart, with its query) as a payload. */
export const bodyPayload = (operation: OperationInfo, prepared: PreparedBody): RequestPayload => {
  const { body, query } = HttpBody.isHttpBody(prepared) ? { body: prepared, query: [] } : prepared
  return { _tag: "Body", path: operation.path, body, params: query, replayable: isReplayable(body) }
}

/** The request of one attempt. */
export const buildRequest = (
  operation: OperationInfo,
  payload: RequestPayload,
  parts: RequestParts
): HttpClientRequest.HttpClientRequest => {
  const headers = Headers.fromRecordUnsafe(parts.headers)
  const query = payload._tag === "Json" ? [] : payload.params
  const params = parts.params.length === 0 ? query : query.concat(parts.params)
  if (operation.httpMethod === "GET") {
    return HttpClientRequest.makeWith(
      "GET",
      parts.url,
      UrlParams.make(params),
      Option.none(),
      headers,
      HttpBody.empty
    )
  }
  const body = payload._tag === "Query" ? emptyObject : payload.body
  return HttpClientRequest.setBody(
    HttpClientRequest.makeWith(
      "POST",
      parts.url,
      UrlParams.make(params),
      Option.none(),
      headers,
      HttpBody.empty
    ),
    body
  )
}
