/**
 * How `paginate` walks a list (issue 19): pages by number fetched concurrently and emitted in
 * order, the ramp from one request, cancellation, failures in their place, `maxPages` and
 * `total` as bounds, the cursor walk's one-page read-ahead, `dedupeBy`, and the walk options
 * through a generated `…Stream` method. Latency is `Effect.sleep` on the `TestClock`; the
 * assertions are about which requests were made and in what order things happened, never
 * about how long they took (speed is `bench/walk.ts`).
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber, Layer, Stream } from "effect"
import { TestClock } from "effect/testing"
import type { ApiResponse } from "../../src/ApiResponse.js"
import { Flashduty } from "../../src/generated/Flashduty.js"
import { type Page, type PaginateOptions, paginate } from "../../src/Pagination.js"
import { FlashdutyTest } from "../../src/testing/FlashdutyTest.js"

interface Req {
  readonly limit?: number
  readonly p?: number
  readonly search_after_ctx?: string
}

const meta = { requestId: "r", status: 200, headers: {}, rateLimit: {} }

/** Which page a request asks for: `p`, or the number after `c` in the cursor (`c3` → 4). */
const pageOf = (request: Req): number =>
  request.search_after_ctx !== undefined ? Number(request.search_after_ctx.slice(1)) + 1 : (request.p ?? 1)

interface ListSpec {
  /** Pages in the list. */
  readonly pages: number
  /** Items per page; item `n` of page `p` is `(p - 1) * size + n + 1`. */
  readonly size: number
  /** Answer `total` (default) or only `has_next_page`. */
  readonly withTotal?: boolean
  /** Answer a cursor `c<page>` (default true). */
  readonly withCursor?: boolean
  /** Milliseconds before page `p` answers (default 50 for every page). */
  readonly latency?: (page: number) => number
  /** Page `p` fails with this error instead of answering. */
  readonly failing?: (page: number) => string | undefined
}

/**
 * A fake list operation on the `TestClock`: records every request, what is in flight, what
 * was interrupted, and a log of `fetch <p>` / `answer <p>` lines (tests add their own).
 */
const slowList = (spec: ListSpec) => {
  const requests: Array<Req> = []
  const log: Array<string> = []
  let inFlight = 0
  let maxInFlight = 0
  let interrupted = 0
  const fetch = (request: Req): Effect.Effect<ApiResponse<Page<number>>, string> => {
    const page = pageOf(request)
    return Effect.gen(function* () {
      requests.push(request)
      log.push(`fetch ${page}`)
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      yield* Effect.sleep(spec.latency?.(page) ?? 50)
      inFlight--
      const failure = spec.failing?.(page)
      if (failure !== undefined) {
        log.push(`fail ${page}`)
        return yield* Effect.fail(failure)
      }
      log.push(`answer ${page}`)
      const exists = page <= spec.pages
      const items = exists ? Array.from({ length: spec.size }, (_, n) => (page - 1) * spec.size + n + 1) : []
      const data: Page<number> = {
        items,
        has_next_page: page < spec.pages,
        ...(spec.withTotal === false ? {} : { total: spec.pages * spec.size }),
        ...(spec.withCursor === false || !exists ? {} : { search_after_ctx: `c${page}` })
      }
      return { data, meta }
    }).pipe(
      Effect.onInterrupt(() =>
        Effect.sync(() => {
          inFlight--
          interrupted++
          log.push(`interrupted ${page}`)
        })
      )
    )
  }
  return {
    fetch,
    requests,
    log,
    pages: () => requests.map(pageOf),
    maxInFlight: () => maxInFlight,
    inFlight: () => inFlight,
    interrupted: () => interrupted
  }
}

/** Lets the `TestClock` run `ms` milliseconds, one at a time (sleeps that start meanwhile end in time). */
const advance = (ms: number) =>
  Effect.gen(function* () {
    for (let i = 0; i < ms; i++) yield* TestClock.adjust("1 millis")
  })

/**
 * Runs `stream` to completion (or failure) on the TestClock, a millisecond at a time: the
 * pages' requests start on other fibers as the consumer pulls, after an `adjust` could see them.
 */
const runOnClock = <A, E>(stream: Stream.Stream<A, E>) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.forkChild(Stream.runCollect(stream))
    for (let ms = 0; ms < 100_000 && fiber.pollUnsafe() === undefined; ms++)
      yield* TestClock.adjust("1 millis")
    return yield* Fiber.await(fiber)
  })

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

