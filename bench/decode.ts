/**
 * Figure 2, decoding: a 100-incident `incidentList` page (the spec's own example incident,
 * varied) decoded by the SDK's response schema vs `JSON.parse` alone. Both start from the
 * same text; the SDK's figure is `JSON.parse` + decode, exactly what the executor does.
 * Goal: total ≤ 2.0× `JSON.parse` (decoding adds at most one `JSON.parse`). The same page as
 * Go's `omitempty` sends it (every zero value left out, so the tolerant decoding fills in each
 * missing required field) is measured beside it.
 * Run: `npm run bench:decode` (BENCH_RUNS, default 7).
 */
import { Effect, type Schema } from "effect"
import { examples } from "../src/generated/examples.js"
import { endpoints } from "../src/generated/Incidents.js"
import { decoderOf } from "../src/pipeline/schemaCodec.js"
import { describeMachine } from "./lib/machine.js"
import { summarize, triple, verdict } from "./lib/stats.js"

const runs = Number(process.env.BENCH_RUNS ?? 7)

/** The spec's example page, its incident repeated to 100 with distinct ids and times. */
const pageText = (): string => {
  const example = examples.incidentList?.response as { data: { items: Array<Record<string, unknown>> } }
  const incident = example.data.items[0]!
  const items = Array.from({ length: 100 }, (_, i) => ({
    ...incident,
    incident_id: `69da451ef77b1b51f40e${String(i).padStart(4, "0")}`,
    title: `${String(incident.title)} #${i}`,
    start_time: 1775912219 + i * 60,
    // Go's nil slices: the tolerant decoding path, as on real traffic.
    ...(i % 10 === 0 ? { images: null, manual_overrides: null } : {})
  }))
  return JSON.stringify({ request_id: "01HK8XQE3Z7JM2NTFQ5YJ8P9R4", data: { ...example.data, items } })
}

/** A Go zero value, which `omitempty` leaves out. */
const isGoZero = (value: unknown): boolean =>
  value === "" ||
  value === 0 ||
  value === false ||
  value === null ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === "object" && value !== null && Object.keys(value).length === 0)

/** The page with every zero-valued field of each incident left out, as Go's `omitempty` does. */
const omitemptyText = (full: string): string => {
  const page = JSON.parse(full)
  page.data.items = page.data.items.map((item: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(item).filter(([, value]) => !isGoZero(value)))
  )
  return JSON.stringify(page)
}

// The executor's own decoder (cached, JIT-compiled), so the figure follows what the SDK does.
const decodeData = decoderOf(endpoints.list.response as Schema.Codec<unknown, unknown>)
const text = pageText()
const sparseText = omitemptyText(text)
const omitted =
  Object.keys(JSON.parse(text).data.items[1]).length -
  Object.keys(JSON.parse(sparseText).data.items[1]).length

const variants = {
  "JSON.parse": () => JSON.parse(text),
  "JSON.parse + SDK decode": () => Effect.runSync(decodeData(JSON.parse(text).data)),
  "JSON.parse, omitempty page": () => JSON.parse(sparseText),
  "JSON.parse + SDK decode, omitempty page": () => Effect.runSync(decodeData(JSON.parse(sparseText).data))
}

/** Microseconds per operation over `n` repetitions. */
const time = (f: () => unknown, n: number) => {
  const started = performance.now()
  for (let i = 0; i < n; i++) f()
  return ((performance.now() - started) * 1000) / n
}

const decoded = variants["JSON.parse + SDK decode"]() as { items: ReadonlyArray<unknown> }
if (decoded.items.length !== 100) throw new Error(`expected 100 incidents, got ${decoded.items.length}`)
for (const f of Object.values(variants)) time(f, 300) // warm-up (JIT, schema compilation)

const samples: Record<string, Array<number>> = Object.fromEntries(
  Object.keys(variants).map((name) => [name, []])
)
const ratios: Array<number> = []
const sparseRatios: Array<number> = []
for (let run = 0; run < runs; run++) {
  const parse = time(variants["JSON.parse"], 200)
  const sdk = time(variants["JSON.parse + SDK decode"], 200)
  const sparseParse = time(variants["JSON.parse, omitempty page"], 200)
  const sparseSdk = time(variants["JSON.parse + SDK decode, omitempty page"], 200)
  samples["JSON.parse"]!.push(parse)
  samples["JSON.parse + SDK decode"]!.push(sdk)
  samples["JSON.parse, omitempty page"]!.push(sparseParse)
  samples["JSON.parse + SDK decode, omitempty page"]!.push(sparseSdk)
  ratios.push(sdk / parse)
  sparseRatios.push(sparseSdk / sparseParse)
}
const ratio = summarize(ratios)
const sparseRatio = summarize(sparseRatios)

console.log(`### Figure 2: decoding (\`npm run bench:decode\`)
${describeMachine()}

A 100-incident page, ${(text.length / 1024).toFixed(0)} KiB of JSON; the same page as Go's \`omitempty\` sends it
(${omitted} zero-valued fields of each incident left out), ${(sparseText.length / 1024).toFixed(0)} KiB; ${runs} runs × 200 decodes of each, alternated.

| variant | µs per page (min / median / max) |
| --- | --- |
${Object.entries(samples)
  .map(([name, sample]) => `| ${name} | ${triple(summarize(sample), 0)} |`)
  .join("\n")}

SDK total / \`JSON.parse\` min / median / max: ${triple(ratio)}; goal ≤ 2.0×: **${verdict(ratio.median <= 2)}**
The omitempty page, SDK total / its \`JSON.parse\`: ${triple(sparseRatio)}; goal ≤ 2.0×: **${verdict(sparseRatio.median <= 2)}**
`)
