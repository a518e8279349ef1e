/**
 * `alertEnrichment.mappingDataUpload` (`POST /enrichment/mapping/data/upload`,
 * `multipart/form-data`): a CSV file in the `file` part, from bytes, a `Stream` or a path (see
 * `UploadFile`), streamed, never held whole in memory; `schema_id` (and `do_not_truncate_first`)
 * in the query string, checked by the request schema. The generated `AlertEnrichment` service
 * spreads `make(client, endpoint)` into itself.
 */
import * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import type * as SchemaIssue from "effect/SchemaIssue"
import type { ApiResponse } from "../ApiResponse.js"
import type { FlashdutyError, InvalidParameter } from "../Errors.js"
import type { FlashdutyClient } from "../FlashdutyClient.js"
import type { CallOptions } from "../FlashdutyOptions.js"
import type { MappingDataUploadRequest } from "../generated/AlertEnrichment.js"
import type { EmptyResponse } from "../generated/shared.js"
import type { PreparedBody } from "../pipeline/buildRequest.js"
import { invalidInput } from "../pipeline/inputGuard.js"
import { decoderOf, encoderOf } from "../pipeline/schemaCodec.js"
import { firstProblem } from "../pipeline/schemaIssue.js"
import type { Endpoint } from "../runtime/Endpoint.js"
import { multipartBody } from "../streaming/MultipartBody.js"
import type { UploadFile } from "../streaming/UploadFile.js"
import { checkUploadFiles } from "./uploadFiles.js"

/** The upload request: the query parameters, with `file` as an {@link UploadFile} (a CSV). */
export interface MappingDataUploadInput extends Omit<MappingDataUploadRequest, "file"> {
  /**
   * The CSV, at most 100 MB; its header row names all of the schema's source and result labels.
   * `UploadFile.fromBytes(csv, "mapping.csv", "text/csv")`, `fromStream` or `fromPath`.
   */
  readonly file: UploadFile
}

/** The API rejects mapping files above 100 MB. */
export const MAX_MAPPING_FILE_BYTES = 100 * 1024 * 1024

export interface MappingDataUploadMethods {
  /**
   * Upload mapping data from a CSV file (replacing the schema's data, or appended to it with
   * `do_not_truncate_first: "TRUE"`).
   *
   * `POST /enrichment/mapping/data/upload` (`mapping-data-write-upload`, write, `multipart/form-data`).
   * Rate limit: 20 requests/minute; 2 requests/second per account. Permission: Mappings Manage.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Flashduty, UploadFile } from "effect-flashduty"
   *
   * const upload = Effect.gen(function* () {
   *   const fd = yield* Flashduty
   *   const csv = new TextEncoder().encode("host,team\nweb-1,payments\n")
   *   return yield* fd.alertEnrichment.mappingDataUpload({
   *     schema_id: "665f1c2e9b1d4a0012345678",
   *     file: UploadFile.fromBytes(csv, "mapping.csv", "text/csv")
   *   })
   * })
   * ```
   */
  readonly mappingDataUpload: (
    request: MappingDataUploadInput,
    options?: CallOptions
  ) => Effect.Effect<ApiResponse<EmptyResponse>, FlashdutyError>
}

/**
 * The upload method of the `AlertEnrichment` service.
 *
 * @example
 * ```ts
 * const methods = MappingDataUpload.make(client, endpoints.mappingDataUpload)
 * ```
 */
export const make = (
  client: FlashdutyClient["Service"],
  endpoint: Endpoint<MappingDataUploadRequest, EmptyResponse>
): MappingDataUploadMethods => {
  const operationId = endpoint.operation.operationId
  const decode = decoderOf(endpoint.response as Schema.Codec<unknown, unknown>) as (
    data: unknown
  ) => Effect.Effect<EmptyResponse, SchemaIssue.Issue>
  const encodeQuery = encoderOf(endpoint.request as Schema.Codec<unknown, unknown>)

  /** The multipart body and its query, or why they cannot be sent; run inside the pipeline. */
  const prepare = (request: MappingDataUploadInput): Effect.Effect<PreparedBody, InvalidParameter> =>
    Effect.suspend(() => {
      const problem = checkUploadFiles(operationId, [["file", request?.file]], MAX_MAPPING_FILE_BYTES)
      if (problem !== undefined) return Effect.fail(problem)
      const { file, ...query } = request
      return encodeQuery({ ...query, file: "" }).pipe(
        Effect.mapError((issue) => {
          const found = firstProblem(issue)
          return invalidInput(operationId, found.path, found.message, [])
        }),
        Effect.map((encoded) => {
          const wire = encoded as { readonly schema_id: string; readonly do_not_truncate_first?: string }
          return {
            body: multipartBody({ files: [["file", file]] }),
            query: [
              ["schema_id", wire.schema_id] as const,
              ...(wire.do_not_truncate_first === undefined
                ? []
                : [["do_not_truncate_first", wire.do_not_truncate_first] as const])
            ]
          }
        })
      )
    })

  return {
    mappingDataUpload: (request, options) =>
      Effect.scoped(client.exchange(endpoint, prepare(request), options, (answer) => answer.envelope(decode)))
  }
}
