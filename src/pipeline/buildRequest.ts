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
 * query parameters, or a ready body (multipart), with whether it can be sent again exactly.
 */
export type RequestPayload =
  | {
      readonly _tag: "Json"
      readonly body: HttpBody.HttpBody
      readonly encoded: unknown
      readonly replayable: true
    }
  | {
      readonly _tag: "Query"
      readonly params: ReadonlyArray<Param>
      readonly encoded: unknown
      readonly replayable: true
    }
  | { readonly _tag: "Body"; readonly body: HttpBody.HttpBody; readonly replayable: boolean }

const emptyObject = HttpBody.text("{}", "application/json")

/** The payload of an encoded input for `operation`, or where and why it cannot be sent. */
export const serialize = (
  operation: OperationInfo,
  encoded: unknown
): Result.Result<RequestPayload, JsonProblem> => {
  if (operation.httpMethod === "GET") {
    return Result.map(toQueryParams(encoded), (params) => ({
      _tag: "Query",
      params,
      encoded,
      replayable: true
    }))
  }
  if (encoded === undefined)
    return Result.succeed({ _tag: "Json", body: emptyObject, encoded, replayable: true })
  return Result.map(toJsonText(encoded), (text) => ({
    _tag: "Json",
    body: HttpBody.text(text, "application/json"),
    encoded,
    replayable: true
  }))
}

/** A ready body (multipart) as a payload. */
export const bodyPayload = (body: HttpBody.HttpBody): RequestPayload => ({
  _tag: "Body",
  body,
  replayable: isReplayable(body)
})

/** The request of one attempt. */
export const buildRequest = (
  operation: OperationInfo,
  payload: RequestPayload,
  parts: RequestParts
): HttpClientRequest.HttpClientRequest => {
  const headers = Headers.fromRecordUnsafe(parts.headers)
  if (operation.httpMethod === "GET") {
    const query = payload._tag === "Query" ? payload.params : []
    const params = parts.params.length === 0 ? query : query.concat(parts.params)
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
      UrlParams.make(parts.params),
      Option.none(),
      headers,
      HttpBody.empty
    ),
    body
  )
}