const collected = <A, E>(exit: Exit.Exit<ReadonlyArray<A>, E>): ReadonlyArray<A> => {
  if (Exit.isFailure(exit)) throw new Error(`the walk failed: ${Cause.pretty(exit.cause)}`)
  return exit.value
}

describe("walking by page number", () => {
  it.effect("pages answering out of order are emitted in list order", () =>
    Effect.gen(function* () {
      // Later pages answer first: page 20 after 10 ms, page 3 after 180 ms.
      const list = slowList({ pages: 20, size: 10, latency: (p) => (21 - p) * 10 })
      const items = collected(yield* runOnClock(paginate(list.fetch, { limit: 10 }, { concurrency: 4 })))
      assert.deepStrictEqual(items, range(1, 200))
      assert.deepStrictEqual(list.pages(), range(1, 20), "each page asked for once, in order")
      assert.strictEqual(list.maxInFlight(), 4, "concurrency reached, never exceeded")
      // Pages 3 and 4 are asked for together (the ramp's first step), 5–7 together after them.
      const at = (line: string) => list.log.indexOf(line)
      assert.isTrue(at("answer 4") < at("answer 3"), "answers did arrive out of order")
      assert.isTrue(at("answer 7") < at("answer 5"), "answers did arrive out of order")
    })
  )

  it.effect("the default concurrency is 8", () =>
    Effect.gen(function* () {
      const list = slowList({ pages: 30, size: 10 })
      collected(yield* runOnClock(paginate(list.fetch, {})))
      assert.strictEqual(list.maxInFlight(), 8)
    })
  )

  it.effect("concurrency ramps from 1: take(50) of 100-item pages fetches one page, not 8", () =>
    Effect.gen(function* () {
      const list = slowList({ pages: 100, size: 100 })
      const items = collected(yield* runOnClock(Stream.take(paginate(list.fetch, { limit: 100 }), 50)))
      assert.strictEqual(items.length, 50)
      assert.deepStrictEqual(list.pages(), [1])
    })
  )

  it.effect("the ramp doubles the pages fetched ahead each time the consumer asks for another", () =>
    Effect.gen(function* () {
      const list = slowList({ pages: 100, size: 100 })
      const fetchedBy = (items: number) =>
        Effect.gen(function* () {
          list.requests.length = 0
          collected(yield* runOnClock(Stream.take(paginate(list.fetch, {}), items)))
          return list.requests.length
        })
      // Asking for page 2 asks for it alone; for page 3, for 3 and 4; for page 4, up to 7 (4 at
      // once); for page 5, up to 12 (8 at once); then one more for each page, 8 ahead.
      assert.strictEqual(yield* fetchedBy(150), 2)
      assert.strictEqual(yield* fetchedBy(250), 4)
      assert.strictEqual(yield* fetchedBy(350), 7)
      assert.strictEqual(yield* fetchedBy(450), 12)
      assert.strictEqual(yield* fetchedBy(550), 13)
      assert.strictEqual(yield* fetchedBy(1050), 18)
    })
  )

  it.effect("a consumer that stops interrupts the requests in flight; nothing is asked for after", () =>
    Effect.gen(function* () {
      const list = slowList({ pages: 100, size: 100, latency: () => 100 })
      const items = collected(yield* runOnClock(Stream.take(paginate(list.fetch, {}), 350)))
      assert.deepStrictEqual(items, range(1, 350))
      // Pages 1–4 were needed (3 and 4 were asked for together); asking for page 4 also asked
      // for 5–7 (the ramp's window), still on their way when the consumer stopped in page 4.
      assert.deepStrictEqual(list.pages(), range(1, 7))
      assert.strictEqual(list.interrupted(), 3, "pages 5, 6 and 7 interrupted")
      assert.strictEqual(list.inFlight(), 0, "nothing left running")
      yield* advance(1000)
      assert.strictEqual(list.requests.length, 7, "no request after the stream ended")
      assert.isFalse(["answer 5", "answer 6", "answer 7"].some((line) => list.log.includes(line)))
    })
  )

  it.effect("at full concurrency, a consumer that stops leaves at most concurrency − 1 pages unread", () =>
    Effect.gen(function* () {
      // Deep in the walk: 8 pages ahead are asked for; pages after 11 take 10 s.
      const list = slowList({ pages: 100, size: 100, latency: (p) => (p > 11 ? 10_000 : 50) })
      const items = collected(yield* runOnClock(Stream.take(paginate(list.fetch, {}), 1001)))
      assert.strictEqual(items.length, 1001)
      // Asking for page 11 asked up to page 18: 12–18 were in flight, and were interrupted.
      assert.deepStrictEqual(list.pages(), range(1, 18))
      assert.strictEqual(list.interrupted(), 7, "pages 12 to 18 interrupted")
      assert.strictEqual(list.maxInFlight(), 8)
      assert.strictEqual(list.inFlight(), 0)
    })
  )

  it.effect("a failing page fails the stream in its place, after the pages before it", () =>
    Effect.gen(function* () {
      // Page 5 fails quickly while page 4 is still on its way.
      const list = slowList({
        pages: 20,
        size: 10,
        latency: (p) => (p === 5 ? 1 : p === 4 ? 300 : 100),
        failing: (p) => (p === 5 ? "page 5 failed" : undefined)
      })
      const seen: Array<number> = []
      const exit = yield* runOnClock(
        Stream.tap(paginate(list.fetch, {}), (n) => Effect.sync(() => seen.push(n)))
      )
      assert.isTrue(Exit.isFailure(exit))
      assert.deepStrictEqual(Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined, "page 5 failed")
      assert.deepStrictEqual(seen, range(1, 40), "pages 1–4 came out, then the failure: no gap")
      assert.isTrue(list.log.indexOf("fail 5") < list.log.indexOf("answer 4"), "page 5 failed first")
      assert.deepStrictEqual(list.pages(), range(1, 7))
      assert.strictEqual(list.inFlight(), 0)
    })
  )

  it.effect("once a page has failed, no page after it is asked for", () =>
    Effect.gen(function* () {
      // Page 12 (asked for with 8–11) fails at once; page 7 is slow, so the consumer, waiting
      // for it, asks for pages 6, 7 and 8 while the failure is already known.
      const list = slowList({
        pages: 20,
        size: 10,
        latency: (p) => (p === 12 ? 1 : p === 7 ? 500 : 100),
        failing: (p) => (p === 12 ? "page 12 failed" : undefined)
      })
      const seen: Array<number> = []
      const exit = yield* runOnClock(
        Stream.tap(paginate(list.fetch, {}), (n) => Effect.sync(() => seen.push(n)))
      )
      assert.deepStrictEqual(Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined, "page 12 failed")
      assert.deepStrictEqual(seen, range(1, 110), "pages 1–11 came out, then the failure")
      assert.isTrue(list.log.indexOf("fail 12") < list.log.indexOf("answer 7"))
      assert.deepStrictEqual(list.pages(), range(1, 12), "nothing asked for after page 12 failed")
      assert.strictEqual(list.inFlight(), 0)
    })
  )

  it.effect("a failing page beyond the end of the list is never looked at", () =>
    Effect.gen(function* () {
      // No total: pages past the end are asked for ahead (the window) and are refused.
      const list = slowList({
        pages: 3,
        size: 10,
        withTotal: false,
        failing: (p) => (p > 3 ? "no such page" : undefined)
      })
      const items = collected(yield* runOnClock(paginate(list.fetch, {})))
      assert.deepStrictEqual(items, range(1, 30))
    })
  )

  it.effect("a list with has_next_page only is walked concurrently until a page says there is no more", () =>
    Effect.gen(function* () {
      // No total: the window may run past the end; those pages' items never come out.
      const list = slowList({ pages: 10, size: 10, withTotal: false })
      const items = collected(yield* runOnClock(paginate(list.fetch, {})))
      assert.deepStrictEqual(items, range(1, 100))
      // Asking for page 10 (the last, unknown as such) asked up to page 17, 8 at once.
      assert.deepStrictEqual(list.pages(), range(1, 17))
      assert.strictEqual(list.maxInFlight(), 8)
      assert.strictEqual(list.inFlight(), 0, "the pages past the end were interrupted or answered")
    })
  )

  it.effect("maxPages bounds the walk under concurrency: never a page beyond it", () =>
    Effect.gen(function* () {
      // Asking for page 5 would ask up to page 12: maxPages cuts the window at 10.
      const list = slowList({ pages: 1000, size: 10, withTotal: false })
      const items = collected(yield* runOnClock(paginate(list.fetch, {}, { maxPages: 10, concurrency: 8 })))
      assert.deepStrictEqual(items, range(1, 100))
      assert.deepStrictEqual(list.pages(), range(1, 10))
      assert.strictEqual(list.maxInFlight(), 6, "pages 5 to 10 at once")
    })
  )

  it.effect("never asks for a page beyond what total says exists", () =>
    Effect.gen(function* () {
      // 25 pages of 100 items; has_next_page alone would let the window run ahead.
      const list = slowList({ pages: 25, size: 100 })
      const items = collected(yield* runOnClock(paginate(list.fetch, { limit: 100 })))
      assert.strictEqual(items.length, 2500)
      assert.deepStrictEqual(list.pages(), range(1, 25))
    })
  )

  it.effect("starting from the request's p, the window stays within the list", () =>
    Effect.gen(function* () {
      const list = slowList({ pages: 10, size: 10 })
      const items = collected(yield* runOnClock(paginate(list.fetch, { p: 4 })))
      assert.deepStrictEqual(items, range(31, 100))
      assert.deepStrictEqual(list.pages(), range(4, 10))
    })
  )

  it.effect("concurrency: 1 is today's walk: each page asked for only when the consumer wants it", () =>
    Effect.gen(function* () {
      const list = slowList({ pages: 4, size: 2 })
      const stream = paginate(list.fetch, {}, { concurrency: 1 }).pipe(
        Stream.tap((n) => (n % 2 === 0 ? Effect.sync(() => list.log.push(`consumed ${n / 2}`)) : Effect.void))
      )
      collected(yield* runOnClock(stream))
      assert.deepStrictEqual(list.log, [
        "fetch 1",
        "answer 1",
        "consumed 1",
        "fetch 2",
        "answer 2",
        "consumed 2",
        "fetch 3",
        "answer 3",
        "consumed 3",
        "fetch 4",
        "answer 4",
        "consumed 4"
      ])
      assert.strictEqual(list.maxInFlight(), 1)
    })
  )

  it.effect('a cursor list walked with walk: "pages" pages by p, concurrently', () =>
    Effect.gen(function* () {
      const list = slowList({ pages: 12, size: 5 })
      const items = collected(
        yield* runOnClock(
          paginate(list.fetch, { limit: 5 }, { useCursor: true, walk: "pages", concurrency: 3 })
        )
      )
      assert.deepStrictEqual(items, range(1, 60))
      assert.deepStrictEqual(list.pages(), range(1, 12))
      assert.isTrue(list.requests.every((r) => r.search_after_ctx === undefined && r.p !== undefined))
      assert.strictEqual(list.maxInFlight(), 3)
    })
  )
})

