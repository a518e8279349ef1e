/**
 * Which response fields carry a credential, so that they decode to `Redacted<string>`
 * (`Tolerant.secret`) and logging or `JSON.stringify` of a result never prints them.
 *
 * A response field is a secret when it is a string (not an enum) and either its name says so
 * (`*_token`, `*_secret`, `password`, `*_pwd`, `api_key`, `tls_key`, `integration_key`, …; not
 * counters such as `tokens_used`, nor identifiers such as `access_key_id`), or its description
 * does (a token, a password, a secret, an API key, a private or signing key, a credential)
 * while its name is not that of an ID, a URL, a flag or a name. {@link secretOverrides} settles
 * the rule's mistakes, each with a reason. Request fields stay plain strings.
 *
 * Every decision is listed in `src/generated/SECRET_FIELDS.md` so that a reviewer can check it.
 */
import type { JsonSchema } from "./spec.js"

/** A secret-field decision, for the reviewers' list. */
export interface SecretDecision {
  /** The schema (component or inline owner) and the field, as in `SECRET_FIELDS.md`. */
  readonly owner: string
  readonly field: string
  /** `name`, `description` or `override: <reason>`. */
  readonly why: string
}

const secretName =
  /(^|_)(token|secret|password|passwd|pwd|api_?key|app_?key|private_?key|tls_key|signing_?key|integration_key|client_secret|access_key_secret|credentials?|bearer|dsn|cookie)$/i
/** Names that hold no credential even though a word matches: counters, IDs, flags, URLs, kinds. */
const notSecretName =
  /(^|_)(count|cnt|tokens|id|ids|url|urls|at|type|kind|name|names|mode|enabled|masked|set|schema|usage|ctx|hint|prefix|suffix|expire[sd]?(_at)?)$|^(has|is|allow)_/i
const secretDescription =
  /\b(token|secret|password|passphrase|api key|app key|credential|bearer|private key|signing key)\b/i

/**
 * Corrections of the rule, by `Owner.field` as listed in `SECRET_FIELDS.md`: `true` makes a
 * field a secret, `false` keeps it a plain string. An override that matches no field fails
 * the generator.
 */
export const secretOverrides: Readonly<
  Record<string, { readonly secret: boolean; readonly reason: string }>
> = {
  "Image.src": {
    secret: false,
    reason:
      'an `img_` upload reference or an http(s) URL that the caller sent; its description\'s "upload token" is no credential'
  }
}

const typesOf = (schema: JsonSchema): ReadonlyArray<string> =>
  schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type as string]

const isPlainString = (schema: JsonSchema): boolean => {
  const types = typesOf(schema).filter((t) => t !== "null")
  return (
    types.length === 1 && types[0] === "string" && schema.enum === undefined && schema.const === undefined
  )
}

const usedOverrides = new Set<string>()

/** Why the response field `owner.field` is a secret, or `undefined` when it is not. */
export const secretFieldWhy = (owner: string, field: string, schema: JsonSchema): string | undefined => {
  const key = `${owner}.${field}`
  const override = secretOverrides[key]
  if (override !== undefined) {
    usedOverrides.add(key)
    return override.secret ? `override: ${override.reason}` : undefined
  }
  if (!isPlainString(schema)) return undefined
  if (secretName.test(field) && !notSecretName.test(field)) return "name"
  if (!notSecretName.test(field) && secretDescription.test(schema.description ?? "")) return "description"
  return undefined
}

/** Fails when an override matched no field (the spec changed: review it). */
export const checkSecretOverrides = (): void => {
  const unused = Object.keys(secretOverrides).filter((key) => !usedOverrides.has(key))
  if (unused.length > 0) throw new Error(`secret-field overrides that match no field: ${unused.join(", ")}`)
}
