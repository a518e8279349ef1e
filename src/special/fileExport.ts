/**
 * The export / download operations (`kind: "file"`): analytics exports, mapping data
 * download, status page subscriber export, alert rule export.
 *
 * Until issue 4 gives them file-oriented helpers, the generic factory makes each one an
 * ordinary JSON call through `client.call`, so they already work as the spec describes them.
 */
import type { Effect } from "effect"
import type { ApiResponse } from "../ApiResponse.js"
import type { Endpoint } from "../Endpoint.js"
import type { FlashdutyError } from "../Errors.js"
import type { FlashdutyClient } from "../FlashdutyClient.js"
import type { CallOptions } from "../FlashdutyOptions.js"

/**
 * The method of one export operation.
 *
 * @example
 * ```ts
 * const exportIncidents = FileExport.make(client, endpoints.incidentExport)
 * ```
 */
export const make =
  <I, A>(client: FlashdutyClient["Service"], endpoint: Endpoint<I, A>) =>
  (request?: I, options?: CallOptions): Effect.Effect<ApiResponse<A>, FlashdutyError> =>
    client.call(endpoint, (request ?? {}) as I, options)
