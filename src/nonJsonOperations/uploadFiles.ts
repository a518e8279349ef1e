/**
 * The files of a multipart upload, checked before anything is sent: each must be an
 * `UploadFile` whose part headers cannot be forged (a content type or file name with a line
 * break would inject header lines into the part), and their known sizes must fit the API's
 * limit (100 MB per skill archive, 50 MiB per incident request).
 */
import * as Stream from "effect/Stream"
import { InvalidParameter } from "../Errors.js"
import type { UploadFile } from "../streaming/UploadFile.js"

/** A MIME type, `type/subtype` with optional parameters, in header-safe characters. */
const mediaType = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+(\s*;[\t\x20-\x7e]*)?$/

const hasControlCharacter = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x20 || code === 0x7f) return true
  }
  return false
}

const notAnUploadFile = "must be an UploadFile (UploadFile.fromBytes, fromStream or fromPath)"

const problemOf = (file: unknown): string | undefined => {
  if (typeof file !== "object" || file === null) return notAnUploadFile
  const f = file as { readonly [key: string]: unknown }
  if (f._tag !== "Bytes" && f._tag !== "Stream") return notAnUploadFile
  if (typeof f.fileName !== "string" || f.fileName === "") return "needs a file name"
  if (hasControlCharacter(f.fileName)) return "has a control character in its file name"
  if (typeof f.contentType !== "string" || !mediaType.test(f.contentType))
    return "has an invalid content type (expected type/subtype, e.g. application/zip)"
  if (f._tag === "Bytes") return f.bytes instanceof Uint8Array ? undefined : "holds no bytes (a Uint8Array)"
  if (!Stream.isStream(f.stream)) return "holds no Stream"
  if (f.size !== undefined && !(typeof f.size === "number" && Number.isSafeInteger(f.size) && f.size >= 0))
    return "has an invalid size (a whole number of bytes)"
  return undefined
}

const knownSize = (file: UploadFile): number | undefined =>
  file._tag === "Bytes" ? file.bytes.length : file.size

/**
 * `InvalidParameter` (naming the file's path, e.g. `images.1`) when a file is not a well-formed
 * `UploadFile`, or when the known sizes add up to more than `maxBytes`; else `undefined`.
 */
export const checkUploadFiles = (
  operationId: string,
  files: ReadonlyArray<readonly [path: string, file: unknown]>,
  maxBytes: number
): InvalidParameter | undefined => {
  let total = 0
  for (const [path, file] of files) {
    const problem = problemOf(file)
    if (problem !== undefined) {
      return new InvalidParameter({
        message: `${operationId}: invalid request at ${path}: the file ${problem} (nothing was sent)`,
        operationId,
        path
      })
    }
    total += knownSize(file as UploadFile) ?? 0
  }
  return total <= maxBytes
    ? undefined
    : new InvalidParameter({
        message: `${operationId}: the files add up to ${total} bytes, above the API's limit of ${maxBytes} (nothing was sent)`,
        operationId,
        path: files.length === 1 ? (files[0]?.[0] ?? "file") : "file"
      })
}
