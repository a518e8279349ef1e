/**
 * `incidents.createWithAttachments`: `POST /incident/create` as `multipart/form-data` (the
 * incident JSON plus image files). The plain JSON `incidents.create` is generated as usual.
 *
 * STUB until issue 4: fails with {@link NotImplemented}. The generated `Incidents` service
 * spreads `make(client, endpoint)` into itself.
 */
import { Effect } from "effect"
import type { ApiResponse } from "../ApiResponse.js"
import type { Endpoint } from "../Endpoint.js"
import type { FlashdutyError } from "../Errors.js"
import type { FlashdutyClient } from "../FlashdutyClient.js"
import type { CallOptions } from "../FlashdutyOptions.js"
import { type NotImplemented, notImplemented } from "./NotImplemented.js"

export interface IncidentCreateMultipartMethods {
  /** Creates an incident with attached files. Not implemented yet. */
  readonly createWithAttachments: (
    request: any,
    files: ReadonlyArray<unknown>,
    options?: CallOptions
  ) => Effect.Effect<ApiResponse<any>, FlashdutyError | NotImplemented>
}

/**
 * The multipart variant of incident creation.
 *
 * @example
 * ```ts
 * const methods = IncidentCreateMultipart.make(client, endpoints.create)
 * ```
 */
export const make = <I, A>(
  _client: FlashdutyClient["Service"],
  endpoint: Endpoint<I, A>
): IncidentCreateMultipartMethods => ({
  createWithAttachments: () =>
    Effect.fail(notImplemented(endpoint.operation.operationId, "Incident creation with attachments"))
})
