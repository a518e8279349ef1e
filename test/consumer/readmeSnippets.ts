/**
 * The README's TypeScript snippets as files of the consumer project (`check.ts`), so that each
 * one compiles against the installed package exactly as a reader would paste it.
 *
 * A snippet with an `import` is a whole module, compiled as is; the first one is the quick
 * start, which `check.ts` also runs against the stand-in. Any other snippet is a fragment of
 * a program (`yield* fd.…`): it is compiled inside an `Effect.gen` that has `fd` (the
 * `Flashduty` service) and the usual imports in scope, nothing else.
 */
export interface Snippet {
  /** `readme-01.ts`, … in README order. */
  readonly file: string
  /** The README line the snippet starts on, for error messages. */
  readonly line: number
  readonly source: string
  readonly isModule: boolean
}

const fragmentPreamble = `import { Effect, Layer, Redacted, Schema, Stream } from "effect"
import { FetchHttpClient } from "effect/http"
import { Flashduty, FlashdutyClient } from "effect-flashduty"
import { FlashdutyTest } from "effect-flashduty/testing"

// In scope for a fragment: the imports above, \`fd\`, and the trigger \`token\` it may mention.
declare const token: Redacted.Redacted<string>
export const fragment = Effect.gen(function* () {
  const fd = yield* Flashduty
`

/** Every \`\`\`ts block of `readme`, as a file to compile. */
export const snippetsOf = (readme: string): ReadonlyArray<Snippet> => {
  const out: Array<Snippet> = []
  const lines = readme.split("\n")
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== "```ts") continue
    const start = i + 1
    let end = start
    while (end < lines.length && lines[end]!.trim() !== "```") end++
    const body = lines.slice(start, end).join("\n")
    const isModule = /^import /m.test(body)
    const file = `readme-${String(out.length + 1).padStart(2, "0")}.ts`
    const source = isModule
      ? `// README.md line ${start + 1}\n${body}\n`
      : `// README.md line ${start + 1}\n${fragmentPreamble}${body}\n})\n`
    out.push({ file, line: start + 1, source, isModule })
    i = end
  }
  return out
}
