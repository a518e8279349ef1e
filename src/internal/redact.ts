/**
 * Keeps credentials and sensitive fields out of logs, spans, errors and `meta`.
 *
 * **Key names.** A JSON field, query parameter or header is sensitive by its name alone. The
 * name is *normalised* (lower-cased, every character but `a`–`z` and `0`–`9` dropped, as
 * go-flashduty's `normalizeSensitiveBodyKey` does: `X-Api-Key` → `xapikey`) and also split
 * into *words* (at separators and camelCase: `basicAuth` → `basic`, `auth`). Rules, in order:
 *
 * | rule | terms | sensitive | not sensitive |
 * | --- | --- | --- | --- |
 * | last word describes the credential (never redacted) | `type`, `mode`, `kind`, `method`, `enabled`, `schema` | | `auth_mode`, `token_type`, `secret_schema` |
 * | normalised name contains | `apikey`, `appkey`, `accesskey`, `privatekey`, `signingkey`, `tlskey`, `passwd`, `password`, `secret`, `credential`, `cookie`, `signature`, `authorization` | `x-api-key`, `accessKey`, `client_secret`, `set-cookie`, `tls_key` | `bypass_window`, `dedup_key` |
 * | normalised name ends with | `token` | `token`, `access_token`, `verify_token`, `sessionToken` | `token_count`, `max_tokens`, `input_tokens`, `tokens_used` |
 * | whole name, first word or last word is | `auth`, `pwd`, `bearer` | `auth`, `auth_header`, `auth_config`, `basic_auth`, `tls_key_pwd` | `author`, `authority`, `oauth_metadata`, `basic_auth_enabled` |
 *
 * go-flashduty (`flashcatcloud/go-flashduty`, `redact.go`: `sensitiveBodyKeys`,
 * `redactChildrenKeys`) redacts exactly `apikey xapikey accesskey password passwd pwd token
 * accesstoken refreshtoken idtoken sessiontoken authtoken oauthtoken bearertoken
 * authorization auth secret clientsecret secretkey privatekey signingkey credential
 * credentials`, plus every leaf under `env` and `headers`: all covered here. Added beyond it:
 * `appkey`, `cookie`, `signature`, `bearer`, any `…token`, substrings instead of whole names,
 * and `tlskey` (Flashduty data sources carry a TLS private key as `tls_key`).
 *
 * **Containers.** Under a key that is `env` or `headers`, or whose last word is `headers`
 * (`request_headers`), every leaf is redacted and nested keys are kept: those keys are chosen by
 * users, so no name rule can tell which hold credentials. A bare scalar there (`"env":"prod"`,
 * a serialised header block) is redacted too, as go-flashduty does.
 *
 * **Known secrets** (the app key, bearer tokens). One of 6 characters or more is replaced
 * wherever it appears, also URL-encoded. A shorter one would blank ordinary words, so it is
 * replaced only where it stands as a value: the whole (trimmed) text, a query value
 * (`?x=abc`, up to `&`, `#`, whitespace, a quote or the end), a header line's value
 * (`Authorization: abc`) or a JSON string value (`"x":"abc"`).
 */

const REDACTED = "<redacted>"

/** Lower-case letters and digits only, so `api-key`, `api_key`, `apiKey` and `API.KEY` compare equal. */
const normalise = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, "")

/** The words of a name, split at separators and camelCase humps (`XAuthHeader` → x, auth, header). */
const words = (key: string): ReadonlyArray<string> =>
  key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "")

const describingWords: ReadonlySet<string> = new Set(["type", "mode", "kind", "method", "enabled", "schema"])
const sensitiveParts = [
  "apikey",
  "appkey",
  "accesskey",
  "privatekey",
  "signingkey",
  "tlskey",
  "passwd",
  "password",
  "secret",
  "credential",
  "cookie",
  "signature",
  "authorization"
]
// Too short to match inside other words (`author`, `oauth`), so only as a whole word at either end.
const edgeWords: ReadonlySet<string> = new Set(["auth", "pwd", "bearer"])

