/**
 * Figure 2's field micro-benchmark: what one field of each kind costs to decode through the
 * executor's (JIT-compiled) decoder, so that a slow combinator shows up by itself. 2,000
 * objects × 9 fields of the kind (+ one string field), best of 5 rounds.
 * Run: `npx tsx bench/decode-fields.ts` (no goal: read it next to `npm run bench:decode`).
 */
import { Effect, Schema } from "effect"
import { decoderOf } from "../src/pipeline/schemaCodec.js"
import * as Tolerant from "../src/runtime/Tolerant.js"
import { Timestamp } from "../src/Timestamp.js"
import { describeMachine } from "./lib/machine.js"

const objects = 2000
const fieldsPerObject = 9

/** Nanoseconds per field of `field`, every object holding `value()` in its nine fields. */
const nsPerField = (field: Tolerant.Any, value: () => unknown): number => {
  const fields: Record<string, Tolerant.Any> = { s: Schema.optionalKey(Schema.String) }
  for (let k = 0; k < fieldsPerObject; k++) fields[`f${k}`] = field
  const decode = decoderOf(Schema.Array(Tolerant.struct(fields)) as Schema.Codec<unknown, unknown>)
  const data = Array.from({ length: objects }, () => {
    const object: Record<string, unknown> = { s: "x" }
    for (let k = 0; k < fieldsPerObject; k++) object[`f${k}`] = value()
    return object
  })
  const run = () => Effect.runSync(decode(data))
  for (let i = 0; i < 30; i++) run() // warm-up (JIT, schema compilation)
  let best = Number.POSITIVE_INFINITY
  for (let round = 0; round < 5; round++) {
    const started = performance.now()
    for (let i = 0; i < 20; i++) run()
    best = Math.min(best, ((performance.now() - started) * 1e6) / 20)
  }
  return best / (objects * fieldsPerObject)
}

const Inner = Tolerant.struct({ a: Schema.optionalKey(Schema.String) })
const kinds: ReadonlyArray<readonly [string, Tolerant.Any, () => unknown]> = [
  ["`Schema.String`", Schema.optionalKey(Schema.String), () => "x"],
  ["`Schema.Array(Schema.String)`", Schema.optionalKey(Schema.Array(Schema.String)), () => ["a"]],
  ["`Timestamp`", Schema.optionalKey(Timestamp), () => 1712000000],
  ["`Tolerant.requiredArray`", Tolerant.requiredArray(Schema.String), () => ["a"]],
  ["`Tolerant.requiredArray`, `null`", Tolerant.requiredArray(Schema.String), () => null],
  ["`Tolerant.requiredRecord`", Tolerant.requiredRecord(Schema.String), () => ({ a: "b" })],
  ["`Tolerant.optional` (object)", Tolerant.optional(Inner), () => ({ a: "b" })],
  ["`optionalKey(Tolerant.array)`", Schema.optionalKey(Tolerant.array(Schema.String)), () => ["a"]]
]

console.log(`### Figure 2, per field (\`npx tsx bench/decode-fields.ts\`)
${describeMachine()}

| field | ns per field (best of 5) |
| --- | --- |
${kinds.map(([name, field, value]) => `| ${name} | ${nsPerField(field, value).toFixed(1)} |`).join("\n")}
`)
