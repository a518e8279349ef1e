/**
 * Reads a response body as text, refusing bodies above a cap so that a runaway answer
 * fails clearly instead of exhausting memory.
 */
import { Effect, Stream } from "effect"
import type { HttpClientError, HttpClientResponse } from "effect/http"
import { TransportError } from "../Errors.js"

/** Default cap of a JSON response body: 10 MiB. */
export const defaultMaxResponseBytes = 10 * 1024 * 1024

const tooLarge = (operationId: string, status: number, maxBytes: number) =>
  new TransportError({
    message: `the response body of ${operationId} exceeds ${maxBytes} bytes (maxResponseBytes)`,
    operationId,
    status,
    reason: "BodyTooLarge"
  })

/** The body as text, or `BodyTooLarge`; other read failures stay `HttpClientError`s. */
export const readBodyCapped = (
  response: HttpClientResponse.HttpClientResponse,
  maxBytes: number,
  operationId: string
): Effect.Effect<string, TransportError | HttpClientError.HttpClientError> => {
  const declared = response.headers["content-length"]
  if (declared !== undefined) {
    const length = Number(declared)
    if (Number.isFinite(length)) {
      // fetch rejects bodies that do not match their Content-Length, so it can be trusted.
      return length > maxBytes ? Effect.fail(tooLarge(operationId, response.status, maxBytes)) : response.text
    }
  }
  // Unknown length (chunked): count while reading and stop at the cap.
  return Effect.suspend(() => {
    const chunks: Array<Uint8Array> = []
    let total = 0
    return response.stream.pipe(
      Stream.runForEach((chunk) => {
        total += chunk.byteLength
        if (total > maxBytes) return Effect.fail(tooLarge(operationId, response.status, maxBytes))
        chunks.push(chunk)
        return Effect.void
      }),
      Effect.map(() => {
        const decoder = new TextDecoder()
        let text = ""
        for (const chunk of chunks) text += decoder.decode(chunk, { stream: true })
        return text + decoder.decode()
      })
    )
  })
}
