/**
 * The static facts of an operation: documented rate limit and permission (from its
 * `x-mint.content` Markdown table), read / write access, how it travels (`kind`), how it
 * authenticates, and the hand-written modules of the operations that are not JSON in, JSON out.
 */
import type { OperationInfo, OperationKind, RateLimitSpec } from "../../src/runtime/Operation.js"
import { words } from "./naming.js"

const row = (mint: string, label: string): string | undefined => {
  const match = mint.match(new RegExp(`\\|\\s*${label}\\s*\\|\\s*(.*?)\\s*\\|\\s*$`, "m"))
  return match?.[1]
}

const unitKey = {
  second: "perSecond",
  minute: "perMinute",
  hour: "perHour",
  day: "perDay"
} as const

/** `**1,000 requests/minute**; **50 requests/second** per account` → a {@link RateLimitSpec}. */
export const parseRateLimit = (mint: string): RateLimitSpec | undefined => {
  const cell = row(mint, "Rate limits")
  if (cell === undefined) return undefined
  const text = cell.replace(/\*\*/g, "")
  const spec: { -readonly [K in keyof RateLimitSpec]: RateLimitSpec[K] } = { text }
  for (const m of text.matchAll(/([\d,]+)\s+requests?\s*\/\s*(second|minute|hour|day)/g)) {
    spec[unitKey[m[2] as keyof typeof unitKey]] = Number(m[1]!.replace(/,/g, ""))
  }
  return spec
}

/** The `Permissions` cell as text (without Markdown emphasis), when there is one. */
export const permissionText = (mint: string): string | undefined =>
  row(mint, "Permissions")?.replace(/\*\*/g, "")

/** The leading verb (or two words, e.g. `Batch get`) of a summary: what the operation does. */
const readSummaryVerbs = new Set([
  "list",
  "get",
  "batch get",
  "search",
  "query",
  "count",
  "preview",
  "export",
  "download",
  "diagnose",
  "enrich"
])
const writeSummaryVerbs = new Set([
  "create",
  "update",
  "upsert",
  "delete",
  "batch delete",
  "batch update",
  "enable",
  "disable",
  "add",
  "assign",
  "acknowledge",
  "unacknowledge",
  "resolve",
  "reopen",
  "snooze",
  "wake",
  "merge",
  "reset",
  "execute",
  "import",
  "move",
  "migrate",
  "cancel",
  "grant",
  "revoke",
  "invite",
  "initialize",
  "upload",
  "truncate",
  "run",
  "test",
  "attempt",
  "fire"
])

/** Verbs of an operationId that name a read, when nothing else decides. */
const readNameVerbs = new Set([
  "list",
  "info",
  "infos",
  "get",
  "search",
  "query",
  "feed",
  "detail",
  "count",
  "preview",
  "self",
  "by",
  "catalog",
  "status"
])

/** What decided an operation's access, for the reviewers' table (`OPERATIONS.md`). */
export interface AccessDecision {
  readonly access: "read" | "write"
  /** E.g. `summary "Get …"`, `operationId -read-`, `permission … Read`. */
  readonly basis: string
}

const summaryVerb = (summary: string | undefined): string | undefined => {
  const ws = (summary ?? "")
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== "")
  if (ws.length === 0) return undefined
  if (ws[0] === "batch" && ws[1] !== undefined) return `${ws[0]} ${ws[1]}`
  return ws[0]
}

/**
 * `read` / `write`, decided in this order (the first that knows wins):
 * 1. the summary's leading verb: `List`/`Get`/`Export`/… read, `Create`/`Update`/`Merge`/… write
 *    (it is the most precise statement of what the call does: "Get rule trigger status" is
 *    `monit-rule-write-status`, "Enable skill" is `skill-read-enable`, "Merge alerts into an
 *    incident" needs only Channels Read);
 * 2. the operationId's kebab hint (`-read-` / `-write-`);
 * 3. the permission cell: only `… Read` (or "read-only") → read, only `… Manage`/`… Write` →
 *    write, both ("Schedules Read or Schedules Manage": Read suffices) → read;
 * 4. the operationId's verbs (`list`, `info`, `get`, …) → read.
 * Unknown means write, which is the safe side: writes are never re-sent after an unknown outcome.
 * Every decision is listed with its basis in `src/generated/OPERATIONS.md`.
 */
