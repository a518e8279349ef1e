/**
 * `skills.upload` (`POST /safari/skill/upload`, `multipart/form-data`): a skill archive
 * in the `file` part, from bytes, a `Stream` or a path (see `UploadFile`). Streamed
 * files are sent as they are read, never held whole in memory. The generated `Skills`
 * service spreads `make(client, endpoint)` into itself.
 */
import * as Effect from "effect/Effect"
import type * as HttpBody from "effect/http/HttpBody"
import type * as Schema from "effect/Schema"
import type * as SchemaIssue from "effect/SchemaIssue"
import type { ApiResponse } from "../ApiResponse.js"
import type { FlashdutyError, InvalidParameter } from "../Errors.js"
import type { FlashdutyClient } from "../FlashdutyClient.js"
import type { CallOptions } from "../FlashdutyOptions.js"
import type { SkillItem, SkillUploadRequest } from "../generated/Skills.js"
import { invalidInput } from "../pipeline/inputGuard.js"
import { decoderOf, encoderOf } from "../pipeline/schemaCodec.js"
import { firstProblem } from "../pipeline/schemaIssue.js"
import type { Endpoint } from "../runtime/Endpoint.js"
import { multipartBody } from "../streaming/MultipartBody.js"
import type { UploadFile } from "../streaming/UploadFile.js"
import { checkUploadFiles } from "./uploadFiles.js"

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
   * import { Flashduty, UploadFile } from "effect-flashduty"
   * import { NodeFileSystem } from "effect-flashduty/node"
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
  const operationId = endpoint.operation.operationId
  const decode = decoderOf(endpoint.response as Schema.Codec<unknown, unknown>) as (
    data: unknown
  ) => Effect.Effect<SkillItem, SchemaIssue.Issue>
  // The form fields are checked like any request's (the file itself by `checkUploadFiles`).
  const encodeFields = encoderOf(endpoint.request as Schema.Codec<unknown, unknown>)

  /** The multipart body of `request`, or why it cannot be sent; run inside the pipeline. */
  const prepare = (request: SkillUploadInput): Effect.Effect<HttpBody.HttpBody, InvalidParameter> =>
    Effect.suspend(() => {
      const problem = checkUploadFiles(operationId, [["file", request?.file]], MAX_SKILL_ARCHIVE_BYTES)
      if (problem !== undefined) return Effect.fail(problem)
      const { file, ...fields } = request
      return encodeFields({ ...fields, file: "" }).pipe(
        Effect.mapError((issue) => {
          const found = firstProblem(issue)
          return invalidInput(operationId, found.path, found.message, [])
        }),
        Effect.map((encoded) => {
          const wire = encoded as Partial<
            Record<"team_id" | "replace" | "skill_id", string | number | boolean>
          >
          return multipartBody({
            fields: [
              ["team_id", wire.team_id],
              ["replace", wire.replace],
              ["skill_id", wire.skill_id]
            ],
            files: [["file", file]]
          })
        })
      )
    })

  return {
    upload: (request, options) =>
      Effect.scoped(client.exchange(endpoint, prepare(request), options, (answer) => answer.envelope(decode)))
  }
}
