/**
 * Walks a paged list operation as a lazy `Stream` of items.
 *
 * Flashduty lists page in one of two ways: by page number (`p`, from 1, with `limit`) or by
 * cursor (`search_after_ctx` from the previous page's answer). Pages are fetched as the
 * stream is pulled; the walk stops on `has_next_page: false`, an empty page, all of `total`
 * seen, a cursor that is empty or repeats, or after `maxPages` pages (default 1,000) as a
 * guard against a misbehaving server. Items come out in list order, whatever order the
 * pages' answers arrive in; a page that fails (after the client's own retries) fails the
 * stream, never leaving a silent gap; when the consumer stops (`Stream.take`, an
 * interruption) the requests still in flight are interrupted.
 *
 * **Two walks.** `walk: "cursor"` (the default of a list that has a cursor) asks for each
 * page with the cursor of the one before, so one request at a time; with `concurrency` above
 * 1 the next page is asked for as soon as the previous answer has arrived, while the consumer
 * works through that page (one page read ahead). `walk: "pages"` (the only walk of a list
 * without a cursor; on request for one with a cursor, for shallow walks: the API may refuse
 * deep page numbers) fetches the first page alone, then asks for the following page numbers
 * up to `concurrency` (default 8) at a time and puts their answers back in order; it never
 * asks beyond what the latest `total` says exists, nor beyond `maxPages`.
 *
 * **The ramp.** Nothing is fetched ahead of the consumer until it asks for a third page: a
 * consumer that stops within the first two pages has cost exactly the pages it read
 * (`Stream.take(150)` of 100-item pages: two requests). From the third page on, each page it
 * asks for doubles the pages fetched at once (2, 4, 8, … up to `concurrency`; by cursor, one
 * page read ahead), so a consumer that stops early leaves at most `concurrency − 1` answers
 * unread; once a page has failed, no page after it is asked for. Each page is an ordinary call
 * of the client, so its rate limiter, retries and timeouts apply to every one; memory holds at
 * most `concurrency` pages. `concurrency: 1` walks one page after the other, each asked for
 * only when the consumer wants it.
 *
 * **Moving lists.** A list is not a snapshot: incidents arrive, change and close while it is
 * walked. By page number, an item that arrives ahead of the walk's position pushes every later
 * item one place down, so the item at a page boundary comes again on the next page (a
 * duplicate), and an item that leaves the list (a filter it no longer matches) pulls them up,
 * so one is skipped. With `concurrency` above 1 the pages are asked for at slightly different
 * moments and in any order, so a shift can also skip an item where sequential paging would
 * have repeated it. By cursor, each page starts after the last item of the one before: an
 * arrival ahead of the walk is not seen and causes no duplicate, a removal causes no skip.
 * Walk by cursor (the default where there is one) when completeness matters; `dedupeBy`
 * (e.g. `(incident) => incident.incident_id`) drops items whose key came already, which
 * removes the duplicates of either walk (it cannot bring back a skipped item), at the cost of
 * remembering one key per item for the whole walk.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { Flashduty, paginate } from "effect-flashduty"
 *
 * const firstHundred = Effect.gen(function* () {
 *   const fd = yield* Flashduty
 *   return yield* paginate((req) => fd.incidents.list(req), { start_time: 0, end_time: 1, limit: 50 }).pipe(
 *     Stream.take(100),
 *     Stream.runCollect
 *   )
 * })
 * ```
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Queue from "effect/Queue"
import * as Stream from "effect/Stream"
import type { ApiResponse } from "./ApiResponse.js"
import { InvalidParameter } from "./Errors.js"

/** The paging fields of a list answer's `data`. */
export interface Page<Item> {
  readonly items?: ReadonlyArray<Item> | null | undefined
  readonly has_next_page?: boolean | undefined
  readonly search_after_ctx?: string | undefined
  readonly total?: number | undefined
}

/** How a list is walked: following `search_after_ctx`, or by page number `p`. */
export type Walk = "cursor" | "pages"

/** How a generated `…Stream` method walks its list, given with the call's options. */
export interface WalkOptions<Item = unknown> {
  /** Upper bound on pages fetched. Default 1,000. */
  readonly maxPages?: number | undefined
  /**
   * Requests in flight at most: by page number, pages fetched at once; by cursor, anything
   * above 1 reads one page ahead. Ramps up from 1 while the consumer keeps reading. Default 8;
   * `1` fetches each page only when the consumer asks for it.
   */
  readonly concurrency?: number | undefined
  /**
   * `"cursor"` (the default where the list has `search_after_ctx`) or `"pages"` (by `p`,
   * concurrently; the only walk of a list without a cursor).
   */
  readonly walk?: Walk | undefined
  /**
   * Drops an item whose key (e.g. `incident_id`) came already in this walk: the duplicates a
   * moving list causes. Remembers every key until the walk ends.
   */
  dedupeBy?(item: Item): unknown
}

