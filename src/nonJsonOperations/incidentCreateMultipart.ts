/**
 * `incidents.createWithAttachments`: `POST /incident/create` as `multipart/form-data`,
 * the incident request as JSON in the `data` field and the images in `images` parts.
 * The plain JSON `incidents.create` is generated as usual. The generated `Incidents`
 * service spreads `make(client, endpoint)` into itself.
 */
import * as Effect from "effect/Effect"
import type * as HttpBody from "effect/http/HttpBody"
import * as Result from "effect/Result"
import type * as Schema from "effect/Schema"
import type * as SchemaIssue from "effect/SchemaIssue"
import type { ApiResponse } from "../ApiResponse.js"
import type { FlashdutyError, InvalidParameter } from "../Errors.js"
import type { FlashdutyClient } from "../FlashdutyClient.js"
import type { CallOptions } from "../FlashdutyOptions.js"
import type { CreateIncidentRequest, CreateIncidentResponse } from "../generated/Incidents.js"
import { invalidInput } from "../pipeline/inputGuard.js"
import { toJsonText } from "../pipeline/jsonText.js"
import { decoderOf, encoderOf } from "../pipeline/schemaCodec.js"
import { firstProblem } from "../pipeline/schemaIssue.js"
import type { Endpoint } from "../runtime/Endpoint.js"
import { multipartBody } from "../streaming/MultipartBody.js"
import type { UploadFile } from "../streaming/UploadFile.js"
import { checkUploadFiles } from "./uploadFiles.js"

/** The API rejects multipart incident requests above 50 MiB in total. */
export const MAX_INCIDENT_REQUEST_BYTES = 50 * 1024 * 1024

export interface IncidentCreateMultipartMethods {
  /**
   * Create incident with image attachments.
   *
   * `POST /incident/create` (`incidentCreate`, write, `multipart/form-data`).
   * Rate limit: 1,000 requests/minute; 50 requests/second per account. Permission: Incidents Manage.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Flashduty, UploadFile } from "effect-flashduty"
   *
   * const create = Effect.gen(function* () {
   *   const fd = yield* Flashduty
   *   const screenshot = UploadFile.fromBytes(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), "latency.png")
   *   const { data } = yield* fd.incidents.createWithAttachments(
   *     { title: "Checkout p99 above 2s", incident_severity: "Critical", channel_id: 2551105804131 },
   *     [screenshot]
   *   )
   *   return data.incident_id
   * })
   * ```
   */
  readonly createWithAttachments: (
    request: CreateIncidentRequest,
    images: ReadonlyArray<UploadFile>,
    options?: CallOptions
  ) => Effect.Effect<ApiResponse<CreateIncidentResponse>, FlashdutyError>
}

/**
 * The multipart variant of incident creation.
 *
 * @example
 * ```ts
 * const methods = IncidentCreateMultipart.make(client, endpoints.create)
 * ```
 */
export const make = (
  client: FlashdutyClient["Service"],
  endpoint: Endpoint<CreateIncidentRequest, CreateIncidentResponse>
): IncidentCreateMultipartMethods => {
  const operationId = endpoint.operation.operationId
  // Validated, encoded and serialised exactly like the JSON variant (dates to epoch seconds, ...).
  const encode =
    endpoint.request === undefined
      ? (input: CreateIncidentRequest) => Effect.succeed(input as unknown)
      : encoderOf(endpoint.request as Schema.Codec<unknown, unknown>)
  const invalid = (path: string, message: string) => invalidInput(operationId, path, message, [])
  const encodeRequest = (request: CreateIncidentRequest) =>
    encode(request).pipe(
      Effect.mapError((issue) => {
        const problem = firstProblem(issue)
        return invalid(problem.path, problem.message)
      }),
      Effect.flatMap((encoded) => {
        const text = toJsonText(encoded)
        return Result.isSuccess(text)
          ? Effect.succeed(text.success)
          : Effect.fail(invalid(text.failure.path, text.failure.message))
      })
    )
  const decode = decoderOf(endpoint.response as Schema.Codec<unknown, unknown>) as (
    data: unknown
  ) => Effect.Effect<CreateIncidentResponse, SchemaIssue.Issue>

  /** The multipart body, or why it cannot be sent; run inside the pipeline. */
  const prepare = (
    request: CreateIncidentRequest,
    images: ReadonlyArray<UploadFile>
  ): Effect.Effect<HttpBody.HttpBody, InvalidParameter> =>
    Effect.gen(function* () {
      const data = yield* encodeRequest(request)
      if (!Array.isArray(images))
        return yield* Effect.fail(invalid("images", "must be an array of UploadFile"))
      const problem = checkUploadFiles(
        operationId,
        images.map((image, i) => [`images.${i}`, image] as const),
        MAX_INCIDENT_REQUEST_BYTES
      )
      if (problem !== undefined) return yield* Effect.fail(problem)
      return multipartBody({
        fields: [["data", data]],
        files: images.map((image) => ["images", image] as const)
      })
    })

  return {
    createWithAttachments: (request, images, options) =>
      Effect.scoped(
        client.exchange(endpoint, prepare(request, images), options, (answer) => answer.envelope(decode))
      )
  }
}
