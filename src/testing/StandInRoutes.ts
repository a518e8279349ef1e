/**
 * The stand-in's routing: from a received path to the spec's operation, with the values of
 * its path parameters. A spec path such as `/safari/automation/triggers/{trigger_id}/fire`
 * matches any path with one non-empty segment in place of `{trigger_id}`; the segment's value,
 * URL-decoded (`x%2Fy` → `x/y`), becomes the request field of that name. Paths without
 * parameters match exactly (after trailing slashes are dropped).
 */
import type { OperationInfo } from "../runtime/Operation.js"

/** Where a path leads: an operation (with its path parameters), or nowhere. */
export interface Route {
  readonly operation?: OperationInfo
  /** The path parameters, URL-decoded; `{}` when the path has none. */
  readonly pathValues: Readonly<Record<string, string>>
}

/** The path without its trailing slashes (`/` stays). */
export const normalPath = (path: string): string => (path.length > 1 ? path.replace(/\/+$/, "") || "/" : path)

/** `"post /x/"` → `{ method: "POST", path: "/x" }`; `undefined` when `key` is not `METHOD /path`. */
export const methodPathKey = (
  key: string
): { readonly method: string; readonly path: string } | undefined => {
  const match = /^\s*([A-Za-z]+)\s+(\/\S*)\s*$/.exec(key)
  return match === null ? undefined : { method: match[1]!.toUpperCase(), path: normalPath(match[2]!) }
}

/** A spec path with `{name}` segments, as a pattern over one received path. */
interface TemplateRoute {
  readonly operation: OperationInfo
  readonly pattern: RegExp
  readonly names: ReadonlyArray<string>
}

const templateRoute = (operation: OperationInfo): TemplateRoute | undefined => {
  const names: Array<string> = []
  const source = operation.path
    .split("/")
    .map((segment) => {
      const name = /^\{([^{}]+)\}$/.exec(segment)?.[1]
      if (name === undefined) return segment.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&")
      names.push(name)
      return "([^/]+)"
    })
    .join("/")
  return names.length === 0 ? undefined : { operation, pattern: new RegExp(`^${source}$`), names }
}

/**
 * The router of `operations`: exact paths first, then the templated ones in the spec's order.
 * A segment that is not valid percent-encoding matches no template.
 *
 * @example
 * ```ts
 * const route = makeRouter(generatedSpec.operations)
 * route("/safari/automation/triggers/x%2Fy/fire") // { operation: …fire, pathValues: { trigger_id: "x/y" } }
 * ```
 */
export const makeRouter = (operations: ReadonlyArray<OperationInfo>): ((path: string) => Route) => {
  const exact = new Map<string, OperationInfo>(
    operations.filter((op) => !op.path.includes("{")).map((op) => [op.path, op])
  )
  const templates = operations.flatMap((op) => templateRoute(op) ?? [])
  return (path) => {
    const operation = exact.get(path)
    if (operation !== undefined) return { operation, pathValues: {} }
    for (const template of templates) {
      const match = template.pattern.exec(path)
      if (match === null) continue
      const pathValues: Record<string, string> = {}
      try {
        template.names.forEach((name, i) => {
          pathValues[name] = decodeURIComponent(match[i + 1]!)
        })
      } catch {
        continue // not valid percent-encoding: not this route
      }
      return { operation: template.operation, pathValues }
    }
    return { pathValues: {} }
  }
}
