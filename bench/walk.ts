/**
 * Issue 19, walking a list: `incidents.listStream` against the stand-in served over loopback
 * HTTP in its own process, 50 ms of injected latency on every request (a `Fault.latency`
 * rule), the client's default rate limit (the documented 50 requests/second and 1,000/minute,
 * a fresh client, so a fresh budget, for every walk), `limit: 100`. In one run, interleaved:
 *
 * - (a) `walk: "pages"` at 5,000 and 20,000 incidents, concurrency 8 (the default) against
 *   today's sequential walk (`concurrency: 1`) and against the floor
 *   max(pages / 50 per s, pages × 50 ms / 8). Goals: within 1.25× the floor; ≥ 3× faster than
 *   sequential at 5,000.
 * - (b) the cursor walk (the default of `incidents.listStream`) with a consumer that spends
 *   30 ms on each page, read-ahead (default) vs `concurrency: 1`. Goal: ≤ 1.1× pages ×
 *   max(latency, consumer time); sequentially it is the sum of the two.
 * - (c) the cursor walk with a consumer that does nothing: the default is never slower than
 *   `concurrency: 1`.
 *
 * Then the stand-in's own cost of one list page (`IncidentStore.list`, in this process, no
 * HTTP) at 5,000 and 20,000 incidents, as it is and as it was before issue 19 (every
 * incident sorted with `localeCompare` and the page cloned on every request: re-implemented
 * below as it was).
 *
 *   npm run bench:walk        (tsx bench/walk.ts; BENCH_RUNS, default 3; under 2 minutes)
 *
 * The stand-in runs from the sources (`tsx src/testing/bin.ts`), not the built package: no
 * build step, and its CPU is not the client's.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, Layer, Random, Redacted, Stream } from "effect"
import { FetchHttpClient } from "effect/http"
import { Flashduty } from "../src/index.js"
import type { WalkOptions } from "../src/Pagination.js"
import { type Incident, IncidentStore } from "../src/testing/IncidentStore.js"
import { describeMachine } from "./lib/machine.js"
import { type StandInProcess, startStandInFromSources } from "./lib/standin.js"
import { fmt, type Summary, summarize, triple, verdict } from "./lib/stats.js"

const runs = Number(process.env.BENCH_RUNS ?? 3)
const latencyMs = 50
const consumerMs = 30
const perSecond = 50
const concurrency = 8
const limit = 100
// The whole stand-in history (the list needs a window; its incidents are spread over a week).
const window = { start_time: 0, end_time: 4_102_444_800 }

type StandIn = StandInProcess

/** The stand-in from the sources, in its own process, every answer 50 ms late. */
const startStandIn = (incidents: number): Promise<StandIn> => {
  const faults = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-walk-")), "faults.json")
  fs.writeFileSync(faults, JSON.stringify([{ fault: { _tag: "Latency", duration: `${latencyMs} millis` } }]))
  return startStandInFromSources(["--incidents", String(incidents), "--faults", faults])
}

/** A fresh client (its own rate limiter, default limits) for one walk. */
const clientLayer = (standIn: StandIn) =>
  Flashduty.layer({ baseUrl: standIn.url, appKey: Redacted.make(standIn.appKey) }).pipe(
    Layer.provide(FetchHttpClient.layer)
  )

/** Walks the whole list once (seconds); `perPage` runs for each page the consumer receives. */
const walkOnce = (
  standIn: StandIn,
  options: WalkOptions,
  perPage: Effect.Effect<void> | undefined,
  expected: number
): Promise<number> =>
  Effect.runPromise(
    Effect.gen(function* () {
      const fd = yield* Flashduty
      const started = performance.now()
      const stream = fd.incidents.listStream({ ...window, limit }, options)
      let count = 0
      if (perPage === undefined) {
        yield* Stream.runForEachArray(stream, (items) => Effect.sync(() => (count += items.length)))
      } else {
        yield* Stream.runForEach(Stream.grouped(stream, limit), (page) =>
          Effect.andThen(
            Effect.sync(() => (count += page.length)),
            perPage
          )
        )
      }
      const seconds = (performance.now() - started) / 1000
      if (count !== expected) throw new Error(`walked ${count} incidents, expected ${expected}`)
      return seconds
    }).pipe(Effect.provide(clientLayer(standIn)))
  )