const isSensitiveKey = (key: string): boolean => {
  const normal = normalise(key)
  const parts = words(key)
  const first = parts[0] ?? ""
  const last = parts.at(-1) ?? ""
  if (describingWords.has(last)) return false
  return (
    sensitiveParts.some((part) => normal.includes(part)) ||
    normal.endsWith("token") ||
    edgeWords.has(normal) ||
    edgeWords.has(first) ||
    edgeWords.has(last)
  )
}

/** Whether a field, parameter or header name holds a credential (see the table above). */
export const sensitiveKey: { readonly test: (key: string) => boolean } = { test: isSensitiveKey }

/** Keys whose every nested value is redacted: `env`, `headers`, `…_headers`. */
const isContainerKey = (key: string): boolean => normalise(key) === "env" || words(key).at(-1) === "headers"

/** Headers whose value is a credential by definition (other names go through `sensitiveKey`). */
const sensitiveHeaders: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "x-app-key"
])

/** The first 20 items of an array, each mapped, and a count of the rest. */
const boundedItems = (items: ReadonlyArray<unknown>, f: (item: unknown) => unknown): Array<unknown> => {
  const out = items.slice(0, 20).map(f)
  if (items.length > 20) out.push(`… ${items.length - 20} more`)
  return out
}

/** Every leaf replaced, the shape and the (scrubbed) keys kept. */
const redactLeaves = (value: unknown, secrets: ReadonlyArray<string>, depth: number): unknown => {
  if (value === null || typeof value !== "object") return REDACTED
  if (depth > 8) return "…"
  if (Array.isArray(value)) return boundedItems(value, (item) => redactLeaves(item, secrets, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(value)) {
    out[scrubText(key, secrets)] = redactLeaves(field, secrets, depth + 1)
  }
  return out
}

/**
 * A deep copy of a JSON value with sensitive fields replaced, and any known secret
 * scrubbed from strings and keys (a server may echo the key back); bounded in depth and size.
 */
export const redactJson = (value: unknown, secrets: ReadonlyArray<string>, depth = 0): unknown => {
  if (typeof value === "string") return scrubText(value, secrets)
  if (value === null || typeof value !== "object") return value
  if (depth > 8) return "…"
  if (Array.isArray(value)) return boundedItems(value, (item) => redactJson(item, secrets, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(value)) {
    out[scrubText(key, secrets)] = isSensitiveKey(key)
      ? REDACTED
      : isContainerKey(key)
        ? redactLeaves(field, secrets, depth + 1)
        : redactJson(field, secrets, depth + 1)
  }
  return out
}

const LOG_BODY_MAX_BYTES = 2048

/**
 * A body fit for a debug log: the redacted value when its JSON is at most 2 KiB (UTF-8), else
 * the first 2 KiB of that JSON followed by `… (N bytes in all)`.
 */
export const logBody = (value: unknown, secrets: ReadonlyArray<string>): unknown => {
  const redacted = redactJson(value, secrets)
  const text = JSON.stringify(redacted)
  if (text === undefined) return redacted
  const bytes = new TextEncoder().encode(text)
  if (bytes.length <= LOG_BODY_MAX_BYTES) return redacted
  // Cut by bytes, dropping a character split at the edge (decoded as U+FFFD).
  const head = new TextDecoder().decode(bytes.subarray(0, LOG_BODY_MAX_BYTES)).replace(/\uFFFD$/, "")
  return `${head}… (${bytes.length} bytes in all)`
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** Each usable secret, with its URL-encoded form when that differs; longest first. */
const secretForms = (secrets: ReadonlyArray<string>): ReadonlyArray<string> => {
  const forms = new Set<string>()
  for (const secret of secrets) {
    if (secret.trim() === "") continue
    forms.add(secret)
    forms.add(encodeURIComponent(secret))
  }
  return [...forms].sort((a, b) => b.length - a.length)
}

// Secrets shorter than this would blank ordinary words; real keys are long.
const ANYWHERE_MIN_LENGTH = 6

/** A short secret where it stands as a value: query value, header line value, JSON string value. */
const scrubShortSecret = (text: string, secret: string): string => {
  const escaped = escapeRegExp(secret)
  const inJson = escapeRegExp(JSON.stringify(secret).slice(1, -1))
  return text
    .replace(new RegExp(`([?&;][^=&#\\s"']*=)${escaped}(?=[&#\\s"']|$)`, "g"), `$1${REDACTED}`)
    .replace(new RegExp(`^([ \\t]*[\\w.-]+[ \\t]*:[ \\t]*)${escaped}(?=[ \\t\\r]*$)`, "gm"), `$1${REDACTED}`)
    .replace(new RegExp(`("\\s*:\\s*)"${inJson}"`, "g"), `$1"${REDACTED}"`)
}

const safeDecode = (text: string): string => {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

// `Authorization: …`-like lines, `?name=…` query parameters and `"name": "…"` JSON pairs.
const headerLinePattern = new RegExp(
  `^([ \\t]*(?:${[...sensitiveHeaders].map(escapeRegExp).join("|")})[ \\t]*:[ \\t]*)\\S.*$`,
  "gim"
)
const queryPattern = /([?&;])([^=&#\s"']+)=([^&#\s"']*)/g
const jsonPairPattern = /"((?:[^"\\]|\\.)*)"(\s*:\s*)"(?:[^"\\]|\\.)*"/g
// A bearer token, but not a challenge's auth-param (`Bearer realm="api"`).
const bearerPattern = /(\bbearer\s+)(?![A-Za-z0-9._~+/-]+=")[A-Za-z0-9._~+/-]+=*/gi

/**
 * Removes credentials from free text: the known secrets (see the module comment), credential
 * header lines, sensitive query parameters and JSON string fields (by name), and bearer tokens.
 */
export const scrubText = (text: string, secrets: ReadonlyArray<string>): string => {
  const forms = secretForms(secrets)
  const trimmed = text.trim()
  if (forms.some((secret) => secret === trimmed)) return REDACTED
  let out = text
  for (const secret of forms) {
    if (!out.includes(secret)) continue
    out =
      secret.length >= ANYWHERE_MIN_LENGTH ? out.split(secret).join(REDACTED) : scrubShortSecret(out, secret)
  }
  return out
    .replace(headerLinePattern, `$1${REDACTED}`)
    .replace(queryPattern, (match, separator: string, name: string) =>
      isSensitiveKey(safeDecode(name)) ? `${separator}${name}=${REDACTED}` : match
    )
    .replace(jsonPairPattern, (match, name: string, colon: string) =>
      isSensitiveKey(name) ? `"${name}"${colon}"${REDACTED}"` : match
    )
    .replace(bearerPattern, `$1${REDACTED}`)
}

/**
 * One value copied out of an answer (an error code, a request id, a header value): redacted
 * whole when it equals a secret of any length, quoted or not; otherwise scrubbed as text.
 */
export const scrubValue = (value: string, secrets: ReadonlyArray<string>): string => {
  const bare = value.trim().replace(/^"(.*)"$/, "$1")
  return secretForms(secrets).includes(bare) ? REDACTED : scrubText(value, secrets)
}

/**
 * A copy of a header map: credential headers (`authorization`, `cookie`, `x-api-key`, … or
 * any name `sensitiveKey` flags) blanked, every other value passed through `scrubValue`.
 */
export const scrubHeaders = (
  headers: Readonly<Record<string, string>>,
  secrets: ReadonlyArray<string>
): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    out[name] =
      sensitiveHeaders.has(name.toLowerCase()) || isSensitiveKey(name) ? REDACTED : scrubValue(value, secrets)
  }
  return out
}

/** The first `max` characters of a body, whitespace collapsed and credentials removed. */
export const preview = (text: string, secrets: ReadonlyArray<string>, max = 200): string => {
  const collapsed = text.length > max * 4 ? text.slice(0, max * 4) : text
  const scrubbed = scrubText(collapsed, secrets).replace(/\s+/g, " ").trim()
  return scrubbed.length > max ? `${scrubbed.slice(0, max)}…` : scrubbed
}
