/**
 * Keeps credentials and sensitive fields out of logs, spans and error previews.
 */

/** Field names whose values are never logged (request and response bodies, headers). */
export const sensitiveKey =
  /token|passw|secret|authoriz|app_?key|api_?key|cookie|credential|signature|private_?key/i

const REDACTED = "<redacted>"

/**
 * A deep copy of a JSON value with sensitive fields replaced, and any known secret
 * scrubbed from strings (a server may echo the key back); bounded in depth and size.
 */
export const redactJson = (value: unknown, secrets: ReadonlyArray<string>, depth = 0): unknown => {
  if (typeof value === "string") return scrubText(value, secrets)
  if (value === null || typeof value !== "object") return value
  if (depth > 8) return "…"
  if (Array.isArray(value)) {
    const items = value.slice(0, 20).map((item) => redactJson(item, secrets, depth + 1))
    if (value.length > 20) items.push(`… ${value.length - 20} more`)
    return items
  }
  const out: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(value)) {
    out[key] = sensitiveKey.test(key) ? REDACTED : redactJson(field, secrets, depth + 1)
  }
  return out
}

// `app_key=…` in URLs, and `"token": "…"`-like pairs in JSON or text.
const queryPattern = /([?&;](?:app_?key|access_?token|token)=)[^&#\s"']*/gi
const jsonPairPattern =
  /("(?:[^"]*(?:token|passw|secret|authoriz|app_?key|api_?key|credential|signature)[^"]*)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi
const bearerPattern = /(bearer\s+)[A-Za-z0-9._~+/=-]+/gi

/**
 * Removes credentials from free text: the known secrets verbatim, `app_key=` query values,
 * JSON string fields with sensitive names, and bearer tokens.
 */
export const scrubText = (text: string, secrets: ReadonlyArray<string>): string => {
  let out = text
  for (const secret of secrets) {
    // Short strings would blank out ordinary words; real keys are long.
    if (secret.length >= 6 && out.includes(secret)) out = out.split(secret).join(REDACTED)
  }
  return out
    .replace(queryPattern, `$1${REDACTED}`)
    .replace(jsonPairPattern, `$1"${REDACTED}"`)
    .replace(bearerPattern, `$1${REDACTED}`)
}

/** The first `max` characters of a body, whitespace collapsed and credentials removed. */
export const preview = (text: string, secrets: ReadonlyArray<string>, max = 200): string => {
  const collapsed = text.length > max * 4 ? text.slice(0, max * 4) : text
  const scrubbed = scrubText(collapsed, secrets).replace(/\s+/g, " ").trim()
  return scrubbed.length > max ? `${scrubbed.slice(0, max)}…` : scrubbed
}
