/**
 * The struct's preparing pass, compiled and interpreted alike: missing required keys filled in
 * without touching the caller's object, and the copy it makes never taking its prototype from
 * the data (a JSON object may hold an own `__proto__` key). How the copy is made is a matter
 * of speed (`bench:decode`'s omitempty page); these are the rules it must keep.
 */
import { assert, describe, it } from "@effect/vitest"
import { compilePreparer, type FieldStep, preparer } from "../../src/runtime/structPreparer.js"

const steps: ReadonlyArray<FieldStep> = [
  { key: "title", repair: "zero", zero: () => "", normalize: undefined, denormalize: undefined },
  { key: "count", repair: "zero", zero: () => 0, normalize: undefined, denormalize: undefined },
  { key: "ids", repair: "emptyArray", normalize: undefined, denormalize: undefined },
  {
    key: "at",
    repair: undefined,
    normalize: (v) => (typeof v === "number" ? v * 1000 : v),
    denormalize: undefined
  },
  { key: "note", repair: "dropNull", normalize: undefined, denormalize: undefined }
]

for (const [name, prepare] of [
  ["compiled", compilePreparer(steps)!],
  ["interpreted", preparer(steps)]
] as const) {
  describe(`the preparing pass (${name})`, () => {
    it("fills missing required keys, prepares present values, leaves the input as it was", () => {
      const input = JSON.parse('{"at":5,"note":null,"extra":1}')
      const out = prepare(input) as Record<string, unknown>
      assert.deepStrictEqual(out, { at: 5000, extra: 1, title: "", count: 0, ids: [] })
      assert.deepStrictEqual(input, { at: 5, note: null, extra: 1 })
      assert.notStrictEqual(out, input)
    })

    it("returns the input itself when nothing changes", () => {
      const input = { title: "t", count: 1, ids: [], note: "n" }
      assert.strictEqual(prepare(input), input)
    })

    it("an own __proto__ key in the data stays an own key: the copy's prototype is Object's", () => {
      const input = JSON.parse('{"__proto__":{"title":"from the prototype","polluted":true},"at":1}')
      const out = prepare(input) as Record<string, unknown>
      assert.strictEqual(Object.getPrototypeOf(out), Object.prototype)
      assert.isTrue(Object.hasOwn(out, "__proto__"))
      assert.strictEqual(out.title, "")
      assert.isUndefined(({} as Record<string, unknown>).polluted)
    })
  })
}
