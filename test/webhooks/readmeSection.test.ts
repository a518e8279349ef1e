/**
 * The code of the README's "Receiving webhooks" section: each
 * ```ts block is a whole module (the consumer project compiles README modules as they are), and is
 * kept verbatim in `test/webhooks/readme/snippet<n>.ts`, which `tsc` checks with the rest of the
 * tests. A change to one without the other fails here.
 */
import { existsSync, readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { program } from "./readme/snippet3.js"

const readme = new URL("../../README.md", import.meta.url)
/** The section, from its heading to the next `## ` heading. */
const sectionText = () => {
  const text = readFileSync(readme, "utf8")
  const start = text.indexOf("## Receiving webhooks\n")
  assert.isAtLeast(start, 0, "the README has a Receiving webhooks section")
  const end = text.indexOf("\n## ", start + 1)
  return text.slice(start, end === -1 ? undefined : end + 1)
}

describe("the README's Receiving webhooks section", () => {
  it("every snippet is a module, kept verbatim beside this test (type checked)", () => {
    const blocks = [...sectionText().matchAll(/```ts\n([\s\S]*?)```\n/g)].map((m) => m[1]!)
    assert.isAtLeast(blocks.length, 3)
    blocks.forEach((block, i) => {
      assert.match(block, /^import /m, `snippet ${i + 1} has no import: a fragment would not compile`)
      const file = new URL(`./readme/snippet${i + 1}.ts`, import.meta.url)
      assert.isTrue(existsSync(file), `test/webhooks/readme/snippet${i + 1}.ts is missing`)
      assert.strictEqual(readFileSync(file, "utf8"), block, `snippet ${i + 1} differs from the section`)
    })
    assert.isFalse(existsSync(new URL(`./readme/snippet${blocks.length + 1}.ts`, import.meta.url)))
  })

  it.effect("the testing snippet does what its comment says: i_new handled once though delivered twice", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(yield* program, ["i_new"])
    })
  )
})
