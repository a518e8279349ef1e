/**
 * `skills.upload` (`POST /safari/skill/upload`, `multipart/form-data`).
 *
 * STUB until issue 4: fails with {@link NotImplemented}. The generated `Skills` service spreads
 * `make(client, endpoint)` into itself.
 */
import { Effect } from "effect"
import type { ApiResponse } from "../ApiResponse.js"
import type { Endpoint } from "../Endpoint.js"
import type { FlashdutyError } from "../Errors.js"
import type { FlashdutyClient } from "../FlashdutyClient.js"
import type { CallOptions } from "../FlashdutyOptions.js"
import { type NotImplemented, notImplemented } from "./NotImplemented.js"

export interface SkillUploadMethods {
  /** Uploads a skill package. Not implemented yet. */
  readonly upload: (
    request: any,
    options?: CallOptions
  ) => Effect.Effect<ApiResponse<any>, FlashdutyError | NotImplemented>
}

/**
 * The upload method of the `Skills` service.
 *
 * @example
 * ```ts
 * const methods = SkillUpload.make(client, endpoints.upload)
 * ```
 */
export const make = <I, A>(
  _client: FlashdutyClient["Service"],
  endpoint: Endpoint<I, A>
): SkillUploadMethods => ({
  upload: () => Effect.fail(notImplemented(endpoint.operation.operationId, "Skill upload"))
})
