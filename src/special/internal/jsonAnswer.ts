/**
 * Decoding a JSON envelope from a response obtained through `FlashdutyClient.send`
 * (multipart uploads, exports that may answer JSON), exactly as `call` would.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import type * as Schema from "effect/Schema"
import type * as SchemaIssue from "effect/SchemaIssue"
import * as SchemaParser from "effect/SchemaParser"
import type { ApiResponse } from "../../ApiResponse.js"
import type { Endpoint } from "../../Endpoint.js"
import type { FlashdutyError } from "../../Errors.js"
import type { CallOptions } from "../../FlashdutyOptions.js"
import { interpret } from "../../internal/envelope.js"
import { defaultMaxResponseBytes, readBodyCapped } from "../../internal/readBody.js"
import { buildMeta, requestIdOf } from "../../internal/responseMeta.js"
import { fromHttpClientError } from "../../internal/transportError.js"

const decoders = new WeakMap<object, (data: unknown) => Effect.Effect<unknown, SchemaIssue.Issue>>()

const decoderOf = <A>(schema: Schema.Codec<A, unknown>) => {
  let decoder = decoders.get(schema)
  if (decoder === undefined) {
    decoder = SchemaParser.decodeUnknownEffect(schema as Schema.Codec<unknown, unknown>)
    decoders.set(schema, decoder)
  }
  return decoder as (data: unknown) => Effect.Effect<A, SchemaIssue.Issue>
}

/**
 * The body of `response` as text, capped like `call` caps it. (`send` has already turned
 * non-2xx answers into errors; secrets were scrubbed there. A 2xx body is the server's
 * own data and carries no credentials, so nothing is scrubbed here.)
 */
export const readText = (
  response: HttpClientResponse.HttpClientResponse,
  operationId: string,
  options: CallOptions | undefined
): Effect.Effect<string, FlashdutyError> =>
  readBodyCapped(response, options?.maxResponseBytes ?? defaultMaxResponseBytes, operationId).pipe(
    Effect.mapError((error) =>
      error._tag === "TransportError" ? error : fromHttpClientError(error, operationId, [])
    )
  )

/** Interprets a (2xx) JSON envelope answer into `ApiResponse<A>`, or the tagged error it carries. */
export const decodeJsonAnswer = <A>(
  endpoint: Endpoint<any, A>,
  response: HttpClientResponse.HttpClientResponse,
  options: CallOptions | undefined
): Effect.Effect<ApiResponse<A>, FlashdutyError> =>
  Effect.flatMap(readText(response, endpoint.operation.operationId, options), (text) =>
    Effect.flatMap(Clock.currentTimeMillis, (nowMillis) =>
      interpret(
        {
          operationId: endpoint.operation.operationId,
          status: response.status,
          headers: response.headers,
          text,
          nowMillis,
          secrets: []
        },
        decoderOf(endpoint.response)
      )
    )
  )

/** Response metadata of an answer that is not an envelope (NDJSON, a file). */
export const metaOf = (response: HttpClientResponse.HttpClientResponse) =>
  Effect.map(Clock.currentTimeMillis, (nowMillis) =>
    buildMeta(
      response.status,
      response.headers,
      requestIdOf(undefined, response.headers),
      undefined,
      nowMillis
    )
  )
