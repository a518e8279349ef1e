/**
 * An operation together with the codecs that carry its request to the wire and its
 * answer back. Generated services hold one `Endpoint` per method and hand it to
 * `FlashdutyClient.call`.
 */
import type * as Schema from "effect/Schema"
import type { OperationInfo } from "./Operation.js"

export interface Endpoint<I, A> {
  readonly operation: OperationInfo
  /**
   * `Type` is what the caller passes, `Encoded` the wire JSON. Encoding validates
   * strictly (a caller's mistake fails before anything is sent) and turns
   * `Date`/`DateTime` values into epoch numbers. `undefined` when the operation has no input.
   */
  readonly request: Schema.Codec<I, unknown> | undefined
  /** Decodes the envelope's `data`, tolerantly (see `Tolerant.ts`). */
  readonly response: Schema.Codec<A, unknown>
}

/** Builds an {@link Endpoint}; a function so that generated code stays terse. */
export const make = <I, A>(
  operation: OperationInfo,
  request: Schema.Codec<I, unknown> | undefined,
  response: Schema.Codec<A, unknown>
): Endpoint<I, A> => ({ operation, request, response })