/** The list's size as the stand-in counts it (its generated incidents plus the spec's examples). */
const totalOf = (standIn: StandIn): Promise<number> =>
  Effect.runPromise(
    Effect.gen(function* () {
      const fd = yield* Flashduty
      const { data } = yield* fd.incidents.list({ ...window, limit: 1 })
      return data.total ?? 0
    }).pipe(Effect.provide(clientLayer(standIn)))
  )

/**
 * A stand-in whose list holds exactly `size` incidents (`size / limit` full pages): it holds the
 * spec's example incidents besides the generated ones, so it is started again with fewer.
 */
const standInOf = async (size: number): Promise<StandIn> => {
  const first = await startStandIn(size)
  const extra = (await totalOf(first)) - size
  if (extra === 0) return first
  first.stop()
  const standIn = await startStandIn(size - extra)
  const total = await totalOf(standIn)
  if (total !== size) throw new Error(`the stand-in lists ${total} incidents, wanted ${size}`)
  return standIn
}

/**
 * One page's round trip without the SDK (`fetch` + `JSON.parse` of the same 100-incident
 * page), median of 20 after 5 to warm up: the latency a walk actually waits for, i.e. the
 * injected 50 ms plus the stand-in's work, loopback HTTP and parsing.
 */
const rawRoundTrip = async (standIn: StandIn): Promise<Summary> => {
  const once = async () => {
    const started = performance.now()
    const response = await fetch(
      `${standIn.url}/incident/list?app_key=${encodeURIComponent(standIn.appKey)}`,
      {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ ...window, p: 1, limit })
      }
    )
    JSON.parse(await response.text())
    return performance.now() - started
  }
  for (let i = 0; i < 5; i++) await once()
  const sample: Array<number> = []
  for (let i = 0; i < 20; i++) sample.push(await once())
  return summarize(sample)
}

interface Case {
  readonly figure: "a" | "b" | "c"
  readonly label: string
  readonly size: 5_000 | 20_000
  readonly options: WalkOptions
  readonly consumer: boolean
}

const cases: ReadonlyArray<Case> = [
  {
    figure: "a",
    label: "pages, sequential",
    size: 5_000,
    options: { walk: "pages", concurrency: 1 },
    consumer: false
  },
  { figure: "a", label: "pages, concurrency 8", size: 5_000, options: { walk: "pages" }, consumer: false },
  {
    figure: "a",
    label: "pages, sequential",
    size: 20_000,
    options: { walk: "pages", concurrency: 1 },
    consumer: false
  },
  { figure: "a", label: "pages, concurrency 8", size: 20_000, options: { walk: "pages" }, consumer: false },
  {
    figure: "b",
    label: "cursor, sequential, consumer 30 ms/page",
    size: 5_000,
    options: { concurrency: 1 },
    consumer: true
  },
  { figure: "b", label: "cursor, read-ahead, consumer 30 ms/page", size: 5_000, options: {}, consumer: true },
  {
    figure: "c",
    label: "cursor, sequential, no consumer work",
    size: 5_000,
    options: { concurrency: 1 },
    consumer: false
  },
  { figure: "c", label: "cursor, read-ahead, no consumer work", size: 5_000, options: {}, consumer: false }
]

// ---------------------------------------------------------------------------------------------
// The stand-in's list cost, in this process: as it is, and as it was before issue 19.

/** `IncidentStore.list` before issue 19, for the bench's request (a time window, by `p`). */
const listAsBefore = (incidents: ReadonlyArray<Incident>, request: { p: number; limit: number }) => {
  const matching = [...incidents]
    .sort((a, b) => b.incident_id.localeCompare(a.incident_id))
    .filter((i) => i.start_time >= window.start_time && i.start_time <= window.end_time)
  const offset = (request.p - 1) * request.limit
  const items = matching.slice(offset, offset + request.limit).map((i) => structuredClone(i))
  return { total: matching.length, has_next_page: offset + items.length < matching.length, items }
}

/** Milliseconds per page (median of the pages timed) of walking `pages` pages with `list`. */
const perPageMs = (pages: ReadonlyArray<number>, list: (p: number) => unknown): Summary =>
  summarize(
    pages.map((p) => {
      const started = performance.now()
      list(p)
      return performance.now() - started
    })
  )

