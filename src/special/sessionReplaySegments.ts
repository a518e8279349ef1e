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
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type { ApiResponse, ResponseMeta } from "../ApiResponse.js"
import type { Endpoint } from "../Endpoint.js"
import type { FlashdutyError } from "../Errors.js"
import type { FlashdutyClient } from "../FlashdutyClient.js"
import type { CallOptions } from "../FlashdutyOptions.js"
import type {
  RumSessionReplaySegmentsRequest,
  RumSessionReplaySegmentsResult
} from "../generated/SessionReplay.js"
import { isJsonContentType, responseBytes } from "../streaming/FileDownload.js"
import { decodeNdjson, type NdjsonLineError } from "../streaming/NdjsonLines.js"
import { decodeJsonAnswer, metaOf } from "./internal/jsonAnswer.js"

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

const callOptionsOf = (options: SegmentsOptions | undefined): CallOptions | undefined => {
  if (options === undefined) return undefined
  const { maxLineBytes: _, ...call } = options
  return call
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

  const records = (response: HttpClientResponse.HttpClientResponse, options: SegmentsOptions | undefined) => {
    const requestId = response.headers["flashcat-request-id"]
    return responseBytes(response, operationId).pipe(
      decodeNdjson({
        operationId,
        ...(requestId === undefined ? {} : { requestId }),
        ...(options?.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes })
      })
    )
  }

  const cursorOf = (response: HttpClientResponse.HttpClientResponse) => {
    const cursor = response.headers["x-search-after-ctx"]
    return cursor === undefined || cursor === "" ? undefined : cursor
  }

  const segments: SessionReplaySegmentsMethods["segments"] = (request, options) =>
    Effect.flatMap(client.send(endpoint, request, callOptionsOf(options)), (response) =>
      isJsonContentType(response.headers["content-type"])
        ? Effect.map(
            decodeJsonAnswer(endpoint, response, options),
            ({ data, meta }): SegmentsPage => ({ _tag: "Urls", data, meta })
          )
        : Effect.map(
            metaOf(response),
            (meta): SegmentsPage => ({
              _tag: "Records",
              records: records(response, options),
              searchAfterCtx: cursorOf(response),
              meta
            })
          )
    )

  return {
    segments,
    segmentUrls: (request, options) => client.call(endpoint, { ...request, url_mode: true }, options),
    segmentsStream: segmentsAcrossPages
  }

  function segmentsAcrossPages(
    request: Omit<RumSessionReplaySegmentsRequest, "url_mode" | "search_after_ctx">,
    options: SegmentsOptions | undefined
  ): Stream.Stream<unknown, FlashdutyError | NdjsonLineError> {
    // One page after another while the server hands out a new cursor.
    const from = (cursor: string | undefined): Stream.Stream<unknown, FlashdutyError | NdjsonLineError> =>
      Stream.suspend(() => {
        let next: string | undefined
        const current: RumSessionReplaySegmentsRequest = {
          ...request,
          url_mode: false,
          ...(cursor === undefined ? {} : { search_after_ctx: cursor })
        }
        const page = Stream.unwrap(
          Effect.flatMap(client.send(endpoint, current, callOptionsOf(options)), (response) => {
            if (isJsonContentType(response.headers["content-type"])) {
              // The server ignored url_mode=false: an envelope's URLs are not records.
              return Effect.as(decodeJsonAnswer(endpoint, response, options), Stream.empty)
            }
            next = cursorOf(response)
            return Effect.succeed(records(response, options))
          })
        )
        return Stream.concat(
          page,
          Stream.suspend(() => (next === undefined || next === cursor ? Stream.empty : from(next)))
        )
      })
    return from(undefined)
  }
}
