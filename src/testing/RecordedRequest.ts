/**
 * The stand-in's log of what it received, for assertions in tests. Credentials never
 * enter it: `app_key` is dropped from the query and `Authorization` is masked.
 */

/**
 * How the request authenticated (whether or not the credential was right): `app_key` in the
 * query, an access token as `Authorization: Bearer`, an automation trigger's token (a bearer
 * sent to an operation that authenticates with one, `OperationInfo.auth`), or nothing.
 */
export type CredentialKind = "appKey" | "bearer" | "triggerToken" | "none"

/** A file part of a `multipart/form-data` request, described, never kept. */
export interface RecordedFile {
  /** The form field it came in (`file`). */
  readonly field: string
  /** Its file name (`mapping.csv`). */
  readonly name: string
  /** Its content type; `""` when the part named none. */
  readonly contentType: string
  readonly bytes: number
  /**
   * For a CSV (`text/csv`, or a name ending in `.csv`): the rows after the header row,
   * blank lines not counted.
   */
  readonly csvRows?: number
}

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  /** The operation the path routes to; `undefined` for an unknown path. */
  readonly operationId: string | undefined
  /** Query parameters without `app_key`. */
  readonly query: Readonly<Record<string, string>>
  /** Headers, lower-cased, `authorization` masked. */
  readonly headers: Readonly<Record<string, string>>
  readonly credential: CredentialKind
  /**
   * Parsed JSON (or multipart fields, a file part by its file name); the raw text when not
   * JSON; `undefined` when empty.
   */
  readonly body: unknown
  /** The file parts of a multipart request; absent when it had none. */
  readonly files?: ReadonlyArray<RecordedFile>
  /** The stand-in clock's time when the request arrived, epoch millis. */
  readonly receivedAt: number
  /** Status sent, or `"dropped"` when the connection was cut before the status line. */
  readonly outcome: number | "dropped"
}

/** The query of `url` as a record, without the app key. */
export const redactedQuery = (url: URL): Record<string, string> => {
  const query: Record<string, string> = {}
  for (const [name, value] of url.searchParams) {
    if (name !== "app_key") query[name] = value
  }
  return query
}

// Keep the scheme (`Bearer`) for diagnosis, never the secret after it.
const maskCredential = (value: string): string => {
  const space = value.indexOf(" ")
  return space > 0 ? `${value.slice(0, space)} <redacted>` : "<redacted>"
}

/** Headers safe to print: the bearer token (or any authorization value) masked. */
export const redactedHeaders = (headers: Readonly<Record<string, string>>): Record<string, string> => {
  const safe: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    safe[name] = name === "authorization" || name === "cookie" ? maskCredential(value) : value
  }
  return safe
}
