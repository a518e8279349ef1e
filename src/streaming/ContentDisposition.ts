/**
 * The file name of a download, from its `Content-Disposition` header (RFC 6266), with
 * the RFC 5987 `filename*` form (`UTF-8''%E2%82%AC%20rates.csv`) preferred over the
 * plain `filename` as the RFC asks.
 */

/** `name=value` or `name="quoted \"value\""`, after a `;`. */
const parameter = /;\s*([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g

const unquote = (value: string): string =>
  value.startsWith('"') && value.endsWith('"') && value.length >= 2
    ? value.slice(1, -1).replace(/\\(.)/g, "$1")
    : value.trim()

/** Decodes `charset'language'pct-encoded`; `undefined` when malformed or in an unknown charset. */
const decodeExtValue = (value: string): string | undefined => {
  const match = /^([^']*)'[^']*'(.*)$/.exec(value.trim())
  if (match === null) return undefined
  const charset = (match[1] ?? "").toLowerCase()
  const encoded = match[2] ?? ""
  try {
    if (charset === "utf-8") return decodeURIComponent(encoded)
    if (charset === "iso-8859-1") {
      // Each %XX is one Latin-1 code point.
      return encoded.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16))
      )
    }
  } catch {
    return undefined
  }
  return undefined
}

/**
 * Reads the file name of a `Content-Disposition` header; `undefined` when it has none.
 * The name is returned as sent: sanitise it before using it as a path.
 *
 * @example
 * ```ts
 * import { fileNameFromContentDisposition } from "effect-flashduty"
 *
 * fileNameFromContentDisposition(`attachment; filename="subscribers.csv"`) // "subscribers.csv"
 * fileNameFromContentDisposition(`attachment; filename="rates.csv"; filename*=UTF-8''%E2%82%AC%20rates.csv`)
 * // "€ rates.csv"
 * ```
 */
export const fileNameFromContentDisposition = (header: string | undefined): string | undefined => {
  if (header === undefined) return undefined
  let plain: string | undefined
  let extended: string | undefined
  // Parameters follow the disposition type; prefix a `;` so the first one matches too.
  const params = `;${header.slice(header.indexOf(";") + 1)}`
  for (const match of params.matchAll(parameter)) {
    const name = (match[1] ?? "").toLowerCase()
    const value = match[2] ?? ""
    if (name === "filename*") extended ??= decodeExtValue(value)
    else if (name === "filename") plain ??= unquote(value)
  }
  const fileName = extended ?? plain
  return fileName === "" ? undefined : fileName
}