export const accessDecision = (
  operationId: string,
  summary: string | undefined,
  mint: string
): AccessDecision => {
  const verb = summaryVerb(summary)
  if (verb !== undefined && readSummaryVerbs.has(verb))
    return { access: "read", basis: `summary verb "${verb}"` }
  if (verb !== undefined && writeSummaryVerbs.has(verb))
    return { access: "write", basis: `summary verb "${verb}"` }
  const ws = words(operationId)
  if (ws.includes("read")) return { access: "read", basis: "operationId -read-" }
  if (ws.includes("write")) return { access: "write", basis: "operationId -write-" }
  const permission = permissionText(mint)
  if (permission !== undefined) {
    const reads = /\bRead\b/.test(permission) || /read-only/.test(permission)
    const writes = /\b(Manage|Write)\b/.test(permission)
    if (reads) return { access: "read", basis: writes ? "permission: Read suffices" : "permission: Read" }
    if (writes) return { access: "write", basis: "permission: Manage" }
  }
  if (ws.some((w) => readNameVerbs.has(w))) return { access: "read", basis: "operationId verb" }
  return { access: "write", basis: "unknown: write (safe side)" }
}

/** `read` / `write` (see {@link accessDecision}). */
export const accessOf = (operationId: string, summary: string | undefined, mint: string): "read" | "write" =>
  accessDecision(operationId, summary, mint).access

/**
 * The security schemes the generator knows → {@link OperationInfo.auth}. `AppKeyAuth` is the
 * client's own credentials (the default, so no `auth`).
 */
const authBySchema: Readonly<Record<string, OperationInfo["auth"] | "client">> = {
  AppKeyAuth: "client",
  AutomationTriggerBearerAuth: "automationTrigger"
}

/** How the operation authenticates, when not with the client's credentials; fails on an unknown scheme. */
export const authOf = (operationId: string, schemes: ReadonlyArray<string>): OperationInfo["auth"] => {
  const auths = new Set(
    schemes.map((scheme) => {
      const auth = authBySchema[scheme]
      if (auth === undefined) throw new Error(`${operationId}: unknown security scheme ${scheme}`)
      return auth
    })
  )
  if (auths.size > 1) throw new Error(`${operationId}: several kinds of credentials (${schemes.join(", ")})`)
  const [auth] = auths
  return auth === undefined || auth === "client" ? undefined : auth
}

/** How the operation travels: see `OperationKind` in src/Operation.ts. */
export const kindOf = (operationId: string): OperationKind => kinds[operationId] ?? "json"

const kinds: Readonly<Record<string, OperationKind>> = {
  "session-read-export": "ndjson",
  "rum-session-replay-read-segments": "ndjson",
  "skill-write-upload": "multipart",
  "mapping-data-write-upload": "multipart",
  "mapping-data-read-download": "file",
  insightIncidentExport: "file",
  insightChannelExport: "file",
  insightTeamExport: "file",
  insightResponderExport: "file",
  statusPageSubscriberExport: "file",
  "monit-rule-read-export": "file"
}

/**
 * Operations that are not one JSON in, one JSON out, whose methods come (wholly or partly) from
 * a hand-written module in `src/nonJsonOperations/`.
 */
export interface NonJsonBinding {
  /** Module file name in `src/nonJsonOperations/` (without extension) and its import alias. */
  readonly module: string
  readonly alias: string
  /** The interface of the methods it adds. */
  readonly methods: string
  /** `replace`: the module provides the method itself; `extend`: the generated JSON method stays. */
  readonly mode: "replace" | "extend" | "method"
}

export const nonJsonBindings: Readonly<Record<string, NonJsonBinding>> = {
  "session-read-export": {
    module: "sessionExportMethods",
    alias: "SessionExport",
    methods: "SessionExportMethods",
    mode: "replace"
  },
  "rum-session-replay-read-segments": {
    module: "sessionReplaySegments",
    alias: "SessionReplaySegments",
    methods: "SessionReplaySegmentsMethods",
    mode: "replace"
  },
  "skill-write-upload": {
    module: "skillUpload",
    alias: "SkillUpload",
    methods: "SkillUploadMethods",
    mode: "replace"
  },
  "mapping-data-write-upload": {
    module: "mappingDataUpload",
    alias: "MappingDataUpload",
    methods: "MappingDataUploadMethods",
    mode: "replace"
  },
  incidentCreate: {
    module: "incidentCreateMultipart",
    alias: "IncidentCreateMultipart",
    methods: "IncidentCreateMultipartMethods",
    mode: "extend"
  }
}
