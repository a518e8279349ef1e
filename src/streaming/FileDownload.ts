/**
 * A file the API answered with (CSV exports, mapping data downloads): its bytes as a
 * stream, with the content type and the file name the server suggested.
 */
import type * as Stream from "effect/Stream"
import type { FlashdutyError } from "../Errors.js"

export interface FileDownload {
  /** The `Content-Type` as sent, e.g. `text/csv; charset=utf-8`; `application/octet-stream` when absent. */
  readonly contentType: string
  /** From `Content-Disposition` (`filename*` preferred); as sent, so sanitise before using it as a path. */
  readonly fileName: string | undefined
  /** `Content-Length`, when the server declared it for an unencoded (uncompressed) body. */
  readonly contentLength: number | undefined
  /**
   * The body. It can be consumed once, while the scope that produced the download is
   * open; a read failure is a `TransportError` with reason `"Body"`, a pause longer than the
   * timeout one with reason `"Timeout"`.
   */
  readonly stream: Stream.Stream<Uint8Array, FlashdutyError>
}
