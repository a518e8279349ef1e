/**
 * Turns a schema issue into the dotted path and message of its first problem, without
 * echoing the offending value (it may be a secret).
 */
import type * as SchemaIssue from "effect/SchemaIssue"

export interface FirstProblem {
  /** Dotted path, e.g. `items.0.title`; empty for the root. */
  readonly path: string
  readonly message: string
}

const messageOf = (issue: SchemaIssue.Issue): string => {
  switch (issue._tag) {
    case "MissingKey":
      return "Missing key"
    case "UnexpectedKey":
      return "Unexpected key"
    case "InvalidType": {
      const expected = issue.ast.annotations?.expected
      return typeof expected === "string"
        ? `Expected ${expected}`
        : `Expected ${issue.ast._tag.toLowerCase()}`
    }
    case "InvalidValue": {
      const message = issue.annotations?.message ?? issue.annotations?.expected
      return typeof message === "string" ? message : "Invalid value"
    }
    case "Forbidden":
      return "Forbidden operation"
    case "OneOf":
      return "Expected exactly one member to match"
    default:
      return "Invalid value"
  }
}

/** Walks to the first leaf of the issue tree. */
export const firstProblem = (issue: SchemaIssue.Issue): FirstProblem => {
  const path: Array<PropertyKey> = []
  let current: SchemaIssue.Issue = issue
  let override: string | undefined
  for (;;) {
    switch (current._tag) {
      case "Pointer":
        path.push(...current.path)
        current = current.issue
        continue
      case "Filter": {
        const message = current.filter.annotations?.message ?? current.filter.annotations?.expected
        if (override === undefined && typeof message === "string") override = message
        current = current.issue
        continue
      }
      case "Encoding":
        current = current.issue
        continue
      case "Composite":
      case "AnyOf": {
        const next = current.issues[0]
        if (next === undefined)
          return { path: path.map(String).join("."), message: override ?? "Invalid value" }
        current = next
        continue
      }
      default:
        return { path: path.map(String).join("."), message: override ?? messageOf(current) }
    }
  }
}
