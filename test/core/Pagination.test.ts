import { assert, describe, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import type { ApiResponse } from "../../src/ApiResponse.js"
import { type Page, paginate } from "../../src/Pagination.js"

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

describe("paginate", () => {
  it.effect("by page number: starts at p=1, increments, stops on has_next_page false", () =>
    Effect.gen(function* () {
      const list = fakeList((r) => ({ items: [r.p! * 10, r.p! * 10 + 1], has_next_page: r.p! < 3 }))
      const items = yield* Stream.runCollect(paginate(list.fetch, { limit: 2 }))
      assert.deepStrictEqual(items, [10, 11, 20, 21, 30, 31])
      assert.deepStrictEqual(list.seen, [
        { limit: 2, p: 1 },
        { limit: 2, p: 2 },
        { limit: 2, p: 3 }
      ])
    })
  )

  it.effect("starts from the request's own p", () =>
    Effect.gen(function* () {
      const list = fakeList((r) => ({ items: [r.p!], has_next_page: r.p! < 5 }))
      assert.deepStrictEqual(yield* Stream.runCollect(paginate(list.fetch, { p: 4 })), [4, 5])
    })
  )

  it.effect("stops on an empty page and when total is reached", () =>
    Effect.gen(function* () {
      const empty = fakeList((r) => ({ items: r.p! < 3 ? [r.p!] : [] }))
      assert.deepStrictEqual(yield* Stream.runCollect(paginate(empty.fetch, {})), [1, 2])
      assert.strictEqual(empty.seen.length, 3)
      const total = fakeList((r) => ({ items: [r.p!, r.p!], total: 4 }))
      assert.deepStrictEqual(yield* Stream.runCollect(paginate(total.fetch, {})), [1, 1, 2, 2])
      assert.strictEqual(total.seen.length, 2)
    })
  )

  it.effect("null items (a Go nil slice) count as an empty page", () =>
    Effect.gen(function* () {
      const list = fakeList(() => ({ items: null, has_next_page: true }))
      assert.deepStrictEqual(yield* Stream.runCollect(paginate(list.fetch, {})), [])
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
      yield* Stream.runCollect(paginate(list.fetch, { limit: 1 }, { useCursor: true }))
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
      const items = yield* Stream.runCollect(paginate(list.fetch, {}, { useCursor: true }))
      assert.deepStrictEqual(items, [1, 1])
      assert.strictEqual(list.seen.length, 2)
    })
  )

  it.effect("maxPages bounds a server that always says there is more", () =>
    Effect.gen(function* () {
      const list = fakeList((r) => ({ items: [r.p!], has_next_page: true }))
      const items = yield* Stream.runCollect(paginate(list.fetch, {}, { maxPages: 7 }))
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
          const error = yield* Effect.flip(Stream.runCollect(paginate(list.fetch, {}, { maxPages })))
          assert.strictEqual(error._tag, "InvalidParameter")
          assert.strictEqual(error._tag === "InvalidParameter" ? error.path : undefined, "options.maxPages")
          assert.strictEqual(list.seen.length, 0)
        }
      })
  )

  it.effect("is lazy: taking 3 items fetches only the pages needed", () =>
    Effect.gen(function* () {
      const list = fakeList((r) => ({ items: [r.p!, r.p!], has_next_page: true }))
      const items = yield* Stream.runCollect(Stream.take(paginate(list.fetch, {}), 3))
      assert.deepStrictEqual(items, [1, 1, 2])
      assert.strictEqual(list.seen.length, 2)
    })
  )

  it.effect("a failing page fails the stream with its error", () =>
    Effect.gen(function* () {
      const fetch = (r: Req) =>
        r.p === 2
          ? Effect.fail("page 2 failed" as const)
          : Effect.succeed({ data: { items: [1], has_next_page: true }, meta })
      const error = yield* Effect.flip(Stream.runCollect(paginate(fetch, {})))
      assert.strictEqual(error, "page 2 failed")
    })
  )
})