describe("walking by cursor", () => {
  /** A consumer that spends 30 ms on each page (10 ms on each of its 3 items) and logs it. */
  const consume = (list: ReturnType<typeof slowList>, options: PaginateOptions<number>) =>
    paginate(list.fetch, {}, { useCursor: true, ...options }).pipe(
      Stream.tap((n) =>
        Effect.andThen(
          Effect.sleep(10),
          n % 3 === 0 ? Effect.sync(() => list.log.push(`consumed ${n / 3}`)) : Effect.void
        )
      )
    )

  it.effect("reads one page ahead: the next page is asked for while the consumer works", () =>
    Effect.gen(function* () {
      const list = slowList({ pages: 6, size: 3 })
      const items = collected(yield* runOnClock(consume(list, {})))
      assert.deepStrictEqual(items, range(1, 18))
      const at = (line: string) => list.log.indexOf(line)
      // The ramp: nothing is read ahead until the consumer asks for a third page.
      assert.isTrue(at("fetch 2") > at("consumed 1"))
      assert.isTrue(at("fetch 3") > at("consumed 2"))
      for (let page = 3; page < 6; page++) {
        assert.isTrue(
          at(`fetch ${page + 1}`) < at(`consumed ${page}`),
          `page ${page + 1} asked for while page ${page} was being consumed`
        )
        assert.isTrue(at(`fetch ${page + 1}`) > at(`answer ${page}`), "by the cursor of the page before")
      }
      assert.strictEqual(list.maxInFlight(), 1, "one request at a time")
      assert.deepStrictEqual(
        list.requests.map((r) => r.search_after_ctx),
        [undefined, "c1", "c2", "c3", "c4", "c5"]
      )
    })
  )

  it.effect("concurrency: 1 reads nothing ahead", () =>
    Effect.gen(function* () {
      const list = slowList({ pages: 4, size: 3 })
      collected(yield* runOnClock(consume(list, { concurrency: 1 })))
      const at = (line: string) => list.log.indexOf(line)
      for (let page = 1; page < 4; page++) assert.isTrue(at(`fetch ${page + 1}`) > at(`consumed ${page}`))
    })
  )

  it.effect("a consumer that stops leaves at most the page read ahead", () =>
    Effect.gen(function* () {
      const list = slowList({ pages: 50, size: 3 })
      const items = collected(yield* runOnClock(Stream.take(consume(list, {}), 7)))
      assert.deepStrictEqual(items, range(1, 7))
      // Pages 1–3 were needed; page 4 was asked for when page 3 arrived, and interrupted.
      assert.deepStrictEqual(list.pages(), [1, 2, 3, 4])
      assert.strictEqual(list.interrupted(), 1)
      assert.strictEqual(list.inFlight(), 0)
    })
  )

  it.effect("a consumer that stops within the first two pages costs only those pages", () =>
    Effect.gen(function* () {
      const list = slowList({ pages: 50, size: 3 })
      collected(yield* runOnClock(Stream.take(consume(list, {}), 4)))
      assert.deepStrictEqual(list.pages(), [1, 2])
    })
  )

  it.effect("a failing page read ahead fails the stream after the page before it", () =>
    Effect.gen(function* () {
      const list = slowList({ pages: 10, size: 3, failing: (p) => (p === 5 ? "page 5 failed" : undefined) })
      const seen: Array<number> = []
      const exit = yield* runOnClock(Stream.tap(consume(list, {}), (n) => Effect.sync(() => seen.push(n))))
      assert.deepStrictEqual(Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined, "page 5 failed")
      assert.deepStrictEqual(seen, range(1, 12))
      assert.deepStrictEqual(list.pages(), [1, 2, 3, 4, 5])
    })
  )

  it.effect("the stop rules hold with the read-ahead: a repeated cursor ends the walk", () =>
    Effect.gen(function* () {
      const requests: Array<Req> = []
      const fetch = (request: Req) =>
        Effect.sync(() => {
          requests.push(request)
          return { data: { items: [requests.length], search_after_ctx: "same", has_next_page: true }, meta }
        })
      const items = collected(yield* runOnClock(paginate(fetch, {}, { useCursor: true })))
      assert.deepStrictEqual(items, [1, 2])
      assert.strictEqual(requests.length, 2)
    })
  )
})