const storeCost = (count: number) => {
  const random = Effect.runSync(Effect.service(Random.Random).pipe(Random.withSeed("bench-walk")))
  const now = Math.floor(Date.now() / 1000)
  const store = new IncidentStore(random, now, { count })
  // In the order the old store's map held them (creation: the id's last 6 hex digits count
  // up), which its sort started from on every request.
  const incidents = [...store.all()].sort((a, b) =>
    a.incident_id.slice(-6) < b.incident_id.slice(-6) ? -1 : 1
  )
  const pages = Math.ceil(incidents.length / limit)
  const every = Array.from({ length: pages }, (_, i) => i + 1)
  const sample = every.filter((_, i) => i % Math.ceil(pages / 10) === 0)
  // Warm both up (JIT) before timing.
  for (const p of sample.slice(0, 3)) {
    listAsBefore(incidents, { p, limit })
    store.list({ ...window, p, limit }, now)
  }
  const before = perPageMs(sample, (p) => listAsBefore(incidents, { p, limit }))
  const after = perPageMs(every, (p) => store.list({ ...window, p, limit }, now))
  let cursor: string | undefined
  const byCursor = perPageMs(every, () => {
    const page = store.list(
      { ...window, limit, ...(cursor === undefined ? {} : { search_after_ctx: cursor }) },
      now
    )
    cursor = page.search_after_ctx
  })
  return { count, before, after, byCursor }
}

// ---------------------------------------------------------------------------------------------

console.log(`bench:walk · ${describeMachine()}`)
console.log(
  `stand-in over loopback (own process), ${latencyMs} ms latency per request, client's default rate limit (${perSecond}/s, 1,000/min), limit ${limit}, ${runs} runs`
)
const standIns = new Map<number, StandIn>()
const totals = new Map<number, number>()
const times = new Map<Case, Array<number>>(cases.map((c) => [c, []]))
const started = performance.now()
let roundTrip: Summary
try {
  for (const size of [5_000, 20_000]) {
    const standIn = await standInOf(size)
    standIns.set(size, standIn)
    totals.set(size, size)
  }
  roundTrip = await rawRoundTrip(standIns.get(5_000)!)
  console.log(`  one page's round trip without the SDK (fetch + JSON.parse), ms: ${triple(roundTrip)}`)
  // A short warm-up walk of each kind (JIT, connections), not counted.
  for (const c of cases.filter((c) => c.size === 5_000 && c.figure !== "c"))
    await walkOnce(standIns.get(c.size)!, { ...c.options, maxPages: 10 }, undefined, 10 * limit)
  for (let run = 1; run <= runs; run++) {
    for (const c of cases) {
      const seconds = await walkOnce(
        standIns.get(c.size)!,
        c.options,
        c.consumer ? Effect.sleep(`${consumerMs} millis`) : undefined,
        totals.get(c.size)!
      )
      times.get(c)!.push(seconds)
      console.log(
        `  run ${run} · ${c.figure} · ${c.label} · ${c.size.toLocaleString("en-US")}: ${fmt(seconds)} s`
      )
    }
  }
} finally {
  for (const standIn of standIns.values()) standIn.stop()
}
const walkSeconds = (performance.now() - started) / 1000

const stats = (c: Case) => summarize(times.get(c)!)
const find = (figure: Case["figure"], size: number, sequential: boolean) =>
  cases.find((c) => c.figure === figure && c.size === size && (c.options.concurrency === 1) === sequential)!
const pagesOf = (size: number) => Math.ceil(totals.get(size)! / limit)
const count = (n: number) => n.toLocaleString("en-US")
/** The round trip a walk waits for (seconds): the median measured without the SDK. */
const rtt = roundTrip!.median / 1000

