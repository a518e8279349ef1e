import { assert, describe, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import type { ApiResponse } from "../../src/ApiResponse.js"
import { type Page, type PaginateOptions, paginate } from "../../src/Pagination.js"

interface Req {
  readonly limit?: number
  readonly p?: number
  readonly search_after_ctx?: string
}

const meta = { requestId: "r", status: 200, headers: {}, rateLimit: {} }

/** A fake list operation recording the requests it receives. */
const fakeList = (pages: (request: Req) => Page<number>) => {
  const seen: Array<Req> = []
  const fetch = (request: Req): Effect.Effect<ApiResponse<Page<number>>> =>
    Effect.sync(() => {
      seen.push(request)
      return { data: pages(request), meta }
    })
  return { seen, fetch }
}

// Every rule holds for the concurrent walk (the default) and for the sequential one.
for (const concurrency of [undefined, 1]) {
  /** The test's options, with this round's concurrency. */
  const o = (options: PaginateOptions<number> = {}): PaginateOptions<number> =>
    concurrency === undefined ? options : { ...options, concurrency }

  describe(`paginate (concurrency ${concurrency ?? "default"})`, () => {
    it.effect("by page number: starts at p=1, increments, stops on has_next_page false", () =>
      Effect.gen(function* () {
        const list = fakeList((r) => ({ items: [r.p! * 10, r.p! * 10 + 1], has_next_page: r.p! < 3 }))
        const items = yield* Stream.runCollect(paginate(list.fetch, { limit: 2 }, o()))
        assert.deepStrictEqual(items, [10, 11, 20, 21, 30, 31])
        // Concurrently, page 3 is asked for with page 4 (the ramp's first step): without a
        // total, nothing says page 3 is the last before its answer; page 4's items never come out.
        assert.deepStrictEqual(list.seen, [
          { limit: 2, p: 1 },
          { limit: 2, p: 2 },
          { limit: 2, p: 3 },
          ...(concurrency === 1 ? [] : [{ limit: 2, p: 4 }])
        ])
      })
    )

    it.effect("starts from the request's own p", () =>
      Effect.gen(function* () {
        const list = fakeList((r) => ({ items: [r.p!], has_next_page: r.p! < 5 }))
        assert.deepStrictEqual(yield* Stream.runCollect(paginate(list.fetch, { p: 4 }, o())), [4, 5])
      })
    )

    it.effect("stops on an empty page and when total is reached", () =>
      Effect.gen(function* () {
        const empty = fakeList((r) => ({ items: r.p! < 3 ? [r.p!] : [] }))
        assert.deepStrictEqual(yield* Stream.runCollect(paginate(empty.fetch, {}, o())), [1, 2])
        // Concurrently, the empty page 3 was asked for with page 4 (no total to say otherwise).
        assert.strictEqual(empty.seen.length, concurrency === 1 ? 3 : 4)
        const total = fakeList((r) => ({ items: [r.p!, r.p!], total: 4 }))
        assert.deepStrictEqual(yield* Stream.runCollect(paginate(total.fetch, {}, o())), [1, 1, 2, 2])
        assert.strictEqual(total.seen.length, 2)
      })
    )

    it.effect("null items (a Go nil slice) count as an empty page", () =>
      Effect.gen(function* () {
        const list = fakeList(() => ({ items: null, has_next_page: true }))
        assert.deepStrictEqual(yield* Stream.runCollect(paginate(list.fetch, {}, o())), [])
        assert.strictEqual(list.seen.length, 1)
      })
    )

    it.effect("by cursor: passes search_after_ctx back, stops when it is empty", () =>
      Effect.gen(function* () {
        const cursors: Record<string, string> = { "": "c1", c1: "c2", c2: "" }
        const list = fakeList((r) => ({
          items: [r.search_after_ctx ?? "start"].map((s) => s.length),
          search_after_ctx: cursors[r.search_after_ctx ?? ""]!,
          has_next_page: true
        }))
        yield* Stream.runCollect(paginate(list.fetch, { limit: 1 }, o({ useCursor: true })))
        assert.deepStrictEqual(
          list.seen.map((r) => r.search_after_ctx),
          [undefined, "c1", "c2"]
        )
        assert.isUndefined(list.seen[0]?.p, "cursor mode does not add p")
      })
    )

    it.effect("by cursor: a repeated cursor stops the walk", () =>
      Effect.gen(function* () {
        const list = fakeList(() => ({ items: [1], search_after_ctx: "same", has_next_page: true }))
        const items = yield* Stream.runCollect(paginate(list.fetch, {}, o({ useCursor: true })))
        assert.deepStrictEqual(items, [1, 1])
        assert.strictEqual(list.seen.length, 2)
      })
    )

    it.effect("maxPages bounds a server that always says there is more", () =>
      Effect.gen(function* () {
        const list = fakeList((r) => ({ items: [r.p!], has_next_page: true }))
        const items = yield* Stream.runCollect(paginate(list.fetch, {}, o({ maxPages: 7 })))
        assert.strictEqual(items.length, 7)
        assert.strictEqual(list.seen.length, 7)
      })
    )

    it.effect(
      "a maxPages that cannot bound the walk (NaN, Infinity, 0, a fraction) is refused, nothing fetched",
      () =>
        Effect.gen(function* () {
          for (const maxPages of [Number.NaN, Number.POSITIVE_INFINITY, 0, 2.5]) {
            const list = fakeList((r) => ({ items: [r.p!], has_next_page: true }))
            const error = yield* Effect.flip(Stream.runCollect(paginate(list.fetch, {}, o({ maxPages }))))
            assert.strictEqual(error._tag, "InvalidParameter")
            assert.strictEqual(error._tag === "InvalidParameter" ? error.path : undefined, "options.maxPages")
            assert.strictEqual(list.seen.length, 0)
          }
        })
    )

    it.effect("is lazy: taking 3 items fetches only the pages needed", () =>
      Effect.gen(function* () {
        const list = fakeList((r) => ({ items: [r.p!, r.p!], has_next_page: true }))
        const items = yield* Stream.runCollect(Stream.take(paginate(list.fetch, {}, o()), 3))
        assert.deepStrictEqual(items, [1, 1, 2])
        // The ramp reads nothing ahead before the consumer asks for a third page.
        assert.deepStrictEqual(
          list.seen.map((r) => r.p),
          [1, 2]
        )
        const first = fakeList((r) => ({ items: [r.p!, r.p!], has_next_page: true }))
        yield* Stream.runCollect(Stream.take(paginate(first.fetch, {}, o()), 2))
        assert.strictEqual(first.seen.length, 1, "nothing is fetched ahead of the first page")
      })
    )

    it.effect("a failing page fails the stream with its error", () =>
      Effect.gen(function* () {
        const fetch = (r: Req) =>
          r.p === 2
            ? Effect.fail("page 2 failed" as const)
            : Effect.succeed({ data: { items: [1], has_next_page: true }, meta })
        const error = yield* Effect.flip(Stream.runCollect(paginate(fetch, {}, o())))
        assert.strictEqual(error, "page 2 failed")
      })
    )
  })
}