describe("moving lists: dedupeBy", () => {
  // Page 2 is answered after two items arrived at the top: it repeats the last two of page 1.
  const shifted = (request: Req) =>
    Effect.succeed({
      data: {
        items: request.p === 1 ? [10, 9, 8, 7] : request.p === 2 ? [8, 7, 6, 5] : [4, 3, 2, 1],
        has_next_page: request.p! < 3
      },
      meta
    })

  it.effect("without dedupeBy a shifted page repeats items; with it each key comes once", () =>
    Effect.gen(function* () {
      const plain = collected(yield* runOnClock(paginate(shifted, {})))
      assert.deepStrictEqual(plain, [10, 9, 8, 7, 8, 7, 6, 5, 4, 3, 2, 1])
      const deduped = collected(yield* runOnClock(paginate(shifted, {}, { dedupeBy: (n) => n })))
      assert.deepStrictEqual(deduped, [10, 9, 8, 7, 6, 5, 4, 3, 2, 1])
    })
  )
})

describe("walk options are checked before anything is sent", () => {
  const cases: ReadonlyArray<readonly [string, PaginateOptions<number>, string]> = [
    ["concurrency NaN", { concurrency: Number.NaN }, "options.concurrency"],
    ["concurrency 0", { concurrency: 0 }, "options.concurrency"],
    ["concurrency 1.5", { concurrency: 1.5 }, "options.concurrency"],
    ["concurrency Infinity", { concurrency: Number.POSITIVE_INFINITY }, "options.concurrency"],
    ["walk: sideways", { useCursor: true, walk: "sideways" as never }, "options.walk"],
    ['walk: "cursor" on a list without one', { walk: "cursor" }, "options.walk"],
    ["dedupeBy not a function", { dedupeBy: "incident_id" as never }, "options.dedupeBy"],
    ["maxPages 0", { maxPages: 0 }, "options.maxPages"]
  ]
  for (const [label, options, path] of cases) {
    it.effect(label, () =>
      Effect.gen(function* () {
        const list = slowList({ pages: 3, size: 1 })
        const exit = yield* runOnClock(paginate(list.fetch, {}, options))
        assert.isTrue(Exit.isFailure(exit))
        const error = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
        assert.strictEqual((error as { _tag?: string })._tag, "InvalidParameter")
        assert.strictEqual((error as { path?: string }).path, path)
        assert.strictEqual(list.requests.length, 0, "nothing sent")
      })
    )
  }

  it.effect('walk: "pages" cannot start from a cursor in the request', () =>
    Effect.gen(function* () {
      const list = slowList({ pages: 3, size: 1 })
      const exit = yield* runOnClock(
        paginate(list.fetch, { search_after_ctx: "c1" }, { useCursor: true, walk: "pages" })
      )
      const error = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
      assert.strictEqual((error as { path?: string }).path, "options.walk")
      assert.strictEqual(list.requests.length, 0)
    })
  )
})

