/**
 * The static facts of an operation read from its `x-mint.content` Markdown table:
 * documented rate limit and permission (→ read / write access).
 */
import type { OperationKind, RateLimitSpec } from "../../src/runtime/Operation.js"
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

const readVerbs = new Set([
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

/**
 * `read` / `write`: from the permission (`… Read` → read, `… Manage` / `… Write` → write);
 * else from the kebab hint (`-read-` / `-write-`); else from the verbs of the name.
 * Unknown means write, which is the safe side: writes are never re-sent after an unknown outcome.
 */
export const accessOf = (operationId: string, mint: string): "read" | "write" => {
  const permission = permissionText(mint)
  if (permission !== undefined) {
    if (/\b(Manage|Write)\b/.test(permission)) return "write"
    if (/\bRead\b/.test(permission) || /read-only/.test(permission)) return "read"
  }
  const ws = words(operationId)
  if (ws.includes("write")) return "write"
  if (ws.includes("read")) return "read"
  return ws.some((w) => readVerbs.has(w)) ? "read" : "write"
}

/** How the operation travels: see `OperationKind` in src/Operation.ts. */
export const kindOf = (operationId: string): OperationKind => kinds[operationId] ?? "json"

const kinds: Readonly<Record<string, OperationKind>> = {
  "session-read-export": "ndjson",
  "rum-session-replay-read-segments": "ndjson",
  "skill-write-upload": "multipart",
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
  incidentCreate: {
    module: "incidentCreateMultipart",
    alias: "IncidentCreateMultipart",
    methods: "IncidentCreateMultipartMethods",
    mode: "extend"
  }
}
