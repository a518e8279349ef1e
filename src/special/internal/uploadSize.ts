/**
 * The API caps upload sizes (100 MB per skill archive, 50 MiB per incident request) and
 * rejects larger ones; when the sizes are known, fail before sending anything.
 */
import * as Effect from "effect/Effect"
import { InvalidParameter } from "../../Errors.js"
import type { UploadFile } from "../../streaming/UploadFile.js"

const knownSize = (file: UploadFile): number | undefined =>
  file._tag === "Bytes" ? file.bytes.length : file.size

/** Fails with `InvalidParameter` when the known sizes of `files` add up to more than `maxBytes`. */
export const checkUploadSize = (
  operationId: string,
  files: ReadonlyArray<UploadFile>,
  maxBytes: number
): Effect.Effect<void, InvalidParameter> => {
  let total = 0
  for (const file of files) total += knownSize(file) ?? 0
  return total <= maxBytes
    ? Effect.void
    : Effect.fail(
        new InvalidParameter({
          message: `${operationId}: the files add up to ${total} bytes, above the API's limit of ${maxBytes}`,
          operationId,
          path: "file"
        })
      )
}
