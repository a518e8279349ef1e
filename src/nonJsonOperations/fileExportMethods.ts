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
import type * as Schema from "effect/Schema"
import type * as SchemaIssue from "effect/SchemaIssue"
import type * as Scope from "effect/Scope"
import type { Answer } from "../Answer.js"
import type { ApiResponse, ResponseMeta } from "../ApiResponse.js"
import { DecodeError, type FlashdutyError } from "../Errors.js"
import type { FlashdutyClient } from "../FlashdutyClient.js"
import type { CallOptions } from "../FlashdutyOptions.js"
import { decoderOf } from "../pipeline/schemaCodec.js"
import type { Endpoint } from "../runtime/Endpoint.js"
import { fileNameFromContentDisposition } from "../streaming/ContentDisposition.js"
import type { FileDownload } from "../streaming/FileDownload.js"

/** What an export answered: the decoded JSON envelope, or a file. */
export type ExportAnswer<A> =
  | { readonly _tag: "Json"; readonly data: A; readonly meta: ResponseMeta }
  | { readonly _tag: "File"; readonly file: FileDownload; readonly meta: ResponseMeta }

const decoder = <A>(endpoint: Endpoint<any, A>) =>
  decoderOf(endpoint.response as Schema.Codec<unknown, unknown>) as (
    data: unknown
  ) => Effect.Effect<A, SchemaIssue.Issue>

const declaredLength = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const length = Number(value)
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined
}

/**
 * A file answer as a {@link FileDownload}: its bytes streamed from the pipeline's answer, once a
 * first look showed a file (not an HTML page, not nothing: `GatewayError`).
 */
const fileOf = (answer: Answer): Effect.Effect<FileDownload, FlashdutyError, Scope.Scope> =>
  // An export always has bytes (a header row at least): an empty one is a proxy's.
  Effect.map(answer.body({ emptyIsError: true }), (stream) => ({
    contentType: answer.contentType ?? "application/octet-stream",
    fileName: fileNameFromContentDisposition(answer.header("content-disposition")),
    contentLength:
      answer.header("content-encoding") === undefined
        ? declaredLength(answer.header("content-length"))
        : undefined,
    stream
  }))

/** A file answer read whole as text (capped by `maxResponseBytes`), as the operation's string `data`. */
const fileAsData = <A>(
  endpoint: Endpoint<any, A>,
  answer: Answer
): Effect.Effect<ApiResponse<A>, FlashdutyError> => {
  const operationId = endpoint.operation.operationId
  const fileName = fileNameFromContentDisposition(answer.header("content-disposition"))
  return Effect.flatMap(answer.text, (text) =>
    text.trim() === "" || answer.isMarkup(text)
      ? Effect.fail(answer.notData(text))
      : decoder(endpoint)(text).pipe(
          Effect.mapError(
            () =>
              new DecodeError({
                message:
                  `${operationId} answered a file (${answer.contentType ?? "no content type"}` +
                  `${fileName === undefined ? "" : `, ${fileName}`}) that its JSON schema cannot hold; ` +
                  "use downloadExport to get it raw",
                operationId,
                status: answer.status,
                path: "",
                ...(answer.requestId === undefined ? {} : { requestId: answer.requestId })
              })
          ),
          Effect.flatMap((data) => Effect.map(answer.meta, (meta) => ({ data, meta })))
        )
  )
}

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
      client.exchange(endpoint as Endpoint<I, unknown>, (request ?? {}) as I, options, (answer) =>
        answer.isJson ? answer.envelope(decoder(endpoint)) : fileAsData(endpoint, answer)
      )
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
    client.exchange(endpoint as Endpoint<I, unknown>, (request ?? {}) as I, options, (answer) =>
      answer.isJson
        ? Effect.map(
            answer.envelope(decoder(endpoint)),
            ({ data, meta }): ExportAnswer<A> => ({ _tag: "Json", data, meta })
          )
        : Effect.flatMap(fileOf(answer), (file) =>
            Effect.map(answer.meta, (meta): ExportAnswer<A> => ({ _tag: "File", file, meta }))
          )
    )
