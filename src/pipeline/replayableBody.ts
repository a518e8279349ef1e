/**
 * Whether a request body can be sent again exactly as the first time, so that a retry
 * re-sends what was meant and never, say, the multipart framing around a stream that the
 * first attempt consumed (an empty file reported as uploaded).
 *
 * Bytes, text and `FormData` are values: always replayable. A `Stream` body is replayable
 * only when whoever built it vouched that running it again yields the same bytes
 * ({@link markReplayable}: a multipart body made of bytes in memory and files on disk).
 */
import type * as HttpBody from "effect/http/HttpBody"

const vouched = new WeakSet<HttpBody.HttpBody>()

/** Records that running `body` again yields the same bytes; returns it. */
export const markReplayable = <B extends HttpBody.HttpBody>(body: B): B => {
  vouched.add(body)
  return body
}

/** Whether `body` can be sent again exactly. */
export const isReplayable = (body: HttpBody.HttpBody): boolean => {
  switch (body._tag) {
    case "Empty":
    case "Uint8Array":
    case "FormData":
      return true
    case "Raw":
      return (
        typeof body.body === "string" ||
        body.body instanceof ArrayBuffer ||
        body.body instanceof Uint8Array ||
        (typeof Blob !== "undefined" && body.body instanceof Blob) ||
        body.body instanceof URLSearchParams ||
        vouched.has(body)
      )
    case "Stream":
      return vouched.has(body)
  }
}
