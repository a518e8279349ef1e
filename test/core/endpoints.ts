/** Hand-written endpoints for exercising the executor until the generator lands. */
import { Schema } from "effect"
import * as Endpoint from "../../src/runtime/Endpoint.js"
import type { OperationInfo } from "../../src/runtime/Operation.js"
import { TimeInput, Timestamp } from "../../src/Timestamp.js"

const op = (
  overrides: Partial<OperationInfo> & Pick<OperationInfo, "operationId" | "path">
): OperationInfo => ({
  service: "incidents",
  method: overrides.operationId,
  httpMethod: "POST",
  access: "read",
  rateLimit: {
    text: "1,000 requests/minute; 50 requests/second per account",
    perSecond: 50,
    perMinute: 1000
  },
  kind: "json",
  ...overrides
})

export const ListRequest = Schema.Struct({
  start_time: TimeInput,
  end_time: TimeInput,
  progress: Schema.optionalKey(Schema.String),
  channel_ids: Schema.optionalKey(Schema.Array(Schema.Number)),
  limit: Schema.optionalKey(Schema.Number),
  p: Schema.optionalKey(Schema.Number),
  search_after_ctx: Schema.optionalKey(Schema.String)
})

export const Incident = Schema.Struct({
  incident_id: Schema.String,
  title: Schema.String,
  created_at: Schema.optionalKey(Timestamp)
})

export const ListResponse = Schema.Struct({
  items: Schema.Array(Incident),
  total: Schema.optionalKey(Schema.Number),
  has_next_page: Schema.optionalKey(Schema.Boolean),
  search_after_ctx: Schema.optionalKey(Schema.String)
})

/** A read, POST with a JSON body, paged. */
export const incidentList = Endpoint.make(
  op({ operationId: "incidentList", method: "list", path: "/incident/list" }),
  ListRequest,
  ListResponse
)

/** A write, POST. */
export const incidentAck = Endpoint.make(
  op({ operationId: "incidentAck", method: "ack", path: "/incident/ack", access: "write" }),
  Schema.Struct({ incident_ids: Schema.Array(Schema.String) }),
  Schema.Unknown
)

/** A read, GET with query parameters. */
export const memberInfo = Endpoint.make(
  op({
    operationId: "memberInfo",
    service: "members",
    method: "info",
    path: "/member/info",
    httpMethod: "GET"
  }),
  Schema.Struct({
    member_id: Schema.optionalKey(Schema.Number),
    emails: Schema.optionalKey(Schema.Array(Schema.String)),
    name: Schema.optionalKey(Schema.UndefinedOr(Schema.String)),
    team: Schema.optionalKey(Schema.NullOr(Schema.String))
  }),
  Schema.Struct({ member_id: Schema.Number, name: Schema.String })
)

/** An operation without input. */
export const accountInfo = Endpoint.make(
  op({ operationId: "accountInfo", service: "account", method: "info", path: "/account/info" }),
  undefined,
  Schema.Struct({ account_id: Schema.Number })
)

/** An operation with a strict documented limit (2/s, 20/min). */
export const slowOperation = Endpoint.make(
  op({
    operationId: "slowOperation",
    path: "/slow",
    rateLimit: { text: "20 requests/minute; 2 requests/second", perSecond: 2, perMinute: 20 }
  }),
  undefined,
  Schema.Unknown
)
