/**
 * `multipart/form-data` request bodies.
 *
 * When every file is in memory the body is a platform `FormData` (`HttpBody.formData`),
 * encoded by the HTTP client itself. When a file is a stream (or a path on disk), a
 * `FormData` would need the whole file as a `Blob` first; instead the parts are framed
 * here around the file's own stream (`HttpBody.stream`), so a 100 MB archive is sent
 * without being held in memory, with a declared length when every size is known.
 */
import * as HttpBody from "effect/http/HttpBody"
import * as Stream from "effect/Stream"
import { markReplayable } from "../pipeline/replayableBody.js"
import type { UploadFile } from "./UploadFile.js"

/** A text field value; `undefined` omits the field. */
export type FieldValue = string | number | boolean | undefined

export interface MultipartForm {
  /** Text fields, in order. */
  readonly fields?: ReadonlyArray<readonly [name: string, value: FieldValue]>
  /** File parts, in order; a name may repeat (e.g. several `images`). */
  readonly files?: ReadonlyArray<readonly [name: string, file: UploadFile]>
}

const encoder = new TextEncoder()
const CRLF = "\r\n"

/** Quoting for header parameters, as browsers do for form data (HTML spec). */
const quote = (value: string) => `"${value.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}"`

const presentFields = (form: MultipartForm) =>
  (form.fields ?? []).flatMap(([name, value]) =>
    value === undefined ? [] : [[name, String(value)] as const]
  )

const asFormData = (form: MultipartForm): HttpBody.HttpBody => {
  const data = new FormData()
  for (const [name, value] of presentFields(form)) data.append(name, value)
  for (const [name, file] of form.files ?? []) {
    if (file._tag !== "Bytes") throw new Error("unreachable: streamed file in an in-memory form")
    // The cast: DOM typings want an ArrayBuffer-backed view; any Uint8Array works at runtime.
    data.append(
      name,
      new File([file.bytes as Uint8Array<ArrayBuffer>], file.fileName, { type: file.contentType })
    )
  }
  return HttpBody.formData(data)
}

const newBoundary = () => `----effect-flashduty-${globalThis.crypto.randomUUID()}`

const asStream = (form: MultipartForm): HttpBody.HttpBody => {
  const boundary = newBoundary()
  const parts: Array<Stream.Stream<Uint8Array, unknown>> = []
  let length: number | undefined = 0
  const text = (value: string) => {
    const bytes = encoder.encode(value)
    parts.push(Stream.succeed(bytes))
    if (length !== undefined) length += bytes.length
  }
  for (const [name, value] of presentFields(form)) {
    text(
      `--${boundary}${CRLF}Content-Disposition: form-data; name=${quote(name)}${CRLF}${CRLF}${value}${CRLF}`
    )
  }
  for (const [name, file] of form.files ?? []) {
    text(
      `--${boundary}${CRLF}Content-Disposition: form-data; name=${quote(name)}; filename=${quote(file.fileName)}` +
        `${CRLF}Content-Type: ${file.contentType}${CRLF}${CRLF}`
    )
    if (file._tag === "Bytes") {
      parts.push(Stream.succeed(file.bytes))
      if (length !== undefined) length += file.bytes.length
    } else {
      parts.push(file.stream)
      length = length === undefined || file.size === undefined ? undefined : length + file.size
    }
    text(CRLF)
  }
  text(`--${boundary}--${CRLF}`)
  const body = HttpBody.stream(
    Stream.flatten(Stream.fromIterable(parts)),
    `multipart/form-data; boundary=${boundary}`,
    length
  )
  // The framing is bytes; the body can be sent again exactly when every file can.
  const replayable = (form.files ?? []).every(([, file]) => file._tag === "Bytes" || file.replayable)
  return replayable ? markReplayable(body) : body
}

/**
 * Builds a `multipart/form-data` body from text fields and files.
 *
 * @example
 * ```ts
 * import { multipartBody, UploadFile } from "effect-flashduty"
 *
 * const body = multipartBody({
 *   fields: [["team_id", 0], ["replace", true]],
 *   files: [["file", UploadFile.fromBytes(new Uint8Array([1, 2]), "skill.zip")]]
 * })
 * ```
 */
export const multipartBody = (form: MultipartForm): HttpBody.HttpBody =>
  (form.files ?? []).every(([, file]) => file._tag === "Bytes") ? asFormData(form) : asStream(form)
