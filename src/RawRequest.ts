/**
 * A call to an operation this SDK's spec does not have yet (the live API has more: knowledge
 * packs, service maps, dashboards, …), made through `FlashdutyClient.request` with the same
 * pipeline as every generated method: credentials, rate limit, retries, timeout, caps, error
 * mapping, span, redaction.
 *
 * @example
 * ```ts
 * import { Effect, Schema } from "effect"
 * import { FlashdutyClient } from "effect-flashduty"
 *
 * const packs = Effect.gen(function* () {
 *   const client = yield* FlashdutyClient
 *   const { data } = yield* client.request({
 *     method: "POST",
 *     path: "/safari/knowledge/pack/list",
 *     body: { p: 1, limit: 20 },
 *     response: Schema.Struct({ items: Schema.Array(Schema.Unknown) }),
 *     access: "read"
 *   })
 *   return data.items
 * })
 * ```
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { InvalidParameter } from "./Errors.js"
import { controlCharacterAt } from "./pipeline/optionRules.js"
import * as Endpoint from "./runtime/Endpoint.js"
import type { OperationInfo, RateLimitSpec } from "./runtime/Operation.js"

/** One call to a path, described by hand. */
export interface RawRequest<A = unknown> {
  readonly method: "GET" | "POST"
  /** The path below the base URL, e.g. `/safari/knowledge/pack/list`. */
  readonly path: string
  /** The JSON body of a `POST` (checked like any request: what JSON cannot carry is refused). */
  readonly body?: unknown
  /** Query parameters (a `GET`'s input; for a `POST`, sent beside the body). */
  readonly query?: Readonly<Record<string, unknown>>
  /** Decodes the envelope's `data`. Default: kept as it is (`unknown`). */
  readonly response?: Schema.Codec<A, unknown>
  /**
   * Whether the call only reads (a failure of unknown outcome may be retried) or writes
   * (sent once unless `idempotent`). Default: `read` for `GET`, `write` for `POST`.
   */
  readonly access?: "read" | "write"
  /** A write that is safe to send again (setting a value): retried like a read. Default `false`. */
  readonly idempotent?: boolean
  /** The operation's own documented limit, paced like a generated operation's. */
  readonly rateLimit?: Omit<RateLimitSpec, "text">
  /**
   * Names the call in spans, errors and the rate limiter (calls with the same name share a
   * limit, and the first one's `rateLimit` decides it). Default: `"<METHOD> <path>"`.
   */
  readonly operationId?: string
}

const invalid = (path: string, message: string) =>
  new InvalidParameter({ message: `request: ${message} (nothing was sent)`, path: `request.${path}` })

/** Why `path` cannot be sent below the base URL, if it cannot. */
const pathProblem = (path: unknown): string | undefined => {
  if (typeof path !== "string" || !path.startsWith("/")) return "must be a string starting with /"
  if (path.startsWith("//")) return "must not start with // (it would name another host)"
  if (/[?#\s\\]/.test(path) || controlCharacterAt(path) >= 0)
    return "must not hold ?, #, a backslash, whitespace or control characters (put parameters in query)"
  if (path.split("/").some((segment) => segment === "." || segment === ".."))
    return "must not hold . or .. segments"
  return undefined
}

/** The `Endpoint` that stands for `raw`, or why it cannot be made. */
export const rawEndpoint = <A>(
  raw: RawRequest<A>
): Result.Result<Endpoint.Endpoint<unknown, A>, InvalidParameter> => {
  if (typeof raw !== "object" || raw === null) return Result.fail(invalid("", "must be an object"))
  if (raw.method !== "GET" && raw.method !== "POST")
    return Result.fail(invalid("method", 'must be "GET" or "POST"'))
  const problem = pathProblem(raw.path)
  if (problem !== undefined) return Result.fail(invalid("path", `path ${problem}`))
  if (raw.access !== undefined && raw.access !== "read" && raw.access !== "write")
    return Result.fail(invalid("access", 'must be "read" or "write"'))
  if (raw.method === "GET" && raw.body !== undefined)
    return Result.fail(invalid("body", "a GET has no body: put its input in query"))
  if (raw.operationId !== undefined && (typeof raw.operationId !== "string" || raw.operationId.trim() === ""))
    return Result.fail(invalid("operationId", "must be a non-empty string"))
  const limits = raw.rateLimit ?? {}
  for (const [window, limit] of Object.entries(limits)) {
    if (limit !== undefined && !(Number.isSafeInteger(limit) && (limit as number) > 0))
      return Result.fail(invalid(`rateLimit.${window}`, "must be a positive whole number of requests"))
  }
  const operation: OperationInfo = {
    operationId: raw.operationId ?? `${raw.method} ${raw.path}`,
    service: "request",
    method: "request",
    httpMethod: raw.method,
    path: raw.path,
    access: raw.access ?? (raw.method === "GET" ? "read" : "write"),
    rateLimit: raw.rateLimit === undefined ? undefined : { text: "given to request", ...raw.rateLimit },
    kind: "json",
    ...(raw.idempotent === true ? { idempotent: true as const } : {})
  }
  return Result.succeed(
    Endpoint.make<unknown, A>(
      operation,
      undefined,
      (raw.response ?? Schema.Unknown) as Schema.Codec<A, unknown>
    )
  )
}
