/**
 * Public names of the hand-written non-JSON operations (the methods themselves are on
 * the generated services: `sessions.export`, `skills.upload`, ...).
 */
export { downloadExport, type ExportOperationId, exportEndpoints } from "./downloadExport.js"
export { type ExportAnswer, makeDownload } from "./fileExport.js"
export {
  type IncidentCreateMultipartMethods,
  MAX_INCIDENT_REQUEST_BYTES
} from "./incidentCreateMultipart.js"
export type { ExportOptions, ExportToFileOptions, SessionExportMethods } from "./sessionExport.js"
export type {
  SegmentRecords,
  SegmentsOptions,
  SegmentsPage,
  SegmentUrls,
  SessionReplaySegmentsMethods
} from "./sessionReplaySegments.js"
export { MAX_SKILL_ARCHIVE_BYTES, type SkillUploadInput, type SkillUploadMethods } from "./skillUpload.js"
