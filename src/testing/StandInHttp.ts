/**
 * The transport-neutral shape of one exchange with the stand-in. The engine only
 * speaks these types; the in-memory `HttpClient` and the loopback `node:http`
 * server each translate them to their own world, so both behave identically.
 */
import * as Data from "effect/Data"
import * as Stream from "effect/Stream"

/** One request as the stand-in sees it, whichever transport carried it. */
export interface StandInRequest {
  readonly method: string
  readonly url: URL
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
}

/**
 * The connection is cut. Before the status line this is a dropped connection; as
 * the failure of a body stream it is a truncated body (the server destroys the socket
 * after the bytes sent so far, the in-memory client errors the body stream).
 */
export class ConnectionDropped extends Data.TaggedError("ConnectionDropped")<{
  readonly reason: string
}> {}

/** One answer: status and headers first, then a lazily produced body. */
export interface StandInResponse {
  readonly status: number
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: Stream.Stream<Uint8Array, ConnectionDropped>
}

const encoder = new TextEncoder()

/** An answer whose body is the given text (encoded once, sent as one chunk). */
export const textResponse = (
  status: number,
  contentType: string,
  text: string,
  headers: Readonly<Record<string, string>> = {}
): StandInResponse => {
  const bytes = encoder.encode(text)
  return {
    status,
    headers: { ...headers, "content-type": contentType, "content-length": String(bytes.byteLength) },
    body: Stream.succeed(bytes)
  }
}

/** An answer with a JSON body. */
export const jsonResponse = (
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {}
): StandInResponse => textResponse(status, "application/json; charset=utf-8", JSON.stringify(value), headers)
