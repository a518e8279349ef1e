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
 * wherever it appears, also URL-encoded. A shorter one would blank parts of ordinary words, so it
 * is replaced only where it stands as a word of its own (`token q7x4 expired`, not `q7x4abc`) or as
 * a value: the whole (trimmed) text, the whole value after an
 * `=` (`?x=abc`, `filename="abc"`, `; token=abc`: optionally quoted, ending at `;`, `,`, `&`,
 * `#`, a quote, a backslash, whitespace or the end), a header line's value
 * (`Authorization: abc`) or a JSON value (`"x":"abc"`, `"x":123`). A secret containing
 * whitespace matches with any run of whitespace in its place, so that re-wrapping or
 * collapsing text cannot form it. In JSON values
 * (`redactJson`) a number is redacted when it is a secret's digits (`String(n)` equals it, or
 * it parses to `n`: a long numeric key loses precision as a double).
 *
 * **Free text** (`scrubText`). Besides the known secrets: credential header lines, bearer
 * tokens, JSON pairs (string or number values) and `name=value` parameters whose name is
 * sensitive by the rules above, the name taken whole: after `?`, `&` or `;`, or at any word
 * start (the start, whitespace, a quote, punctuation), so `bad app_key=x`, `(token=x)` and
 * `--password=x` lose their values but `max_tokens=5` and `tokens=3` do not. The value: a
 * quoted string, else up to whitespace, `&`, `#` or a quote (at a word start also `;` or `,`).
 *
 * **Cuts.** Text is scrubbed whole before anything cuts it (`preview`, `logBody`), so a cut can
 * never split a secret or separate a value from the name that makes it sensitive. Header
 * names are scrubbed of the secrets too (`scrubHeaders`).
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

// Every rule below needs one of these in the normalised name: a cheap first test.
const anyTerm = /key|passw|pwd|secret|credential|cookie|signature|auth|token|bearer/

