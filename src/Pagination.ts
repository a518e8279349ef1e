/**
 * Walks a paged list operation as a lazy `Stream` of items.
 *
 * Flashduty lists page in one of two ways: by page number (`p`, from 1, with `limit`) or by
 * cursor (`search_after_ctx` from the previous page's answer). Pages are fetched only as
 * the stream is pulled; the walk stops on `has_next_page: false`, an empty page, all of
 * `total` seen, a cursor that is empty or repeats, or after `maxPages` pages (default
 * 1,000) as a guard against a misbehaving server.
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
import * as Option from "effect/Option"
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

export interface PaginateOptions {
  /** Upper bound on pages fetched. Default 1,000. */
  readonly maxPages?: number
  /** Page by `search_after_ctx` instead of `p`. */
  readonly useCursor?: boolean
}

/** How a generated `…Stream` method walks its list, given with the call's options. */
export interface WalkOptions {
  /** Upper bound on pages fetched. Default 1,000. */
  readonly maxPages?: number
}

/**
 * The walk options among a `…Stream` method's call options, for `paginate` (`useCursor`: the
 * list has a `search_after_ctx` cursor). Used by the generated services.
 */
export const walkOptions = (options: WalkOptions | undefined, useCursor: boolean): PaginateOptions =>
  options?.maxPages === undefined ? { useCursor } : { useCursor, maxPages: options.maxPages }

/** Default upper bound on pages fetched by one stream. */
export const defaultMaxPages = 1000

interface State<Req> {
  readonly request: Req
  readonly pages: number
  readonly seen: number
  readonly cursors: ReadonlySet<string>
}

/**
 * A lazy stream of the items of every page of a list operation.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { paginate } from "effect-flashduty"
 *
 * // with a generated method `list(req)`: by cursor
 * // paginate(list, { limit: 100 }, { useCursor: true }).pipe(Stream.runForEach(handle))
 * ```
 */
export const paginate = <Req, Item, E, R = never>(
  fetchPage: (request: Req) => Effect.Effect<ApiResponse<Page<Item>>, E, R>,
  request: Req,
  options?: PaginateOptions
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

const walk = <Req, Item, E, R>(
  fetchPage: (request: Req) => Effect.Effect<ApiResponse<Page<Item>>, E, R>,
  request: Req,
  options: PaginateOptions | undefined
): Stream.Stream<Item, E | InvalidParameter, R> => {
  const maxPages = options?.maxPages ?? defaultMaxPages
  // A NaN or infinite bound (`Number(process.env.UNSET)`) would silently switch the guard off.
  if (!Number.isSafeInteger(maxPages) || maxPages < 1) {
    return Stream.fail(
      new InvalidParameter({
        message: `invalid option maxPages: must be a whole number of pages, at least 1, got ${String(maxPages)} (nothing was sent)`,
        path: "options.maxPages"
      })
    )
  }
  const useCursor = options?.useCursor ?? false
  const startPage = (request as { p?: unknown }).p
  // A copy: every later page is built from plain data, not from the caller's object.
  const first: Req = useCursor
    ? ({ ...request } as Req)
    : ({ ...request, p: typeof startPage === "number" && startPage >= 1 ? startPage : 1 } as Req)

  return Stream.paginate<State<Req>, Item, E, R>(
    { request: first, pages: 0, seen: 0, cursors: new Set() },
    (state) =>
      Effect.map(fetchPage(state.request), ({ data }) => {
        const items = data.items ?? []
        const pages = state.pages + 1
        const seen = state.seen + items.length
        const done =
          items.length === 0 ||
          data.has_next_page === false ||
          pages >= maxPages ||
          (data.total !== undefined && data.total > 0 && seen >= data.total)
        if (done) return [items, Option.none()] as const
        if (useCursor) {
          const cursor = data.search_after_ctx
          // An empty or repeated cursor would fetch the same page forever.
          if (cursor === undefined || cursor === "" || state.cursors.has(cursor))
            return [items, Option.none()] as const
          const cursors = new Set(state.cursors).add(cursor)
          return [
            items,
            Option.some({ request: { ...state.request, search_after_ctx: cursor }, pages, seen, cursors })
          ] as const
        }
        const page = (state.request as { p: number }).p + 1
        return [
          items,
          Option.some({ request: { ...state.request, p: page }, pages, seen, cursors: state.cursors })
        ] as const
      })
  )
}
