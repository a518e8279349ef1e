/**
 * The typed failure of a special (non-JSON) operation whose implementation has not landed yet.
 *
 * The generated services delegate these operations to the modules of `src/special/`; until a
 * module is implemented (issue 4), its methods fail with `NotImplemented` instead of being
 * silently absent.
 */
import { Schema } from "effect"

export class NotImplemented extends Schema.TaggedError<NotImplemented>()("NotImplemented", {
  /** The operationId, e.g. `session-read-export`. */
  operationId: Schema.String,
  message: Schema.String
}) {}

/** The error for `operationId`, with a message that says what to use meanwhile. */
export const notImplemented = (operationId: string, what: string): NotImplemented =>
  new NotImplemented({
    operationId,
    message: `${what} (${operationId}) is not implemented yet in effect-flashduty; see issue 4 (streams and files)`
  })
