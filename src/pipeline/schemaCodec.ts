/**
 * The executor's decoders and encoders: built once per schema and compiled by Effect's
 * Schema JIT compiler (`SchemaJITCompiler.enable`), which turns a schema's parser into
 * straight-line code on first use, faster than the interpreter (figure 2 in
 * `bench/RESULTS.md`); where `new Function`
 * is not allowed, Effect keeps the interpreter, with the same results.
 */
import type * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import type * as SchemaIssue from "effect/SchemaIssue"
import * as SchemaParser from "effect/SchemaParser"
// The module itself, not the `effect/schema` barrel (which also loads Model, VariantSchema and
// the AOT compiler at import).
import * as SchemaJITCompiler from "effect/schema/SchemaJITCompiler"

export type Decoder = (data: unknown) => Effect.Effect<unknown, SchemaIssue.Issue>
export type Encoder = (input: unknown) => Effect.Effect<unknown, SchemaIssue.Issue>

const decoders = new WeakMap<object, Decoder>()
const encoders = new WeakMap<object, Encoder>()

/**
 * The (cached, compiled) decoder of a response schema.
 *
 * @example
 * ```ts
 * const decode = decoderOf(endpoint.response)
 * const data = yield* decode(JSON.parse(text).data)
 * ```
 */
export const decoderOf = (schema: Schema.Codec<unknown, unknown>): Decoder => {
  let decoder = decoders.get(schema)
  if (decoder === undefined) {
    SchemaJITCompiler.enable(schema.ast)
    decoder = SchemaParser.decodeUnknownEffect(schema) as Decoder
    decoders.set(schema, decoder)
  }
  return decoder
}

/** The (cached) encoder of a request schema: caller's input → wire JSON, validated. */
export const encoderOf = (schema: Schema.Codec<unknown, unknown>): Encoder => {
  let encoder = encoders.get(schema)
  if (encoder === undefined) {
    encoder = SchemaParser.encodeUnknownEffect(schema) as Encoder
    encoders.set(schema, encoder)
  }
  return encoder
}
