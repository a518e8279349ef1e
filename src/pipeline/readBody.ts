/**
 * Reads a response body whole, as text, counting the *decoded* bytes and stopping as soon
 * as they pass a cap, so that a runaway answer fails clearly instead of exhausting memory.
 *
 * The cap is checked on the bytes the `HttpClient` hands over, never on `Content-Length`
 * alone: fetch inflates `gzip`, `br` and `deflate` bodies itself, so an honest
 * `Content-Length` of a few hundred bytes can stand for gigabytes of text. A declared
 * length is only used to refuse early, when the body is not encoded.
 */
import * as Effect from "effect/Effect"
import * as HttpClientError from "effect/http/HttpClientError"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Stream from "effect/Stream"
import { TransportError } from "../Errors.js"

/** Default cap of a body read whole: 10 MiB. */
export const defaultMaxResponseBytes = 10 * 1024 * 1024

const tooLarge = (operationId: string, status: number, maxBytes: number) =>
  new TransportError({
    message: `the response body of ${operationId} exceeds ${maxBytes} bytes (maxResponseBytes)`,
    operationId,
    status,
    reason: "BodyTooLarge"
  })

/** Whether the body travels encoded (compressed), so its `Content-Length` says nothing of its decoded size. */
const isEncoded = (response: HttpClientResponse.HttpClientResponse): boolean => {
  const encoding = response.headers["content-encoding"]
  return encoding !== undefined && encoding.trim() !== "" && encoding.trim().toLowerCase() !== "identity"
}

/** A declared length over the cap, for an unencoded body: refused before reading a byte. */
const declaredTooLong = (response: HttpClientResponse.HttpClientResponse, maxBytes: number): boolean => {
  if (isEncoded(response)) return false
  const declared = Number(response.headers["content-length"])
  return Number.isFinite(declared) && declared > maxBytes
}

/**
 * Cancels a body that will not be read (refused before reading, a redirect), releasing its
 * connection now: a call's request is not tied to a scope whose closing would abort it
 * (`clientTransform.ts`). A body that is not a fetch `Response`'s is left to its client.
 */
export const discardBody = (response: HttpClientResponse.HttpClientResponse): void => {
  const web = HttpClientResponse.toWeb(response)
  const body = web._tag === "Some" ? web.value.body : null
  if (body !== null && !body.locked) body.cancel().catch(() => {})
}

/**
 * The body as text, or `BodyTooLarge` once more than `maxBytes` decoded bytes arrived (the
 * read stops there and the body is cancelled); other read failures stay `HttpClientError`s.
 * A response without a body (a 204) reads as `""`.
 */
export const readBodyCapped = (
  response: HttpClientResponse.HttpClientResponse,
  maxBytes: number,
  operationId: string
): Effect.Effect<string, TransportError | HttpClientError.HttpClientError> => {
  if (declaredTooLong(response, maxBytes)) {
    discardBody(response)
    return Effect.fail(tooLarge(operationId, response.status, maxBytes))
  }
  const web = HttpClientResponse.toWeb(response)
  if (web._tag === "Some") {
    const body = web.value.body
    return body === null ? Effect.succeed("") : readWebCapped(response, body, maxBytes, operationId)
  }
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
  if (chunks.length === 0) return ""
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
 * A fetch-backed response's Web body, read with one reader: cheaper than `response.stream`
 * (a Channel per body, an aborted controller and its `DOMException` at the end).
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
