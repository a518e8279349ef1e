/**
 * `ErrorCode` is generated from the spec's enum (the constants object and the literal union
 * agree), exported from the root, and every code is mapped to an error class (the mapping
 * `satisfies Record<ErrorCode, …>`, so a new code fails to compile until mapped).
 */
import { assert, describe, it } from "@effect/vitest"
import { loadSpec } from "../../scripts/generator/spec.js"
import { ErrorCode } from "../../src/index.js"
import { errorCodeMapping } from "../../src/pipeline/errorMapping.js"

describe("ErrorCode", () => {
  it("is exactly the spec's enum, each constant its own name", () => {
    const codes = loadSpec().components.schemas.ErrorCode?.enum as ReadonlyArray<string>
    assert.deepStrictEqual(Object.keys(ErrorCode), [...codes])
    for (const [name, value] of Object.entries(ErrorCode)) assert.strictEqual(value, name)
  })

  it("every code but OK maps to an error class", () => {
    assert.deepStrictEqual(Object.keys(errorCodeMapping).sort(), Object.keys(ErrorCode).sort())
    for (const code of Object.values(ErrorCode))
      if (code !== "OK") assert.notStrictEqual(errorCodeMapping[code], "OK", code)
  })
})