const rows: Array<string> = []
const goals: Array<string> = []
for (const size of [5_000, 20_000]) {
  const pages = pagesOf(size)
  const floor = Math.max(pages / perSecond, (pages * latencyMs) / 1000 / concurrency)
  const measuredFloor = Math.max(pages / perSecond, (pages * rtt) / concurrency)
  const sequential = stats(find("a", size, true))
  const concurrent = stats(find("a", size, false))
  const speedup = sequential.median / concurrent.median
  const ofFloor = concurrent.median / floor
  rows.push(
    `| (a) \`walk: "pages"\`, sequential (\`concurrency: 1\`) | ${count(size)} (${pages}) | ${triple(sequential)} | ${fmt(floor)} s | ${fmt(sequential.median / floor)}× | 1× |`,
    `| (a) \`walk: "pages"\`, concurrency 8 (default) | ${count(size)} (${pages}) | ${triple(concurrent)} | ${fmt(floor)} s | **${fmt(ofFloor)}×** | **${fmt(speedup)}×** |`
  )
  goals.push(
    `(a) ${count(size)}: ${fmt(ofFloor)}× the floor max(pages / 50 per s, pages × 50 ms / 8) = ${fmt(floor)} s (goal ≤ 1.25×): ${verdict(ofFloor <= 1.25)}; with the measured round trip instead of 50 ms the floor is ${fmt(measuredFloor)} s (${fmt(concurrent.median / measuredFloor)}×)`
  )
  if (size === 5_000)
    goals.push(`(a) 5,000: ${fmt(speedup)}× faster than sequential (goal ≥ 3×): ${verdict(speedup >= 3)}`)
  else goals.push(`(a) 20,000: ${fmt(speedup)}× faster than sequential`)
}
{
  const pages = pagesOf(5_000)
  const bound = (pages * Math.max(latencyMs, consumerMs)) / 1000
  const measuredBound = pages * Math.max(rtt, consumerMs / 1000)
  const sequential = stats(find("b", 5_000, true))
  const readAhead = stats(find("b", 5_000, false))
  rows.push(
    `| (b) cursor, sequential (\`concurrency: 1\`), consumer ${consumerMs} ms/page | 5,000 (${pages}) | ${triple(sequential)} | ${fmt(bound)} s | ${fmt(sequential.median / bound)}× | 1× |`,
    `| (b) cursor, read-ahead (default), consumer ${consumerMs} ms/page | 5,000 (${pages}) | ${triple(readAhead)} | ${fmt(bound)} s | **${fmt(readAhead.median / bound)}×** | ${fmt(sequential.median / readAhead.median)}× |`
  )
  goals.push(
    `(b) ${fmt(readAhead.median / bound)}× pages × max(50 ms, 30 ms) = ${fmt(bound)} s (goal ≤ 1.1×): ${verdict(readAhead.median / bound <= 1.1)}; ${fmt(readAhead.median / measuredBound)}× pages × max(measured round trip ${fmt(rtt * 1000, 1)} ms, 30 ms) = ${fmt(measuredBound)} s: ${verdict(readAhead.median / measuredBound <= 1.1)}; sequentially ${fmt(sequential.median / bound)}× (the sum: ${fmt((latencyMs + consumerMs) / Math.max(latencyMs, consumerMs))}×)`
  )
  const plainSequential = stats(find("c", 5_000, true))
  const plain = stats(find("c", 5_000, false))
  const latencyBound = (pages * latencyMs) / 1000
  rows.push(
    `| (c) cursor, sequential (\`concurrency: 1\`), no consumer work | 5,000 (${pages}) | ${triple(plainSequential)} | ${fmt(latencyBound)} s | ${fmt(plainSequential.median / latencyBound)}× | 1× |`,
    `| (c) cursor, read-ahead (default), no consumer work | 5,000 (${pages}) | ${triple(plain)} | ${fmt(latencyBound)} s | ${fmt(plain.median / latencyBound)}× | ${fmt(plainSequential.median / plain.median)}× |`
  )
  goals.push(
    `(c) the default cursor walk takes ${fmt(plain.median / plainSequential.median)}× the time of \`concurrency: 1\` (never slower, 2% noise allowed): ${verdict(plain.median <= plainSequential.median * 1.02)}`
  )
}

console.log(
  [
    "",
    `| walk | incidents (pages) | seconds min / median / max (${runs} runs) | reference | median / reference | speed-up vs sequential (medians) |`,
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    `References: (a) the floor max(pages / 50 per s, pages × 50 ms / 8); (b) pages × max(50 ms, 30 ms); (c) pages × 50 ms. One page's round trip without the SDK (fetch + JSON.parse): ${triple(roundTrip!)} ms.`,
    "",
    ...goals.map((goal) => `- ${goal}`),
    "",
    `Walks: ${fmt(walkSeconds, 1)} s in all.`
  ].join("\n")
)

const costs = [storeCost(5_000), storeCost(20_000)]
console.log(
  [
    "",
    "Stand-in list cost per page (`IncidentStore.list`, in process, ms min / median / max):",
    "",
    "| incidents | before (sort + clone, by `p`) | now, by `p` | now, by cursor | before / now (medians) |",
    "| --- | --- | --- | --- | --- |",
    ...costs.map(
      (c) =>
        `| ${c.count.toLocaleString("en-US")} | ${triple(c.before, 3)} | ${triple(c.after, 3)} | ${triple(c.byCursor, 3)} | ${fmt(c.before.median / c.after.median, 0)}× |`
    )
  ].join("\n")
)
