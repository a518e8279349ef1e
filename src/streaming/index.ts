/**
 * The streaming and file building blocks behind the non-JSON operations: NDJSON lines,
 * transcript lines and their owners, truncation errors, file downloads, uploads,
 * multipart bodies, writing to a file, and a minimal Node `FileSystem`.
 */
export { fileNameFromContentDisposition } from "./ContentDisposition.js"
export {
  AgentTextLine,
  ErrorEventLine,
  ExportLine,
  type ExportLineOf,
  exportLineTypes,
  FinalAnswerLine,
  type KnownExportLineType,
  LlmCallLine,
  SessionMetaLine,
  SubagentDispatchLine,
  sessionIdOf,
  ToolCallLine,
  UnknownLine,
  UserMessageLine
} from "./ExportLine.js"
export { ExportTruncated } from "./ExportTruncated.js"
export {
  type FileDownload,
  fileDownloadFromResponse,
  isJsonContentType,
  responseBytes
} from "./FileDownload.js"
export { assignOwner, type OwnedExportLine, withOwners } from "./LineOwner.js"
export { type FieldValue, type MultipartForm, multipartBody } from "./MultipartBody.js"
export { DEFAULT_MAX_LINE_BYTES, decodeNdjson, NdjsonLineError, type NdjsonOptions } from "./NdjsonLines.js"
export * as NodeFileSystem from "./NodeFileSystem.js"
export {
  checkRawTranscript,
  decodeTranscript,
  type TranscriptError,
  type TranscriptOptions
} from "./SessionTranscript.js"
export type { BytesFile, StreamedFile } from "./UploadFile.js"
export * as UploadFile from "./UploadFile.js"
export {
  type WriteProgress,
  type WriteToFileOptions,
  type WrittenFile,
  writeStreamToFile
} from "./WriteToFile.js"
