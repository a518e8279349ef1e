/**
 * `skills.upload` (`POST /safari/skill/upload`, `multipart/form-data`): a skill archive
 * in the `file` part, from bytes, a `Stream` or a path (see `UploadFile`). Streamed
 * files are sent as they are read, never held whole in memory. The generated `Skills`
 * service spreads `make(client, endpoint)` into itself.
 */
import * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import type * as SchemaIssue from "effect/SchemaIssue"
import type { ApiResponse } from "../ApiResponse.js"
import type { Endpoint } from "../Endpoint.js"
import type { FlashdutyError } from "../Errors.js"
import type { FlashdutyClient } from "../FlashdutyClient.js"
import type { CallOptions } from "../FlashdutyOptions.js"
import type { SkillItem, SkillUploadRequest } from "../generated/Skills.js"
import { decoderOf } from "../internal/schemaCodec.js"
import { multipartBody } from "../streaming/MultipartBody.js"
import type { UploadFile } from "../streaming/UploadFile.js"
import { checkUploadSize } from "./internal/uploadSize.js"

/** The upload request: the spec's form fields, with `file` as an {@link UploadFile}. */
export interface SkillUploadInput extends Omit<SkillUploadRequest, "file"> {
  /** The archive (`.skill`, `.zip`, `.tar.gz`, `.tgz`), at most 100 MB. */
  readonly file: UploadFile
}

/** The API rejects archives above 100 MB. */
export const MAX_SKILL_ARCHIVE_BYTES = 100 * 1024 * 1024

export interface SkillUploadMethods {
  /**
   * Upload skill: create or replace a skill from an archive.
   *
   * `POST /safari/skill/upload` (`skill-write-upload`, write, `multipart/form-data`).
   * Rate limit: 30 requests/minute; 3 requests/second per account. Permission: Skill Manage.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { Flashduty, NodeFileSystem, UploadFile } from "effect-flashduty"
   *
   * const upload = Effect.gen(function* () {
   *   const fd = yield* Flashduty
   *   const file = yield* UploadFile.fromPath("./k8s-triage.zip")
   *   const { data } = yield* fd.skills.upload({ file, team_id: 0, replace: true })
   *   return data.skill_id
   * }).pipe(Effect.provide(NodeFileSystem.layer))
   * ```
   */
  readonly upload: (
    request: SkillUploadInput,
    options?: CallOptions
  ) => Effect.Effect<ApiResponse<SkillItem>, FlashdutyError>
}

/**
 * The upload method of the `Skills` service.
 *
 * @example
 * ```ts
 * const methods = SkillUpload.make(client, endpoints.upload)
 * ```
 */
export const make = (
  client: FlashdutyClient["Service"],
  endpoint: Endpoint<SkillUploadRequest, SkillItem>
): SkillUploadMethods => {
  const decode = decoderOf(endpoint.response as Schema.Codec<unknown, unknown>) as (
    data: unknown
  ) => Effect.Effect<SkillItem, SchemaIssue.Issue>
  return {
    upload: (request, options) =>
      Effect.andThen(
        checkUploadSize(endpoint.operation.operationId, [request.file], MAX_SKILL_ARCHIVE_BYTES),
        Effect.scoped(
          client.exchange(
            endpoint,
            multipartBody({
              fields: [
                ["team_id", request.team_id],
                ["replace", request.replace],
                ["skill_id", request.skill_id]
              ],
              files: [["file", request.file]]
            }),
            options,
            (answer) => answer.envelope(decode)
          )
        )
      )
  }
}
