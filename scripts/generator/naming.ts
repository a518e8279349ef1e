/**
 * Names: services from tags, methods from operationIds, types from component names.
 *
 * The method rule (documented in docs/generator.md):
 * 1. split the operationId into lower-case words (camelCase and kebab-case alike) and drop
 *    the `read` / `write` hints of the kebab style;
 * 2. drop the longest run of leading words that every operation of the service shares
 *    (`monit-rule-…` in Alert rules, `remote-agent-…` in A2A agents);
 * 3. drop leading product prefixes (`monit`, `rum`, `oncall`) and leading words of the tag's
 *    own name, singular or plural (`incident` in Incidents, `mcp` `server` in MCP servers);
 * 4. never drop the last word; join in camelCase.
 * A short name two operations share is resolved by {@link methodOverrides} (explicit, so
 * names never move when the spec gains an operation).
 */

/** Explicit names where the rule alone would collide or mislead. */
export const methodOverrides: Readonly<Record<string, string>> = {
  // `/alert-event/list` lists events of all alerts; `alert-read-event-list` already owns `eventList`.
  "alert-event-read-list": "globalEventList"
}

const productPrefixes = new Set(["monit", "rum", "oncall"])

/** `incidentListByIds` / `mcp-read-server-get` → lower-case words. */
export const words = (id: string): Array<string> =>
  id
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase())

const capitalize = (w: string): string => (w.length === 0 ? w : w[0]!.toUpperCase() + w.slice(1))

export const camelCase = (ws: ReadonlyArray<string>): string =>
  ws.map((w, i) => (i === 0 ? w : capitalize(w))).join("")

export const pascalCase = (ws: ReadonlyArray<string>): string => ws.map(capitalize).join("")

/** `AI SRE/A2A agents` → words of the last segment, split on spaces only: `a2a`, `agents`. */
const tagWords = (tag: string): Array<string> =>
  tag
    .slice(tag.lastIndexOf("/") + 1)
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase())

/** `On-call/Status pages` → `statusPages` (the field on `Flashduty`). */
export const serviceField = (tag: string): string => camelCase(tagWords(tag))

/** `On-call/Status pages` → `StatusPages` (the `Context` service and its module). */
export const serviceClass = (tag: string): string => pascalCase(tagWords(tag))

const singular = (w: string): string =>
  w.endsWith("ies") ? `${w.slice(0, -3)}y` : w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w

const operationWords = (operationId: string): Array<string> =>
  words(operationId).filter((w) => w !== "read" && w !== "write")

const commonPrefix = (lists: ReadonlyArray<ReadonlyArray<string>>): number => {
  if (lists.length < 2) return 0
  let n = 0
  for (;;) {
    const w = lists[0]![n]
    if (w === undefined || !lists.every((l) => l[n] === w)) return n
    n++
  }
}

/**
 * Method names of one service's operations, keyed by operationId.
 * Throws when two operations would end up with the same name.
 */
export const methodNames = (tag: string, operationIds: ReadonlyArray<string>): Map<string, string> => {
  const lists = operationIds.map(operationWords)
  const shared = commonPrefix(lists)
  const own = new Set<string>()
  const tw = tagWords(tag)
  for (const w of tw) own.add(w).add(singular(w))
  own.add(tw.join("")).add(singular(tw.join("")))
  const out = new Map<string, string>()
  const seen = new Map<string, string>()
  operationIds.forEach((id, i) => {
    let ws = lists[i]!.slice(Math.min(shared, lists[i]!.length - 1))
    while (ws.length > 1 && productPrefixes.has(ws[0]!)) ws = ws.slice(1)
    while (ws.length > 1 && own.has(ws[0]!)) ws = ws.slice(1)
    const name = methodOverrides[id] ?? camelCase(ws)
    const clash = seen.get(name)
    if (clash !== undefined) throw new Error(`method name ${name} of ${tag}: both ${clash} and ${id}`)
    seen.set(name, id)
    out.set(id, name)
  })
  return out
}

/** A valid TypeScript identifier for an inline type, e.g. `IncidentListRequest`. */
export const typeNameFor = (operationId: string, suffix: string): string =>
  pascalCase(words(operationId)) + suffix

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** A property key as it must appear in generated code. */
export const propertyKey = (name: string): string => (identifier.test(name) ? name : JSON.stringify(name))