const isSensitiveKey = (key: string): boolean => {
  const normal = normalise(key)
  if (!anyTerm.test(normal)) return false
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

const numericSecret = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/

/** Whether a JSON number is a secret echoed unquoted (`12345` for the key `"12345"`). */
const isSecretNumber = (n: number, secrets: ReadonlyArray<string>): boolean =>
  secrets.some((secret) => {
    const bare = secret.trim()
    return bare !== "" && (String(n) === bare || (numericSecret.test(bare) && Number(bare) === n))
  })

/**
 * A deep copy of a JSON value with sensitive fields replaced, and any known secret
 * scrubbed from strings and keys (a server may echo the key back) and numbers (one echoed
 * unquoted); bounded in depth and size.
 */
export const redactJson = (value: unknown, secrets: ReadonlyArray<string>, depth = 0): unknown => {
  if (typeof value === "string") return scrubText(value, secrets)
  if (typeof value === "number") return isSecretNumber(value, secrets) ? REDACTED : value
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
 * the first 2 KiB of that JSON followed by `… (N bytes in all)`. The JSON text is scrubbed
 * again before it is cut (a secret may span values: `[1,2,3]`); when that changes it, the
 * log gets the scrubbed text rather than the value.
 */
export const logBody = (value: unknown, secrets: ReadonlyArray<string>): unknown => {
  const redacted = redactJson(value, secrets)
  const json = JSON.stringify(redacted)
  if (json === undefined) return redacted
  const text = scrubText(json, secrets)
  const bytes = new TextEncoder().encode(text)
  if (bytes.length <= LOG_BODY_MAX_BYTES) return text === json ? redacted : text
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

/** A pattern for `secret`, each run of whitespace in it matching any run of whitespace. */
const secretSource = (secret: string): string => secret.split(/\s+/).map(escapeRegExp).join("\\s+")

const hasWhitespace = (text: string): boolean => /\s/.test(text)

// Secrets shorter than this would blank ordinary words; real keys are long.
const ANYWHERE_MIN_LENGTH = 6

// What may follow a value: whitespace, a parameter or fragment separator, a quote, a backslash.
const VALUE_END = `(?=[;,&#\\s"'\\\\]|$)`

/**
 * A short secret where it stands as a value (after `=`, a header line's value, a JSON value) or
 * as a word of its own in free text (`token q7x4 expired`), never inside a longer word.
 */
const scrubShortSecret = (text: string, secret: string): string => {
  const source = secretSource(secret)
  const inJson = secretSource(JSON.stringify(secret).slice(1, -1))
  return (
    text
      .replace(new RegExp(`(=[ \\t]*)(\\\\?["'])${source}\\2`, "g"), `$1$2${REDACTED}$2`)
      .replace(new RegExp(`(=[ \\t]*)${source}${VALUE_END}`, "g"), `$1${REDACTED}`)
      .replace(new RegExp(`^([ \\t]*[\\w.-]+[ \\t]*:[ \\t]*)${source}(?=[ \\t\\r]*$)`, "gm"), `$1${REDACTED}`)
      .replace(new RegExp(`("\\s*:\\s*)"${inJson}"`, "g"), `$1"${REDACTED}"`)
      .replace(new RegExp(`("\\s*:\\s*)${source}(?=\\s*[,}\\]])`, "g"), `$1"${REDACTED}"`)
      // Last, so that the value rules above keep their quotes: a word of its own.
      .replace(new RegExp(`(?<![A-Za-z0-9_])${source}(?![A-Za-z0-9_])`, "g"), REDACTED)
  )
}

const safeDecode = (text: string): string => {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

// `Authorization: …`-like lines, `name=value` parameters and `"name": …` JSON pairs.
const headerLinePattern = new RegExp(
  `^([ \\t]*(?:${[...sensitiveHeaders].map(escapeRegExp).join("|")})[ \\t]*:[ \\t]*)\\S.*$`,
  "gim"
)
// A quoted value, when its closing quote ends it (not `"…?token=","next":…`, a JSON string's end).
const quotedValue = `"[^"\\n]*"(?=[\\s;,&#)\\]}>]|$)|'[^'\\n]*'(?=[\\s;,&#)\\]}>]|$)`
// After `?`, `&` or `;`: a query (or header) parameter, whatever characters its name holds.
const queryPattern = new RegExp(`([?&;])([^=&#\\s"']+)=(${quotedValue}|[^&#\\s"']*)`, "g")
// At a word start: the name is the whole run of name characters before `=` (in `max_tokens=5`
// it is `max_tokens`, never `tokens`), judged by `isSensitiveKey`.
const wordParamPattern = new RegExp(`(?<![\\w.%-])([\\w.%-]+)=(${quotedValue}|[^;,&#\\s"']*)`, "g")
const jsonPairPattern = /"((?:[^"\\]|\\.)*)"(\s*:\s*)(?:"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*)/g
// A bearer token, but not a challenge's auth-param (`Bearer realm="api"`).
const bearerPattern = /(\bbearer\s+)(?![A-Za-z0-9._~+/-]+=")[A-Za-z0-9._~+/-]+=*/gi

/** `name=<redacted>`, the value's quotes kept, when `name` is sensitive. */
const redactParameter = (prefix: string, name: string, value: string, match: string): string => {
  if (!isSensitiveKey(safeDecode(name))) return match
  const quote = value.startsWith('"') || value.startsWith("'") ? value[0] : ""
  return `${prefix}${name}=${quote}${REDACTED}${quote}`
}

/** Whether the whole text, `trimmed` of its ends, is `secret`. */
const isWhole = (text: string, trimmed: string, secret: string): boolean =>
  hasWhitespace(secret)
    ? new RegExp(`^\\s*${secretSource(secret.trim())}\\s*$`).test(text)
    : trimmed === secret

/**
 * A URL's credentials (`redis://user:password@host`) taken out of a text, such as a client
 * library's error message that names the server it failed to reach.
 *
 * @example
 * ```ts
 * scrubUrlCredentials("connect to redis://default:pw@10.0.0.7:6379 refused")
 * // => "connect to redis://<redacted>@10.0.0.7:6379 refused"
 * ```
 */
export const scrubUrlCredentials = (text: string): string => text.replace(/\/\/[^/@\s]*@/g, `//${REDACTED}@`)

/**
 * Removes credentials from free text: the known secrets (see the module comment), bearer
 * tokens, credential header lines, sensitive parameters and JSON fields (by name).
 */
export const scrubText = (text: string, secrets: ReadonlyArray<string>): string =>
  scrubTextWith(text, secretForms(secrets))

/** {@link scrubText} with the secrets' forms already computed (a header map scrubs many values). */
const scrubTextWith = (text: string, forms: ReadonlyArray<string>): string => {
  const trimmed = text.trim()
  if (forms.some((secret) => isWhole(text, trimmed, secret))) return REDACTED
  let out = text
  for (const secret of forms) {
    if (hasWhitespace(secret)) {
      if (secret.length >= ANYWHERE_MIN_LENGTH)
        out = out.replace(new RegExp(secretSource(secret), "g"), REDACTED)
      else out = scrubShortSecret(out, secret)
      continue
    }
    if (!out.includes(secret)) continue
    out =
      secret.length >= ANYWHERE_MIN_LENGTH ? out.split(secret).join(REDACTED) : scrubShortSecret(out, secret)
  }
  // Each pattern runs only where it can match: parameters need a `=`, header lines a `:`, JSON
  // pairs a `:` and a `"`, bearer tokens the word. Most copied values (a request id, a date
  // header) skip them all.
  const hasEquals = out.includes("=")
  const hasColon = out.includes(":")
  if (/bearer/i.test(out)) out = out.replace(bearerPattern, `$1${REDACTED}`)
  if (hasColon) out = out.replace(headerLinePattern, `$1${REDACTED}`)
  if (hasEquals)
    out = out
      .replace(queryPattern, (match, separator: string, name: string, value: string) =>
        redactParameter(separator, name, value, match)
      )
      .replace(wordParamPattern, (match, name: string, value: string) =>
        redactParameter("", name, value, match)
      )
  if (hasColon && out.includes('"'))
    out = out.replace(jsonPairPattern, (match, name: string, colon: string) =>
      isSensitiveKey(name) ? `"${name}"${colon}"${REDACTED}"` : match
    )
  return out
}

/**
 * One value copied out of an answer (an error code, a request id, a header value): redacted
 * whole when it equals a secret of any length, quoted or not; otherwise scrubbed as text.
 */
export const scrubValue = (value: string, secrets: ReadonlyArray<string>): string =>
  scrubValueWith(value, secretForms(secrets))

const scrubValueWith = (value: string, forms: ReadonlyArray<string>): string => {
  const bare = value.trim().replace(/^"(.*)"$/, "$1")
  return forms.includes(bare) ? REDACTED : scrubTextWith(value, forms)
}

/**
 * A header name with the secrets taken out (compared case-insensitively: names arrive
 * lower-cased): a long secret wherever it appears, a short one as a whole `-`/`_`/`.` part.
 */
const scrubHeaderName = (name: string, forms: ReadonlyArray<string>): string => {
  let out = name
  const lower = name.toLowerCase()
  for (const secret of forms) {
    // Without whitespace, a match needs the secret as a substring (names arrive lower-cased).
    if (!hasWhitespace(secret) && !lower.includes(secret.toLowerCase())) continue
    const source = secretSource(secret)
    const pattern =
      secret.length >= ANYWHERE_MIN_LENGTH
        ? new RegExp(source, "gi")
        : new RegExp(`(?<![a-z0-9])${source}(?![a-z0-9])`, "gi")
    out = out.replace(pattern, REDACTED)
  }
  return out
}

/**
 * A copy of a header map: names scrubbed of the secrets (a scrubbed name that meets another
 * gets `-2`, `-3`, …), credential headers (`authorization`, `cookie`, `x-api-key`, … or any
 * name `sensitiveKey` flags) blanked, every other value passed through `scrubValue`.
 */
export const scrubHeaders = (
  headers: Readonly<Record<string, string>>,
  secrets: ReadonlyArray<string>
): Record<string, string> => {
  const forms = secretForms(secrets)
  const entries = Object.entries(headers)
  const scrubbedNames = entries.map(([name]) => scrubHeaderName(name, forms))
  // Names left as they were keep them; the scrubbed ones take what is free.
  const taken = new Set(entries.filter(([name], i) => scrubbedNames[i] === name).map(([name]) => name))
  const out: Record<string, string> = {}
  entries.forEach(([name, value], i) => {
    let outName = scrubbedNames[i]!
    if (outName !== name) {
      const base = outName
      for (let n = 2; taken.has(outName); n++) outName = `${base}-${n}`
      taken.add(outName)
    }
    out[outName] =
      sensitiveHeaders.has(name.toLowerCase()) || isSensitiveKey(name)
        ? REDACTED
        : scrubValueWith(value, forms)
  })
  return out
}

/**
 * The first `max` characters of a body, credentials removed from the whole text first, then
 * whitespace collapsed, then cut: no cut can split a secret or part a value from its name.
 */
export const preview = (text: string, secrets: ReadonlyArray<string>, max = 200): string => {
  const scrubbed = scrubText(text, secrets).replace(/\s+/g, " ").trim()
  return scrubbed.length > max ? `${scrubbed.slice(0, max)}…` : scrubbed
}