export interface PaginateOptions<Item = unknown> extends WalkOptions<Item> {
  /** The list has a `search_after_ctx` cursor (walked by it unless `walk: "pages"`). */
  readonly useCursor?: boolean | undefined
}

/**
 * The walk options among a `…Stream` method's call options, for `paginate` (`useCursor`: the
 * list has a `search_after_ctx` cursor). Used by the generated services. Reads nothing yet:
 * `paginate` reads the options when the stream runs, where a getter that throws becomes an
 * `InvalidParameter` (options that are not an object are left to the call to refuse).
 */
export const walkOptions = <Item>(
  options: WalkOptions<Item> | undefined,
  useCursor: boolean
): PaginateOptions<Item> =>
  typeof options !== "object" || options === null
    ? { useCursor }
    : ({
        useCursor,
        get maxPages() {
          return options.maxPages
        },
        get concurrency() {
          return options.concurrency
        },
        get walk() {
          return options.walk
        },
        get dedupeBy() {
          return options.dedupeBy
        }
      } as PaginateOptions<Item>)

/** Default upper bound on pages fetched by one stream. */
export const defaultMaxPages = 1000

/** Default upper bound on a walk's requests in flight. */
export const defaultConcurrency = 8

/**
 * A lazy stream of the items of every page of a list operation.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { paginate } from "effect-flashduty"
 *
 * // with a generated method `list(req)`: by cursor, one page read ahead
 * // paginate(list, { limit: 100 }, { useCursor: true }).pipe(Stream.runForEach(handle))
 * // by page number, up to 4 pages at once, without the duplicates of a moving list
 * // paginate(list, { limit: 100 }, { concurrency: 4, dedupeBy: (i) => i.incident_id })
 * ```
 */
export const paginate = <Req, Item, E, R = never>(
  fetchPage: (request: Req) => Effect.Effect<ApiResponse<Page<Item>>, E, R>,
  request: Req,
  options?: PaginateOptions<NoInfer<Item>>
): Stream.Stream<Item, E | InvalidParameter, R> =>
  // Suspended, and guarded: reading the caller's options and request runs their getters.
  Stream.suspend(() => {
    try {
      return walk(fetchPage, request, options)
    } catch (error) {
      return Stream.fail(
        new InvalidParameter({
          message: `the list request or its options could not be read (${error instanceof Error ? error.message.slice(0, 200) : "a value was thrown"}) (nothing was sent)`,
          path: ""
        })
      )
    }
  })

const invalidOption = (name: string, why: string, value: unknown) =>
  Stream.fail(
    new InvalidParameter({
      message: `invalid option ${name}: ${why}, got ${typeof value === "string" ? JSON.stringify(value.slice(0, 40)) : typeof value === "function" ? "a function" : String(value)} (nothing was sent)`,
      path: `options.${name}`
    })
  )

/** A page's answer, judged in list order: its items (less duplicates) and whether it ends the walk. */
interface Judged<Item> {
  readonly items: ReadonlyArray<Item>
  readonly last: boolean
}

