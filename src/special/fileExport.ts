/**
 * The export / download operations (`kind: "file"`): `analytics.incidentExport`,
 * `channelExport`, `teamExport`, `responderExport`, `statusPages.subscriberExport`,
 * `alertRules.export`, `alertEnrichment.mappingDataDownload`.
 *
 * The spec describes them as JSON envelopes, but such endpoints may answer with a file
 * (`text/csv` with `Content-Disposition: attachment`, as the subscriber export and the
 * mapping download document). Both are handled:
 *
 * - The generated method (`fd.statusPages.subscriberExport(...)`) keeps the JSON shape,
 *   `ApiResponse<A>`: a JSON answer is decoded as usual; a file answer is read as text
 *   (capped by `maxResponseBytes`) and becomes `data` when the operation's schema is a
 *   string (the CSV exports), else it fails with a `DecodeError` naming the file.
 * - `downloadExport` (`downloadExport.ts`) and {@link makeDownload} return the raw file as a
 *   {@link FileDownload} (byte stream, content type, file name) when the answer is not
 *   JSON, in constant memory, and the decoded envelope when it is.
 */
import * as Effect from "effect/Effect"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import type * as Schema from "effect/Schema"
import * as SchemaParser from "effect/SchemaParser"
import type * as Scope from "effect/Scope"
import type { ApiResponse, ResponseMeta } from "../ApiResponse.js"
import type { Endpoint } from "../Endpoint.js"
import { DecodeError, type FlashdutyError } from "../Errors.js"
import type { FlashdutyClient } from "../FlashdutyClient.js"
import type { CallOptions } from "../FlashdutyOptions.js"
import { type FileDownload, fileDownloadFromResponse, isJsonContentType } from "../streaming/FileDownload.js"
import { decodeJsonAnswer, metaOf, readText } from "./internal/jsonAnswer.js"

/** What an export answered: the decoded JSON envelope, or a file. */
export type ExportAnswer<A> =
  | { readonly _tag: "Json"; readonly data: A; readonly meta: ResponseMeta }
  | { readonly _tag: "File"; readonly file: FileDownload; readonly meta: ResponseMeta }

const send = <I, A>(
  client: FlashdutyClient["Service"],
  endpoint: Endpoint<I, A>,
  request: I | undefined,
  options: CallOptions | undefined
) => client.send(endpoint as Endpoint<I, unknown>, (request ?? {}) as I, options)

const isJsonAnswer = (response: HttpClientResponse.HttpClientResponse) =>
  isJsonContentType(response.headers["content-type"])

/**
 * The method of one export operation, as the generated services expose it (JSON shape).
 *
 * @example
 * ```ts
 * const subscriberExport = FileExport.make(client, endpoints.subscriberExport)
 * ```
 */
export const make =
  <I, A>(client: FlashdutyClient["Service"], endpoint: Endpoint<I, A>) =>
  (request?: I, options?: CallOptions): Effect.Effect<ApiResponse<A>, FlashdutyError> =>
    Effect.scoped(
      Effect.flatMap(send(client, endpoint, request, options), (response) => {
        if (isJsonAnswer(response)) return decodeJsonAnswer(endpoint, response, options)
        const operationId = endpoint.operation.operationId
        const file = fileDownloadFromResponse(response, operationId)
        return Effect.flatMap(readText(response, operationId, options), (text) =>
          SchemaParser.decodeUnknownEffect(endpoint.response as Schema.Codec<A, unknown>)(text).pipe(
            Effect.mapError(
              () =>
                new DecodeError({
                  message:
                    `${operationId} answered a file (${file.contentType}` +
                    `${file.fileName === undefined ? "" : `, ${file.fileName}`}) that its JSON schema cannot hold; ` +
                    "use downloadExport to get it raw",
                  operationId,
                  status: response.status,
                  path: "",
                  ...(response.headers["flashcat-request-id"] === undefined
                    ? {}
                    : { requestId: response.headers["flashcat-request-id"] })
                })
            ),
            Effect.flatMap((data) => Effect.map(metaOf(response), (meta) => ({ data, meta })))
          )
        )
      })
    )

/**
 * The raw-capable variant of an export operation: a file answer is returned as a
 * {@link FileDownload} whose stream must be consumed inside the `Scope`.
 *
 * @example
 * ```ts
 * const download = FileExport.makeDownload(client, endpoints.subscriberExport)
 * ```
 */
export const makeDownload =
  <I, A>(client: FlashdutyClient["Service"], endpoint: Endpoint<I, A>) =>
  (request?: I, options?: CallOptions): Effect.Effect<ExportAnswer<A>, FlashdutyError, Scope.Scope> =>
    Effect.flatMap(send(client, endpoint, request, options), (response) =>
      isJsonAnswer(response)
        ? Effect.map(
            decodeJsonAnswer(endpoint, response, options),
            ({ data, meta }): ExportAnswer<A> => ({ _tag: "Json", data, meta })
          )
        : Effect.map(
            metaOf(response),
            (meta): ExportAnswer<A> => ({
              _tag: "File",
              file: fileDownloadFromResponse(response, endpoint.operation.operationId),
              meta
            })
          )
    )
