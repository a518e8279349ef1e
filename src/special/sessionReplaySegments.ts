/**
 * `sessionReplay.segments` (`POST /rum/session-replay/segments`): replay segments, answered
 * as JSON or as NDJSON.
 *
 * STUB until issue 4: fails with {@link NotImplemented}. The generated `SessionReplay` service
 * spreads `make(client, endpoint)` into itself.
 */
import { Stream } from "effect"
import type { Endpoint } from "../Endpoint.js"
import type { FlashdutyError } from "../Errors.js"
import type { FlashdutyClient } from "../FlashdutyClient.js"
import type { CallOptions } from "../FlashdutyOptions.js"
import { type NotImplemented, notImplemented } from "./NotImplemented.js"

export interface SessionReplaySegmentsMethods {
  /** The replay segment records, one at a time. Not implemented yet. */
  readonly segments: (
    request: any,
    options?: CallOptions
  ) => Stream.Stream<unknown, FlashdutyError | NotImplemented>
}

/**
 * The segments method of the `SessionReplay` service.
 *
 * @example
 * ```ts
 * const methods = SessionReplaySegments.make(client, endpoints.segments)
 * ```
 */
export const make = <I, A>(
  _client: FlashdutyClient["Service"],
  endpoint: Endpoint<I, A>
): SessionReplaySegmentsMethods => ({
  segments: () => Stream.fail(notImplemented(endpoint.operation.operationId, "Session replay segments"))
})
