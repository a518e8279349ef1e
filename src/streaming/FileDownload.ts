/**
 * A file the API answered with (CSV exports, mapping data downloads): its bytes as a
 * stream, with the content type and the file name the server suggested.
 */
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Stream from "effect/Stream"
import type { FlashdutyError } from "../Errors.js"
import { fromHttpClientError } from "../internal/transportError.js"
import { fileNameFromContentDisposition } from "./ContentDisposition.js"

export interface FileDownload {
  /** The `Content-Type` as sent, e.g. `text/csv; charset=utf-8`; `application/octet-stream` when absent. */
  readonly contentType: string
  /** From `Content-Disposition` (`filename*` preferred); as sent, so sanitise before using it as a path. */
  readonly fileName: string | undefined
  /** `Content-Length`, when the server declared it for an unencoded (uncompressed) body. */
  readonly contentLength: number | undefined
  /**
   * The body. It can be consumed once, while the scope that produced the download is
   * open; a read failure is a `TransportError` with reason `"Body"`.
   */
  readonly stream: Stream.Stream<Uint8Array, FlashdutyError>
}

/**
 * The body of a response as bytes, read failures mapped to the SDK's `TransportError`
 * (never carrying the request, whose URL holds the app key).
 */
export const responseBytes = (
  response: HttpClientResponse.HttpClientResponse,
  operationId: string
): Stream.Stream<Uint8Array, FlashdutyError> =>
  Stream.mapError(response.stream, (error) => fromHttpClientError(error, operationId, []))

const declaredLength = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const length = Number(value)
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined
}

/**
 * Describes a response as a {@link FileDownload}.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { HttpClient } from "effect/http"
 * import { fileDownloadFromResponse } from "effect-flashduty"
 *
 * const size = Effect.scoped(
 *   Effect.gen(function* () {
 *     const response = yield* HttpClient.get("http://localhost:8080/report.csv")
 *     const file = fileDownloadFromResponse(response, "report")
 *     return yield* Stream.runFold(file.stream, () => 0, (n, chunk) => n + chunk.length)
 *   })
 * )
 * ```
 */
export const fileDownloadFromResponse = (
  response: HttpClientResponse.HttpClientResponse,
  operationId: string
): FileDownload => ({
  contentType: response.headers["content-type"] ?? "application/octet-stream",
  fileName: fileNameFromContentDisposition(response.headers["content-disposition"]),
  // An encoded (compressed) body's Content-Length is its size on the wire, not the bytes streamed here.
  contentLength:
    response.headers["content-encoding"] === undefined
      ? declaredLength(response.headers["content-length"])
      : undefined,
  stream: responseBytes(response, operationId)
})

/** Whether a `Content-Type` announces JSON (`application/json`, `application/problem+json`, ...). */
export const isJsonContentType = (contentType: string | undefined): boolean => {
  if (contentType === undefined) return false
  const essence = (contentType.split(";")[0] ?? "").trim().toLowerCase()
  return essence === "application/json" || (essence.startsWith("application/") && essence.endsWith("+json"))
}
