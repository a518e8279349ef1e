/**
 * What the stand-in knows about the API: the operations, their spec examples and a
 * request validator. By default it is built from the generated modules
 * (`GeneratedSpec.ts`); tests and users may hand the engine a smaller table.
 */
import type { OperationInfo } from "../runtime/Operation.js"

/** The spec's examples for one operation; `response` is the whole `{request_id, data}` envelope. */
export interface OperationExample {
  readonly request?: unknown
  readonly response?: unknown
}

/** Why a request body does not fit its operation's request schema. */
export interface ValidationFailure {
  /** The field at fault as a dotted path (`assigned_to.person_ids.0`), when known. */
  readonly path?: string
  readonly message: string
}

export interface StandInSpec {
  readonly operations: ReadonlyArray<OperationInfo>
  readonly examples: Readonly<Record<string, OperationExample>>
  /** `undefined` when `body` is acceptable for the operation. */
  readonly validate: (operationId: string, body: unknown) => ValidationFailure | undefined
}
