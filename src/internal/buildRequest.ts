/**
 * Builds the HTTP request of an operation: POST with a JSON body, or GET with query
 * parameters (arrays repeated, absent values omitted), plus the SDK's headers.
 */
import * as Headers from "effect/http/Headers"
import * as HttpBody from "effect/http/HttpBody"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as UrlParams from "effect/http/UrlParams"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type { OperationInfo } from "../Operation.js"

type Param = readonly [string, string | Redacted.Redacted]

const scalar = (value: unknown): string =>
  typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value)

/** Query parameters of an encoded GET input: arrays repeated, `undefined`/`null` omitted. */
export const toQueryParams = (encoded: unknown): Array<Param> => {
  const params: Array<Param> = []
  if (typeof encoded !== "object" || encoded === null) return params
  for (const [key, value] of Object.entries(encoded)) {
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) {
      for (const item of value) if (item !== undefined && item !== null) params.push([key, scalar(item)])
    } else {
      params.push([key, scalar(value)])
    }
  }
  return params
}

/** What the request carries besides the operation's input. */
export interface RequestParts {
  readonly url: string
  /** Lower-cased names; later entries win. */
  readonly headers: Record<string, string>
  /** Extra query parameters (the `app_key`, as `Redacted`). */
  readonly params: ReadonlyArray<Param>
}

/** An encoded JSON input, or a ready body (multipart) for `send`. */
export type RequestPayload =
  | { readonly _tag: "Json"; readonly encoded: unknown }
  | { readonly _tag: "Body"; readonly body: HttpBody.HttpBody }

const emptyObject = HttpBody.text("{}", "application/json")

/** The request of one attempt. */
export const buildRequest = (
  operation: OperationInfo,
  payload: RequestPayload,
  parts: RequestParts
): HttpClientRequest.HttpClientRequest => {
  const headers = Headers.fromRecordUnsafe(parts.headers)
  if (operation.httpMethod === "GET") {
    const query = payload._tag === "Json" ? toQueryParams(payload.encoded) : []
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
  const body =
    payload._tag === "Body"
      ? payload.body
      : payload.encoded === undefined
        ? emptyObject
        : HttpBody.text(JSON.stringify(payload.encoded), "application/json")
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