describe("the walk options of a generated …Stream method", () => {
  const window = { start_time: 0, end_time: 86_400 * 30 }
  const testLayer = (count: number) =>
    Flashduty.layer({ appKey: FlashdutyTest.appKey, rateLimit: false }).pipe(
      Layer.provideMerge(FlashdutyTest.layer({ incidents: { count } }))
    )

  it.effect("walk, concurrency and dedupeBy reach the walk; the calls accept them", () =>
    Effect.gen(function* () {
      const fd = yield* Flashduty
      const byCursor = yield* fd.incidents.listStream({ ...window, limit: 7 }).pipe(Stream.runCollect)
      const byPages = yield* fd.incidents
        .listStream(
          { ...window, limit: 7 },
          { walk: "pages", concurrency: 4, dedupeBy: (i: { incident_id: string }) => i.incident_id }
        )
        .pipe(Stream.runCollect)
      assert.strictEqual(byCursor.length, 40)
      assert.deepStrictEqual(
        byPages.map((i) => i.incident_id),
        byCursor.map((i) => i.incident_id)
      )
      const test = yield* FlashdutyTest
      const pages = (yield* test.requests).filter((r) => (r.body as { p?: number }).p !== undefined)
      assert.strictEqual(pages.length, 6, "40 incidents in pages of 7, each asked for once")
      const refused = yield* Effect.flip(
        Stream.runCollect(fd.incidents.listStream(window, { concurrency: -1 }))
      )
      assert.strictEqual(
        refused._tag === "InvalidParameter" ? refused.path : undefined,
        "options.concurrency"
      )
      const noCursor = yield* Effect.flip(
        Stream.runCollect(fd.incidents.alertListStream({ incident_id: "x" }, { walk: "cursor" }))
      )
      assert.strictEqual(noCursor._tag === "InvalidParameter" ? noCursor.path : undefined, "options.walk")
    }).pipe(Effect.provide(testLayer(40)))
  )

  it.effect(
    "incidents arriving mid-walk: pages repeat items (dedupeBy drops them), the cursor does not",
    () =>
      Effect.gen(function* () {
        const fd = yield* Flashduty
        const arriving = (stream: Stream.Stream<{ incident_id: string }, unknown>) =>
          stream.pipe(
            Stream.zipWithIndex,
            Stream.tap(([, i]) =>
              i === 9
                ? Effect.forEach(
                    [1, 2, 3],
                    (n) => fd.incidents.create({ incident_severity: "Info", title: `new ${n}` }),
                    { discard: true }
                  )
                : Effect.void
            ),
            Stream.map(([incident]) => incident.incident_id),
            Stream.runCollect
          )
        const byPages = yield* arriving(
          fd.incidents.listStream({ ...window, limit: 10 }, { walk: "pages", concurrency: 1 })
        )
        assert.strictEqual(byPages.length, 43, "the 40, plus the 3 pushed across page boundaries again")
        assert.strictEqual(new Set(byPages).size, 40)
        const deduped = yield* arriving(
          fd.incidents.listStream(
            { ...window, limit: 10 },
            { walk: "pages", dedupeBy: (i: { incident_id: string }) => i.incident_id }
          )
        )
        assert.strictEqual(deduped.length, new Set(deduped).size, "no duplicates")
        const byCursor = yield* arriving(fd.incidents.listStream({ ...window, limit: 10 }))
        assert.strictEqual(byCursor.length, new Set(byCursor).size, "no duplicates by cursor")
      }).pipe(Effect.provide(testLayer(40)))
  )
})
