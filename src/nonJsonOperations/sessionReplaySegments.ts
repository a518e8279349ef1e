/**
 * `sessionReplay.segments` (`POST /rum/session-replay/segments`), which answers in one of
 * two shapes (the request's `url_mode` chooses; the answer's `Content-Type` tells):
 *
 * - URL mode: the usual JSON envelope with presigned URLs and `search_after_ctx`.
 * - Streaming mode (the default): NDJSON, one replay segment record per line, not
 *   wrapped in an envelope, the next page's cursor in the `X-Search-After-Ctx` header.
 *
 * The generated `SessionReplay` service spreads `make(client, endpoint)` into itself.
 */
import * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import type * as SchemaIssue from "effect/SchemaIssue"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type { Answer } from "../Answer.js"
import type { ApiResponse, ResponseMeta } from "../ApiResponse.js"
import { DecodeError, type FlashdutyError } from "../Errors.js"
import type { FlashdutyClient } from "../FlashdutyClient.js"
import type { CallOptions } from "../FlashdutyOptions.js"
import type {
  RumSessionReplaySegmentsRequest,
  RumSessionReplaySegmentsResult
} from "../generated/SessionReplay.js"
import { defaultMaxPages } from "../Pagination.js"
import { readInput } from "../pipeline/inputGuard.js"
import { decoderOf } from "../pipeline/schemaCodec.js"
import type { Endpoint } from "../runtime/Endpoint.js"
import { decodeNdjson, type NdjsonLineError } from "../streaming/NdjsonLines.js"

/** A page of segments as presigned URLs (URL mode). */
export interface SegmentUrls {
  readonly _tag: "Urls"
  readonly data: RumSessionReplaySegmentsResult
  readonly meta: ResponseMeta
}

/** A page of segment records, read while consumed (streaming mode). */
export interface SegmentRecords {
  readonly _tag: "Records"
  /** One decoded segment record (rrweb events) per element; consume it inside the scope. */
  readonly records: Stream.Stream<unknown, FlashdutyError | NdjsonLineError>
  /** `X-Search-After-Ctx`: pass it as `search_after_ctx` for the next page; `undefined` on the last page. */
  readonly searchAfterCtx: string | undefined
  readonly meta: ResponseMeta
}

export type SegmentsPage = SegmentUrls | SegmentRecords

export interface SegmentsOptions extends CallOptions {
  /** Longest accepted record line, in bytes. Default 16 MiB. */
  readonly maxLineBytes?: number
}

export interface SessionReplaySegmentsMethods {
  /**
   * List session replay segments: one page, in whichever shape the server answered.
   * The records of a streaming page are read lazily, so the result lives in a `Scope`.
   *
   * `POST /rum/session-replay/segments` (`rum-session-replay-read-segments`, read).
   * Rate limit: 1,000 requests/minute; 50 requests/second per account.
   *
   * @example
   * ```ts
   * import { Effect, Stream } from "effect"
   * import { Flashduty } from "effect-flashduty"
   *
   * const firstPage = Effect.scoped(
   *   Effect.gen(function* () {
   *     const fd = yield* Flashduty
   *     const page = yield* fd.sessionReplay.segments({ session_id: "0a4a2e64", limit: 20 })
   *     return page._tag === "Records" ? yield* Stream.runCount(page.records) : page.data.items?.length
   *   })
   * )
   * ```
   */
  readonly segments: (
    request: RumSessionReplaySegmentsRequest,
    options?: SegmentsOptions
  ) => Effect.Effect<SegmentsPage, FlashdutyError, Scope.Scope>
  /**
   * Every segment record of a session (or view) in streaming mode, across pages
   * (following `X-Search-After-Ctx`), in constant memory.
   *
   * @example
   * ```ts
   * import { Effect, Stream } from "effect"
   * import { Flashduty } from "effect-flashduty"
   *
   * const count = Effect.gen(function* () {
   *   const fd = yield* Flashduty
   *   return yield* Stream.runCount(fd.sessionReplay.segmentsStream({ session_id: "0a4a2e64" }))
   * })
   * ```
   */
  readonly segmentsStream: (
    request: Omit<RumSessionReplaySegmentsRequest, "url_mode" | "search_after_ctx">,
    options?: SegmentsOptions
  ) => Stream.Stream<unknown, FlashdutyError | NdjsonLineError>
  /**
   * The presigned segment URLs of one page (URL mode: `url_mode: true` is sent).
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Flashduty } from "effect-flashduty"
   *
   * const urls = Effect.gen(function* () {
   *   const fd = yield* Flashduty
   *   const { data } = yield* fd.sessionReplay.segmentUrls({ session_id: "0a4a2e64" })
   *   return data.items
   * })
   * ```
   */
  readonly segmentUrls: (
    request: Omit<RumSessionReplaySegmentsRequest, "url_mode">,
    options?: CallOptions
  ) => Effect.Effect<ApiResponse<RumSessionReplaySegmentsResult>, FlashdutyError>
}

