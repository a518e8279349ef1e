/**
 * A hand-made spec table for the stand-in's own tests: a few operations shaped like
 * the real ones, with a validator that checks what the tests need.
 */
import type { OperationInfo } from "../../src/runtime/Operation.js"
import type { StandInSpec, ValidationFailure } from "../../src/testing/StandInSpec.js"

const op = (operationId: string, path: string, extra: Partial<OperationInfo> = {}): OperationInfo => ({
  operationId,
  service: "incidents",
  method: operationId,
  httpMethod: "POST",
  path,
  access: "read",
  rateLimit: { text: "1,000 requests/minute; 50 requests/second", perMinute: 1000, perSecond: 50 },
  kind: "json",
  ...extra
})

export const tinyOperations: ReadonlyArray<OperationInfo> = [
  op("incidentList", "/incident/list"),
  op("incidentInfo", "/incident/info"),
  op("incidentListByIds", "/incident/list-by-ids"),
  op("incidentCreate", "/incident/create", { access: "write" }),
  op("incidentAck", "/incident/ack", { access: "write" }),
  op("incidentResolve", "/incident/resolve", { access: "write" }),
  op("incidentRemove", "/incident/remove", { access: "write" }),
  op("teamList", "/team/list", {
    rateLimit: { text: "20 requests/minute; 2 requests/second", perMinute: 20, perSecond: 2 }
  }),
  op("memberInfo", "/member/info"),
  op("statusPageInfo", "/status-page/info", { httpMethod: "GET" }),
  op("session-read-export", "/safari/session/export", { kind: "ndjson" })
]

const isObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const validate = (operationId: string, body: unknown): ValidationFailure | undefined => {
  if (operationId === "statusPageInfo") {
    return isObject(body) && typeof body.page_id === "string"
      ? undefined
      : { path: "page_id", message: "Missing key" }
  }
  if (!isObject(body)) return { message: "Expected an object" }
  if (
    operationId === "incidentCreate" &&
    !["Info", "Warning", "Critical"].includes(body.incident_severity as string)
  ) {
    return {
      path: "incident_severity",
      message: `Expected "Info" | "Warning" | "Critical", got ${JSON.stringify(body.incident_severity)}`
    }
  }
  if (
    operationId === "incidentList" &&
    body.limit !== undefined &&
    (typeof body.limit !== "number" || body.limit > 100)
  ) {
    return { path: "limit", message: "Expected a number at most 100" }
  }
  return undefined
}

export const tinySpec: StandInSpec = {
  operations: tinyOperations,
  examples: {
    teamList: {
      response: {
        request_id: "01HK8XQE3Z7JM2NTFQ5YJ8P9R4",
        data: { total: 1, items: [{ team_id: 1, team_name: "SRE" }] }
      }
    },
    statusPageInfo: {
      response: { request_id: "01HK8XQE3Z7JM2NTFQ5YJ8P9R4", data: { page_id: 7, name: "Status" } }
    }
  },
  validate
}
