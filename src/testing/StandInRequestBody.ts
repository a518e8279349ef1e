/**
 * How the stand-in reads a request: its body (JSON, or a `multipart/form-data` form whose file
 * parts are described, not kept) and the fields validation sees. The rule for every
 * operation: the query's fields, then the JSON body's or the form's fields on top (a file
 * part by its file name, as the request schemas type file parts as strings), then the path
 * parameters. Text (query, form fields, path segments) may be tried typed first.
 */
import type { RecordedFile } from "./RecordedRequest.js"
import type { StandInRequest } from "./StandInHttp.js"

export type ParsedBody =
  | {
      readonly ok: true
      /** What the log records: the JSON, or every form field (a file part by its file name). */
      readonly value: unknown
      /** A multipart form's text fields. */
      readonly form?: Readonly<Record<string, string>>
      /** A multipart form's file parts, by their file names. */
      readonly fileNames?: Readonly<Record<string, string>>
      readonly files?: ReadonlyArray<RecordedFile>
    }
  | { readonly ok: false; readonly message: string }

const decoder = new TextDecoder()

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const newline = 0x0a

/** The rows of a CSV after its header row, blank lines not counted. */
export const csvRows = (bytes: Uint8Array): number => {
  let lines = 0
  let blank = true
  for (const byte of bytes) {
    if (byte === newline) {
      if (!blank) lines++
      blank = true
    } else if (byte !== 0x0d && byte !== 0x20 && byte !== 0x09) {
      blank = false
    }
  }
  if (!blank) lines++
  return Math.max(0, lines - 1)
}

/**
 * Query strings and multipart fields carry only text: integers and booleans become
 * numbers and booleans when `coerce`, as the operations' schemas declare them.
 */
const textFields = (fields: Readonly<Record<string, string>>, coerce: boolean): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(fields)) {
    out[k] = !coerce
      ? v
      : /^-?\d{1,15}$/.test(v)
        ? Number(v)
        : v === "true"
          ? true
          : v === "false"
            ? false
            : v
  }
  return out
}

/** The request's body: JSON, a multipart form, or why it cannot be read. */
export const parseBody = async (request: StandInRequest): Promise<ParsedBody> => {
  if (request.body.byteLength === 0) return { ok: true, value: undefined }
  const contentType = request.headers["content-type"] ?? ""
  if (contentType.startsWith("multipart/form-data")) {
    try {
      const form = await new Response(request.body as Uint8Array<ArrayBuffer>, {
        headers: { "content-type": contentType }
      }).formData()
      const fields: Record<string, string> = {}
      const text: Record<string, string> = {}
      const fileNames: Record<string, string> = {}
      const files: Array<RecordedFile> = []
      for (const [name, value] of form) {
        if (typeof value === "string") {
          fields[name] = value
          text[name] = value
          continue
        }
        fields[name] = value.name
        fileNames[name] = value.name
        const isCsv = value.type.startsWith("text/csv") || value.name.toLowerCase().endsWith(".csv")
        files.push({
          field: name,
          name: value.name,
          contentType: value.type,
          bytes: value.size,
          ...(isCsv ? { csvRows: csvRows(new Uint8Array(await value.arrayBuffer())) } : {})
        })
      }
      return { ok: true, value: fields, form: text, fileNames, files }
    } catch {
      return { ok: false, message: "malformed multipart/form-data body" }
    }
  }
  const text = decoder.decode(request.body)
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false, message: "request body is not valid JSON" }
  }
}

/**
 * The request's fields: the query's, then the JSON body's or the form's on top (a file part by
 * its file name), then the path's; text typed as numbers and booleans when `coerce`. A JSON
 * body that is not an object (an array, a string) is returned as it is, to be validated so.
 */
export const fieldsOf = (
  query: Readonly<Record<string, string>>,
  parsed: Extract<ParsedBody, { ok: true }>,
  pathValues: Readonly<Record<string, string>>,
  coerce: boolean
): unknown => {
  const json = parsed.form === undefined ? parsed.value : undefined
  if (json !== undefined && json !== null && !isRecord(json)) return json
  return {
    ...textFields(query, coerce),
    ...(parsed.form === undefined ? {} : textFields(parsed.form, coerce)),
    ...parsed.fileNames,
    ...(isRecord(json) ? json : {}),
    ...textFields(pathValues, coerce)
  }
}

/** Whether the request has text fields (query, form, path) that may need typing. */
export const hasTextFields = (
  query: Readonly<Record<string, string>>,
  parsed: Extract<ParsedBody, { ok: true }>,
  pathValues: Readonly<Record<string, string>>
): boolean => Object.keys(query).length > 0 || parsed.form !== undefined || Object.keys(pathValues).length > 0