/**
 * The segments methods of the `SessionReplay` service.
 *
 * @example
 * ```ts
 * const methods = SessionReplaySegments.make(client, endpoints.segments)
 * ```
 */
export const make = (
  client: FlashdutyClient["Service"],
  endpoint: Endpoint<RumSessionReplaySegmentsRequest, RumSessionReplaySegmentsResult>
): SessionReplaySegmentsMethods => {
  const operationId = endpoint.operation.operationId
  const decode = decoderOf(endpoint.response as Schema.Codec<unknown, unknown>) as (
    data: unknown
  ) => Effect.Effect<RumSessionReplaySegmentsResult, SchemaIssue.Issue>

  /** The page's records, once a first look showed NDJSON (not an HTML page). */
  const records = (answer: Answer, options: SegmentsOptions | undefined) =>
    Effect.map(answer.body(), (bytes) =>
      bytes.pipe(
        decodeNdjson({
          operationId,
          ...(answer.requestId === undefined ? {} : { requestId: answer.requestId }),
          ...(options?.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes })
        })
      )
    )

  const cursorOf = (answer: Answer) => {
    const cursor = answer.header("x-search-after-ctx")
    return cursor === undefined || cursor === "" ? undefined : cursor
  }

  const segments: SessionReplaySegmentsMethods["segments"] = (request, options) =>
    client.exchange(endpoint, request, options, (answer) =>
      answer.isJson
        ? Effect.map(
            answer.envelope(decode),
            ({ data, meta }): SegmentsPage => ({ _tag: "Urls", data, meta })
          )
        : Effect.flatMap(records(answer, options), (stream) =>
            Effect.map(
              answer.meta,
              (meta): SegmentsPage => ({
                _tag: "Records",
                records: stream,
                searchAfterCtx: cursorOf(answer),
                meta
              })
            )
          )
    )

  return {
    segments,
    // Spreading the caller's request runs its getters: a throw there is the caller's InvalidParameter.
    segmentUrls: (request, options) =>
      Effect.flatMap(
        readInput(operationId, () => ({ ...request, url_mode: true })),
        (urlMode) => client.call(endpoint, urlMode, options)
      ),
    segmentsStream: segmentsAcrossPages
  }

  function segmentsAcrossPages(
    request: Omit<RumSessionReplaySegmentsRequest, "url_mode" | "search_after_ctx">,
    options: SegmentsOptions | undefined
  ): Stream.Stream<unknown, FlashdutyError | NdjsonLineError> {
    // One page after another while the server hands out a new cursor, at most `maxPages`.
    const maxPages = defaultMaxPages
    const seen = new Set<string>()
    const from = (
      cursor: string | undefined,
      page: number
    ): Stream.Stream<unknown, FlashdutyError | NdjsonLineError> =>
      Stream.suspend(() => {
        let next: string | undefined
        const current = readInput(
          operationId,
          (): RumSessionReplaySegmentsRequest => ({
            ...request,
            url_mode: false,
            ...(cursor === undefined ? {} : { search_after_ctx: cursor })
          })
        )
        const body = Stream.unwrap(
          Effect.flatMap(current, (page) =>
            client.exchange(endpoint, page, options, (answer) => {
              if (answer.isJson) {
                // The server ignored url_mode=false: its URLs are not records, and ending quietly would drop them.
                return Effect.flatMap(answer.envelope(decode), () =>
                  Effect.fail(
                    new DecodeError({
                      message: `${operationId}: expected NDJSON segment records, got the URL-mode envelope (use segmentUrls)`,
                      operationId,
                      status: answer.status,
                      path: "",
                      ...(answer.requestId === undefined ? {} : { requestId: answer.requestId })
                    })
                  )
                )
              }
              next = cursorOf(answer)
              return records(answer, options)
            })
          )
        )
        return Stream.concat(
          body,
          Stream.suspend(() => {
            // A cursor seen before would walk the same pages again (a loop of any length).
            if (next === undefined || seen.has(next) || page + 1 >= maxPages) return Stream.empty
            seen.add(next)
            return from(next, page + 1)
          })
        )
      })
    return from(undefined, 0)
  }
}
