/**
 * `downloadExport`: any export operation with its file answer returned raw. A module of
 * its own because it needs the generated endpoints, which themselves import
 * `fileExport.ts` (keeping the import graph free of cycles).
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type { FlashdutyError } from "../Errors.js"
import { FlashdutyClient } from "../FlashdutyClient.js"
import type { CallOptions } from "../FlashdutyOptions.js"
import { endpoints as AlertEnrichment } from "../generated/AlertEnrichment.js"
import { endpoints as AlertRules } from "../generated/AlertRules.js"
import { endpoints as Analytics } from "../generated/Analytics.js"
import { endpoints as StatusPages } from "../generated/StatusPages.js"
import type { Endpoint } from "../runtime/Endpoint.js"
import { type ExportAnswer, makeDownload } from "./fileExportMethods.js"

/** The export operations (`kind: "file"`), by operationId. */
const exportEndpoints = {
  "mapping-data-read-download": AlertEnrichment.mappingDataDownload,
  insightIncidentExport: Analytics.incidentExport,
  insightChannelExport: Analytics.channelExport,
  insightTeamExport: Analytics.teamExport,
  insightResponderExport: Analytics.responderExport,
  statusPageSubscriberExport: StatusPages.subscriberExport,
  "monit-rule-read-export": AlertRules.export
} as const

export type ExportOperationId = keyof typeof exportEndpoints

type RequestOf<K extends ExportOperationId> =
  (typeof exportEndpoints)[K] extends Endpoint<infer I, any> ? I : never
type DataOf<K extends ExportOperationId> =
  (typeof exportEndpoints)[K] extends Endpoint<any, infer A> ? A : never

/**
 * Runs an export operation and returns its file raw (a byte `Stream`, content type and
 * file name), or its JSON answer decoded when the server answered JSON. The file's stream
 * must be consumed inside the `Scope`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { downloadExport, writeStreamToFile } from "effect-flashduty"
 * import { NodeFileSystem } from "effect-flashduty/node"
 *
 * const saveSubscribers = Effect.scoped(
 *   Effect.gen(function* () {
 *     const answer = yield* downloadExport("statusPageSubscriberExport", { page_id: 42 })
 *     if (answer._tag === "File") {
 *       return yield* answer.file.stream.pipe(writeStreamToFile("./subscribers.csv"))
 *     }
 *   })
 * ).pipe(Effect.provide(NodeFileSystem.layer))
 * ```
 */
export const downloadExport = <K extends ExportOperationId>(
  operationId: K,
  request: RequestOf<K>,
  options?: CallOptions
): Effect.Effect<ExportAnswer<DataOf<K>>, FlashdutyError, FlashdutyClient | Scope.Scope> =>
  Effect.flatMap(FlashdutyClient, (client) =>
    makeDownload(client, exportEndpoints[operationId] as unknown as Endpoint<RequestOf<K>, DataOf<K>>)(
      request,
      options
    )
  )
