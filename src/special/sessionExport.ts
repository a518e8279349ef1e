/**
 * `sessions.export` (`POST /safari/session/export`): an AI SRE session transcript as NDJSON.
 *
 * STUB until issue 4: every method fails with {@link NotImplemented}. The generated `Sessions`
 * service spreads `make(client, endpoint)` into itself, so replacing this module's body does
 * not change the generated code.
 */
import { Effect, Stream } from "effect"
import type { Endpoint } from "../Endpoint.js"
import type { FlashdutyError } from "../Errors.js"
import type { FlashdutyClient } from "../FlashdutyClient.js"
import type { CallOptions } from "../FlashdutyOptions.js"
import { type NotImplemented, notImplemented } from "./NotImplemented.js"

export interface SessionExportMethods {
  /** The transcript, one decoded line at a time (constant memory). Not implemented yet. */
  readonly export: (
    request: any,
    options?: CallOptions
  ) => Stream.Stream<unknown, FlashdutyError | NotImplemented>
  /** The transcript's raw bytes, for writing to a file. Not implemented yet. */
  readonly exportRaw: (
    request: any,
    options?: CallOptions
  ) => Stream.Stream<Uint8Array, FlashdutyError | NotImplemented>
  /** Writes the transcript to `path`. Not implemented yet. */
  readonly exportToFile: (
    request: any,
    path: string,
    options?: CallOptions
  ) => Effect.Effect<void, FlashdutyError | NotImplemented>
}

/**
 * The export methods of the `Sessions` service.
 *
 * @example
 * ```ts
 * const methods = SessionExport.make(client, endpoints.export)
 * ```
 */
export const make = <I, A>(
  _client: FlashdutyClient["Service"],
  endpoint: Endpoint<I, A>
): SessionExportMethods => {
  const fail = () => notImplemented(endpoint.operation.operationId, "Session transcript export")
  return {
    export: () => Stream.fail(fail()),
    exportRaw: () => Stream.fail(fail()),
    exportToFile: () => Effect.fail(fail())
  }
}
