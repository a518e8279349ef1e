/**
 * Reads a response body as text, refusing bodies above a cap so that a runaway answer
 * fails clearly instead of exhausting memory.
 */
import * as Effect from "effect/Effect"
import * as HttpClientError from "effect/http/HttpClientError"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Stream from "effect/Stream"
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
  const web = HttpClientResponse.toWeb(response)
  if (web._tag === "Some" && web.value.body !== null)
    return readWebCapped(response, web.value.body, maxBytes, operationId)
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
      Effect.map(() => decodeUtf8(chunks, total))
    )
  })
}

const utf8 = new TextDecoder()

/** The UTF-8 text of byte chunks, decoded in one call (chunks of one body, `total` bytes). */
const decodeUtf8 = (chunks: ReadonlyArray<Uint8Array>, total: number): string => {
  if (chunks.length === 1) return utf8.decode(chunks[0])
  const whole = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    whole.set(chunk, offset)
    offset += chunk.byteLength
  }
  return utf8.decode(whole)
}

/**
 * The chunked path for a fetch-backed response: its Web body read with one reader. Going
 * through `response.stream` cost more than the rest of the executor together on a 30 KB
 * answer (a Channel per body, an aborted controller and its `DOMException` at the end;
 * bench/call-overhead.ts, fake client without Content-Length: ~930 vs ~480 µs per call).
 * Interruption (the per-attempt timeout, the caller) cancels the body, which closes the
 * connection as the `HttpClient` would.
 */
const readWebCapped = (
  response: HttpClientResponse.HttpClientResponse,
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  operationId: string
): Effect.Effect<string, TransportError | HttpClientError.HttpClientError> =>
  Effect.callback((resume) => {
    const reader = body.getReader()
    // Bytes kept and decoded once at the end: a streaming `TextDecoder` (`stream: true`) takes
    // ICU's slow path, several times the cost of one whole-buffer decode. The cap bounds them.
    const chunks: Array<Uint8Array> = []
    let total = 0
    let settled = false
    const cancel = () => {
      reader.cancel().catch(() => {
        // already errored or closed: nothing to release
      })
    }
    const fail = (cause: unknown) => {
      if (settled) return
      settled = true
      resume(
        Effect.fail(
          new HttpClientError.HttpClientError({
            reason: new HttpClientError.DecodeError({ request: response.request, response, cause })
          })
        )
      )
    }
    const pump = (): void => {
      reader.read().then(({ done, value }) => {
        if (settled) return
        if (done) {
          settled = true
          resume(Effect.succeed(decodeUtf8(chunks, total)))
          return
        }
        total += value.byteLength
        if (total > maxBytes) {
          settled = true
          cancel()
          resume(Effect.fail(tooLarge(operationId, response.status, maxBytes)))
          return
        }
        chunks.push(value)
        pump()
      }, fail)
    }
    pump()
    return Effect.sync(() => {
      settled = true
      cancel()
    })
  })
