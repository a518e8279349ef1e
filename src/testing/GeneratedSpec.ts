/**
 * The stand-in's default knowledge of the API, from the generated modules: every
 * operation, the spec's examples, and validation by each operation's request codec
 * (encoding a wire body with it is how the SDK itself checks a request).
 */
import * as Result from "effect/Result"
import type * as SchemaIssue from "effect/SchemaIssue"
import * as SchemaParser from "effect/SchemaParser"
import { endpoints } from "../generated/endpoints.js"
import { examples } from "../generated/examples.js"
import { operations } from "../generated/operations.js"
import { firstProblem } from "../pipeline/schemaIssue.js"
import type { StandInSpec, ValidationFailure } from "./StandInSpec.js"

const encoders = new Map<string, (input: unknown) => Result.Result<unknown, SchemaIssue.Issue>>()

const encoderFor = (operationId: string) => {
  let encode = encoders.get(operationId)
  if (encode === undefined) {
    const codec = endpoints[operationId]?.request
    if (codec === undefined) return undefined
    encode = SchemaParser.encodeUnknownResult(codec)
    encoders.set(operationId, encode)
  }
  return encode
}

const validate = (operationId: string, body: unknown): ValidationFailure | undefined => {
  const encode = encoderFor(operationId)
  // No request codec: the operation takes no input, so any body is ignored.
  if (encode === undefined) return undefined
  const result = encode(body ?? {})
  if (Result.isSuccess(result)) return undefined
  const problem = firstProblem(result.failure)
  return problem.path === "" ? { message: problem.message } : { path: problem.path, message: problem.message }
}

/** The full API, as generated from the OpenAPI document. */
export const generatedSpec: StandInSpec = { operations, examples, validate }