const walk = <Req, Item, E, R>(
  fetchPage: (request: Req) => Effect.Effect<ApiResponse<Page<Item>>, E, R>,
  request: Req,
  options: PaginateOptions<Item> | undefined
): Stream.Stream<Item, E | InvalidParameter, R> => {
  const maxPages = options?.maxPages ?? defaultMaxPages
  // A NaN or infinite bound (`Number(process.env.UNSET)`) would silently switch the guard off.
  if (!Number.isSafeInteger(maxPages) || maxPages < 1)
    return invalidOption("maxPages", "must be a whole number of pages, at least 1", maxPages)
  const concurrency = options?.concurrency ?? defaultConcurrency
  if (!Number.isSafeInteger(concurrency) || concurrency < 1)
    return invalidOption("concurrency", "must be a whole number of requests, at least 1", concurrency)
  const useCursor = options?.useCursor ?? false
  const walkBy = options?.walk ?? (useCursor ? "cursor" : "pages")
  if (walkBy !== "cursor" && walkBy !== "pages")
    return invalidOption("walk", 'must be "cursor" or "pages"', walkBy)
  if (walkBy === "cursor" && !useCursor)
    return invalidOption(
      "walk",
      "this list has no search_after_ctx cursor, it is walked by page number",
      walkBy
    )
  const dedupeBy = options?.dedupeBy
  if (dedupeBy !== undefined && typeof dedupeBy !== "function")
    return invalidOption("dedupeBy", "must be a function of an item", dedupeBy)
  const byCursor = walkBy === "cursor"
  const startCursor = (request as { search_after_ctx?: unknown }).search_after_ctx
  if (!byCursor && typeof startCursor === "string" && startCursor !== "")
    return invalidOption("walk", '"pages" cannot start from the request\'s search_after_ctx', walkBy)
  const startPage = (request as { p?: unknown }).p
  const firstPage = typeof startPage === "number" && startPage >= 1 ? startPage : 1
  // A copy: every later page is built from plain data, not from the caller's object.
  const first: Req = byCursor ? ({ ...request } as Req) : ({ ...request, p: firstPage } as Req)

  return Stream.unwrap(
    Effect.map(Queue.unbounded<Req>(), (requests) => {
      // One walk's state, read and written in list order by the consumer's pulls (`judge`,
      // `demand`); the concurrent fetches only ever see the requests handed to them.
      /** Pages asked for (the first at the start), numbered from 1 within this walk. */
      let issued = 1
      /** Pages judged so far (in order). */
      let judged = 0
      let seen = 0
      let pageSize = 0
      let total: number | undefined
      /** By cursor: the next page's request, not asked for yet. */
      let next: Req | undefined
      /** A page failed: no page after it can be needed (the walk fails there or ends before). */
      let failed = false
      const cursors = new Set<string>()
      const keys = dedupeBy === undefined ? undefined : new Set<unknown>()

      const judge = (exit: Exit.Exit<ApiResponse<Page<Item>>, E>): Effect.Effect<Judged<Item>, E> => {
        if (Exit.isFailure(exit)) return Effect.failCause(exit.cause)
        const data = exit.value.data
        const items = data.items ?? []
        judged++
        seen += items.length
        if (judged === 1) pageSize = items.length
        if (typeof data.total === "number") total = data.total
        let last =
          items.length === 0 ||
          data.has_next_page === false ||
          judged >= maxPages ||
          (data.total !== undefined && data.total > 0 && seen >= data.total)
        let ask: Effect.Effect<unknown> = Effect.void
        if (!last && byCursor) {
          const cursor = data.search_after_ctx
          // An empty or repeated cursor would fetch the same page forever.
          if (cursor === undefined || cursor === "" || cursors.has(cursor)) last = true
          else {
            cursors.add(cursor)
            next = { ...first, search_after_ctx: cursor }
            // Read ahead once the consumer has asked for a third page (the ramp).
            if (concurrency > 1 && judged >= 3) ask = askNext
          }
        }
        const fresh = keys === undefined ? items : items.filter(unseen)
        return Effect.as(ask, { items: fresh, last })
      }

      const unseen = (item: Item): boolean => {
        const key = dedupeBy!(item)
        if (keys!.has(key)) return false
        keys!.add(key)
        return true
      }

      const askNext = Effect.suspend(() => {
        if (next === undefined) return Effect.void
        const request = next
        next = undefined
        issued++
        return Queue.offer(requests, request)
      })

      /** The consumer wants the page after `judged`: ask for it, and by page number for more ahead. */
      const demand = Effect.suspend(() => {
        if (failed) return Effect.void
        if (byCursor) return askNext
        const wanted = judged + 1
        // The ramp: page 2 alone, then 2, 4, 8, … pages at once (up to `concurrency`).
        let upTo = Math.min(maxPages, wanted + Math.min(concurrency, 2 ** Math.min(judged - 1, 30)) - 1)
        if (total !== undefined && total > 0 && pageSize > 0) {
          // No further than the latest total says exists (by today's count and by page number).
          const bySeen = judged + Math.ceil((total - seen) / pageSize)
          const byNumber = Math.ceil(total / pageSize) - firstPage + 1
          upTo = Math.min(upTo, Math.max(wanted, Math.min(bySeen, byNumber)))
        }
        const batch: Array<Req> = []
        while (issued < upTo) {
          issued++
          batch.push({ ...first, p: firstPage + issued - 1 } as Req)
        }
        return batch.length === 0 ? Effect.void : Queue.offerAll(requests, batch)
      })

      /** Seen as soon as a page's failure arrives, before its turn in list order comes. */
      const noteFailure = <A>(exit: Exit.Exit<A, E>): Exit.Exit<A, E> => {
        if (Exit.isFailure(exit)) failed = true
        return exit
      }

      Queue.offerUnsafe(requests, first)
      // By page number, `concurrency` fetches at once, answers in request order. By cursor
      // there is never more than one, but 2 runs it ahead of the consumer's pull (read-ahead).
      const inFlight = concurrency === 1 ? 1 : byCursor ? 2 : concurrency
      return Stream.fromQueue(requests).pipe(
        Stream.mapEffect((page) => Effect.map(Effect.exit(fetchPage(page)), noteFailure), {
          concurrency: inFlight
        }),
        // Judged in list order as the consumer pulls; a failed page fails the stream here, in
        // its place (a failure of a page beyond the end is never looked at).
        Stream.mapEffect(judge),
        Stream.takeUntil((page) => page.last),
        Stream.flatMap((page) =>
          page.last
            ? Stream.fromArray(page.items)
            : // `demand` runs when the consumer pulls past this page's items, not before.
              Stream.concat(Stream.fromArray(page.items), Stream.fromEffectDrain(demand))
        )
      )
    })
  )
}
