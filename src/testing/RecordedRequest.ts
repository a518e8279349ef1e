/**
 * The stand-in's log of what it received, for assertions in tests. Credentials never
 * enter it: `app_key` is dropped from the query and `Authorization` is masked.
 */

/** How the request authenticated (whether or not the credential was right). */
export type CredentialKind = "appKey" | "bearer" | "none"

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
  /** Parsed JSON (or multipart fields); the raw text when not JSON; `undefined` when empty. */
  readonly body: unknown
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
