/**
 * The stand-in's engine: one pure-ish handler from a {@link StandInRequest} to a
 * {@link StandInResponse}, shared by the in-memory `HttpClient` and the loopback
 * server. It routes by path (a `{name}` segment of a spec path matches one non-empty
 * segment), injects faults, checks credentials (the app key or an access token; an
 * automation trigger's token for the operations that authenticate with one), enforces the
 * documented rate limits (when asked), validates the request (the query's fields, then the
 * body's or the form's on top, then the path parameters) against the operation's request
 * schema, then answers from an override, else by `StandInAnswers.ts` (the
 * incident/transcript state, a file, or the spec's example). An unknown path is
 * `404 RouteNotFound` unless a `"METHOD /path"` override answers it.
 *
 * Waiting (latency faults) uses Effect's `Clock`, so under `TestClock` it is virtual.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type { OperationInfo } from "../runtime/Operation.js"
import { DocumentedRateLimiter } from "./DocumentedRateLimiter.js"
import { failure, htmlProxyPage, makeRequestIds, malformedBody, success } from "./Envelope.js"
import { type Fault, type FaultRule, statusForCode } from "./Fault.js"
import { FaultRuleSet } from "./FaultRuleSet.js"
import {
  type Incident,
  type IncidentComment,
  IncidentStore,
  type IncidentStoreOptions,
  keyOwner
} from "./IncidentStore.js"
import {
  type CredentialKind,
  type RecordedFile,
  type RecordedRequest,
  redactedHeaders,
  redactedQuery
} from "./RecordedRequest.js"
import { answerOf, exampleIncidents, exampleTriggerTokens, safeJson } from "./StandInAnswers.js"
import { ConnectionDropped, type StandInRequest, type StandInResponse } from "./StandInHttp.js"
import { fieldsOf, hasTextFields, parseBody } from "./StandInRequestBody.js"
import { makeRouter, methodPathKey, normalPath, type Route } from "./StandInRoutes.js"
import type { StandInSpec } from "./StandInSpec.js"
import type { TranscriptOptions } from "./Transcript.js"
import { makeWebhookDeliverer, type WebhookDeliveryRecord, type WebhookTarget } from "./WebhookDelivery.js"
import type { WebhookFaultRule } from "./WebhookFault.js"
import { incidentPayload } from "./WebhookPayloads.js"

/** The app key the stand-in accepts unless told otherwise. */
export const DEFAULT_APP_KEY = "standin-app-key"

/** A replacement answer for an operation. */
export type OverrideAnswer =
  | { readonly data: unknown }
  | {
      readonly error: { readonly code: string; readonly message?: string }
      /** Default: the status the API pairs with the code. */
      readonly status?: number
      readonly retryAfter?: number | string
    }

/** What an override function sees of the request. */
export interface OverrideRequest {
  /** The operation; `undefined` for a path the spec lacks (an override keyed `"METHOD /path"`). */
  readonly operationId: string | undefined
  readonly method: string
  /** The path as received (URL-encoded, without a trailing slash). */
  readonly path: string
  /**
   * The request as validated: the query's fields, then the JSON body's or the form's fields on
   * top (a file part by its file name), then the path parameters (URL-decoded).
   */
  readonly body: unknown
  /** Query parameters without `app_key`. */
  readonly query: Readonly<Record<string, string>>
}

export type Override = OverrideAnswer | ((request: OverrideRequest) => OverrideAnswer)

export interface StandInOptions {
  /** The app key accepted as `app_key`; default {@link DEFAULT_APP_KEY}. */
  readonly appKey?: string | Redacted.Redacted<string>
  /** Access tokens accepted as `Authorization: Bearer <token>`; default none. */
  readonly accessTokens?: ReadonlyArray<string | Redacted.Redacted<string>>
  /**
   * Automation trigger tokens accepted as `Authorization: Bearer <token>` by the operations that
   * authenticate with one (`OperationInfo.auth: "automationTrigger"`: `automations.triggerFire`),
   * instead of the app key. Default: the `http_post_token` of the spec's example automation rule
   * (`automation-rule-write-create`), so that the documented example fires.
   */
  readonly triggerTokens?: ReadonlyArray<string | Redacted.Redacted<string>>
  /** The generated incidents (count, time spread). */
  readonly incidents?: IncidentStoreOptions
  /** Size and shape of exported session transcripts. */
  readonly transcript?: TranscriptOptions
  /** Enforce each operation's documented rate limit; default false. */
  readonly rateLimits?: boolean
  /** Seed for generated data and fault probabilities; default `"flashduty-standin"`. */
  readonly seed?: string | number
  /** Fault rules active from the start. */
  readonly faults?: ReadonlyArray<FaultRule>
  /**
   * Where incident webhooks go from the start (see {@link StandInControl.setWebhookTarget}); default
   * none.
   */
  readonly webhook?: WebhookTarget
  /** Webhook fault rules active from the start (`WebhookFault`). */
  readonly webhookFaults?: ReadonlyArray<WebhookFaultRule>
}

/** Programs the running stand-in and reads back what it received. */
export interface StandInControl {
  /** The app key the stand-in currently accepts (hand it to `Flashduty.layer`). */
  readonly appKey: Effect.Effect<Redacted.Redacted<string>>
  /** Replace the accepted credentials (e.g. to expire an access token); a field left out stays. */
  readonly setCredentials: (credentials: {
    readonly appKey?: string | Redacted.Redacted<string>
    readonly accessTokens?: ReadonlyArray<string | Redacted.Redacted<string>>
    /** The automation trigger tokens (see {@link StandInOptions.triggerTokens}). */
    readonly triggerTokens?: ReadonlyArray<string | Redacted.Redacted<string>>
  }) => Effect.Effect<void>
  /** Add a fault rule (after the existing ones). */
  readonly addFault: (rule: FaultRule) => Effect.Effect<void>
  readonly clearFaults: Effect.Effect<void>
  /**
   * Answer `key` with this instead of the built-in answer. `key` is either an operationId
   * (`"teamList"`: after credentials, limits and validation), or, for a path the spec lacks
   * (an operation called through `FlashdutyClient.request`), the method and the path:
   * `"POST /safari/knowledge/pack/list"`, answered after credentials (the app key or an access
   * token; the path has no documented rate limit), with no validation; the recorded request
   * keeps `operationId: undefined`. Without an override such a path is `404 RouteNotFound`
   * (another method on an overridden path: `405 MethodNotAllowed`). A `"METHOD /path"` key is
   * consulted only for paths the stand-in does not route: a spec path takes its operationId.
   *
   * @example
   * ```ts
   * yield* control.override("POST /safari/knowledge/pack/list", { data: { items: [], total: 0 } })
   * ```
   */
  readonly override: (key: string, answer: Override) => Effect.Effect<void>
  readonly clearOverrides: Effect.Effect<void>
  /** Every request received so far, oldest first, credentials removed. */
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  readonly clearRequests: Effect.Effect<void>
  /** The incidents as they stand now, newest first. */
  readonly incidents: Effect.Effect<ReadonlyArray<Incident>>
  /** Change the size/shape of transcripts exported from now on. */
  readonly setTranscript: (options: TranscriptOptions) => Effect.Effect<void>
  readonly setRateLimits: (enabled: boolean) => Effect.Effect<void>
  /** The comments made so far (`incidents.comment`), oldest first. */
  readonly comments: Effect.Effect<ReadonlyArray<IncidentComment>>
  /**
   * Where incident webhooks go from now (`undefined`: nowhere): a URL, or in memory a receiver's
   * handler. Every change of an incident's state posts the matching event, as Flashduty's incident
   * webhook does: create (`i_new`, and `i_assign` when assigned), assign (`i_assign`), add
   * responders (`i_a_rspd`), ack / unack (`i_ack` / `i_unack`), snooze / wake, resolve (`i_rslv`),
   * reopen (`i_reopen`), comment (`i_comm`), reset of a field (`i_r_title`, `i_r_desc`,
   * `i_r_impact`, `i_r_rc`, `i_r_rsltn`, `i_r_severity`), a custom action (`i_custom`).
   *
   * @example
   * ```ts
   * yield* control.setWebhookTarget({ url: "http://127.0.0.1:8080/hook", headers: { "x-secret": secret } })
   * yield* test.setWebhookTarget({ handler: receiver.handler, headers: { "x-secret": secret } }) // in memory
   * ```
   */
  readonly setWebhookTarget: (target: WebhookTarget | undefined) => Effect.Effect<void>
  /** Add a webhook fault rule (`WebhookFault.slowReceiver`, `.duplicate`, `.unknownEventType`). */
  readonly addWebhookFault: (rule: WebhookFaultRule) => Effect.Effect<void>
  readonly clearWebhookFaults: Effect.Effect<void>
  /**
   * Posts any body to the target, through the same deliveries (order, retry, faults): an alert
   * event, a documented example, an event type from the future. Nothing when no target is set.
   */
  readonly sendWebhook: (payload: Readonly<Record<string, unknown>>) => Effect.Effect<void>
  /** Every delivery attempt so far, oldest first (no headers: they may hold a secret). */
  readonly webhookDeliveries: Effect.Effect<ReadonlyArray<WebhookDeliveryRecord>>
  readonly clearWebhookDeliveries: Effect.Effect<void>
  /** Waits until every webhook queued so far has been delivered (or given up after its retry). */
  readonly webhooksDelivered: Effect.Effect<void>
}

export interface StandInEngine {
  readonly handle: (request: StandInRequest) => Effect.Effect<StandInResponse, ConnectionDropped>
  readonly control: StandInControl
}

const reveal = (value: string | Redacted.Redacted<string>): string =>
  typeof value === "string" ? value : Redacted.value(value)

const decoder = new TextDecoder()

/** Cut the body after `keep` bytes, then fail like a dropped connection. */
const truncate = (body: Stream.Stream<Uint8Array, ConnectionDropped>, keep: number) =>
  Stream.suspend(() => {
    let remaining = keep
    return body.pipe(
      Stream.takeWhile(() => remaining > 0),
      Stream.map((chunk) => {
        const part = chunk.subarray(0, Math.max(0, remaining))
        remaining -= part.byteLength
        return part
      }),
      Stream.concat(Stream.fail(new ConnectionDropped({ reason: "truncated body" })))
    )
  })

/**
 * Builds an engine over `spec`, its webhook deliveries running in the current scope. Needs
 * nothing else from the environment; time comes from the `Clock` of whoever calls `handle`.
 *
 * @example
 * ```ts
 * const engine = yield* makeStandInEngine(spec, { rateLimits: true })
 * const response = yield* engine.handle({ method: "POST", url: new URL("http://x/incident/list?app_key=standin-app-key"), headers: {}, body: new Uint8Array() })
 * ```
 */
export const makeStandInEngine = (
  spec: StandInSpec,
  options: StandInOptions = {}
): Effect.Effect<StandInEngine, never, Scope.Scope> =>
  Effect.gen(function* () {
    const seed = options.seed ?? "flashduty-standin"
    const faultRandom = yield* Effect.service(Random.Random).pipe(Random.withSeed(`${seed}/faults`))
    const dataRandom = yield* Effect.service(Random.Random).pipe(Random.withSeed(`${seed}/data`))
    const webhookRandom = yield* Effect.service(Random.Random).pipe(Random.withSeed(`${seed}/webhooks`))
    const startedAt = yield* Clock.currentTimeMillis
    const webhooks = yield* makeWebhookDeliverer(webhookRandom, {
      target: options.webhook,
      ...(options.webhookFaults === undefined ? {} : { faults: options.webhookFaults })
    })
    let lastEventTime = 0
    /** An incident event: its body built now (the incident as it is), queued for delivery. */
    const emit = (eventType: string, incident: Incident, nowMillis: number): void => {
      if (!webhooks.hasTarget()) return
      // Strictly increasing, so that the order of the changes is the order of the times.
      lastEventTime = Math.max(nowMillis, lastEventTime + 1)
      const eventId = Array.from({ length: 4 }, () =>
        Math.floor(webhookRandom.nextDoubleUnsafe() * 0x100000000)
          .toString(16)
          .padStart(8, "0")
      ).join("")
      webhooks.enqueue(
        incidentPayload({ eventId, eventTimeMillis: lastEventTime, eventType, incident, person: keyOwner })
      )
    }

    const route = makeRouter(spec.operations)
    const faults = new FaultRuleSet(faultRandom, options.faults)
    const limiter = new DocumentedRateLimiter()
    const store = new IncidentStore(dataRandom, Math.floor(startedAt / 1000), options.incidents)
    // The spec's example incidents exist too, so the documentation's ids work against the stand-in.
    if (options.incidents?.specExamples !== false) {
      for (const incident of exampleIncidents(spec)) store.adopt(incident)
    }
    const overrides = new Map<string, Override>()
    /** Overrides of paths the spec lacks: path → method → answer. */
    const pathOverrides = new Map<string, Map<string, Override>>()
    const counters = new Map<string, number>()
    const sequence = (name: string): number => {
      const next = (counters.get(name) ?? 0) + 1
      counters.set(name, next)
      return next
    }
    const log: Array<RecordedRequest> = []
    const nextRequestId = makeRequestIds()
    let appKey = reveal(options.appKey ?? DEFAULT_APP_KEY)
    let accessTokens = new Set((options.accessTokens ?? []).map(reveal))
    let triggerTokens = new Set((options.triggerTokens ?? exampleTriggerTokens(spec)).map(reveal))
    let transcript: TranscriptOptions = options.transcript ?? {}
    let rateLimits = options.rateLimits ?? false

    /** The token of an `Authorization: Bearer` header; `null` for another scheme; `undefined` without one. */
    const bearerOf = (request: StandInRequest): string | null | undefined => {
      const authorization = request.headers.authorization
      if (authorization === undefined) return undefined
      const match = /^Bearer\s+(.+)$/i.exec(authorization)
      return match === null ? null : match[1]!.trim()
    }

    /**
     * How `request` authenticates for `operation` and whether that is accepted. An operation
     * with `auth: "automationTrigger"` takes only a trigger token (an app key alone is refused);
     * every other one (and an unknown path) the app key or an access token.
     */
    const credentialOf = (
      request: StandInRequest,
      operation: OperationInfo | undefined
    ): { kind: CredentialKind; valid: boolean } => {
      const token = bearerOf(request)
      const queryKey = request.url.searchParams.get("app_key")
      if (operation?.auth === "automationTrigger") {
        if (token !== undefined)
          return { kind: "triggerToken", valid: token !== null && triggerTokens.has(token) }
        return { kind: queryKey !== null ? "appKey" : "none", valid: false }
      }
      if (queryKey !== null) return { kind: "appKey", valid: queryKey === appKey }
      if (token !== undefined) return { kind: "bearer", valid: token !== null && accessTokens.has(token) }
      return { kind: "none", valid: false }
    }

    const overrideAnswer = (requestId: string, answer: OverrideAnswer): StandInResponse =>
      "data" in answer
        ? success(requestId, answer.data)
        : failure(
            requestId,
            answer.status ?? statusForCode(answer.error.code),
            answer.error.code,
            answer.error.message,
            answer.retryAfter
          )

    const choose = (override: Override, request: OverrideRequest, requestId: string): StandInResponse =>
      overrideAnswer(requestId, typeof override === "function" ? override(request) : override)

    /** The answer before post-processing faults; also the parsed body and files, for the log. */
    const answer = (
      request: StandInRequest,
      path: string,
      routed: Route,
      requestId: string,
      nowMillis: number,
      fault: Fault | undefined
    ): Effect.Effect<{ response: StandInResponse; body: unknown; files?: ReadonlyArray<RecordedFile> }> =>
      Effect.gen(function* () {
        const parsed = yield* Effect.promise(() => parseBody(request))
        const logged = parsed.ok ? parsed.value : decoder.decode(request.body)
        const files = parsed.ok ? parsed.files : undefined
        const done = (response: StandInResponse) => ({
          response,
          body: logged,
          ...(files === undefined || files.length === 0 ? {} : { files })
        })
        const method = request.method.toUpperCase()
        const query = redactedQuery(request.url)
        const operation = routed.operation
        if (operation === undefined) {
          // A path the spec lacks: answered only by a user's "METHOD /path" override.
          const byMethod = pathOverrides.get(path)
          if (byMethod === undefined) return done(failure(requestId, 404, "RouteNotFound"))
          const override = byMethod.get(method)
          if (override === undefined) return done(failure(requestId, 405, "MethodNotAllowed"))
          if (!credentialOf(request, undefined).valid) return done(failure(requestId, 401, "Unauthorized"))
          if (!parsed.ok) return done(failure(requestId, 400, "InvalidParameter", parsed.message))
          const body = fieldsOf(query, parsed, {}, false)
          return done(choose(override, { operationId: undefined, method, path, body, query }, requestId))
        }
        if (operation.httpMethod !== method) {
          return done(failure(requestId, 405, "MethodNotAllowed"))
        }
        if (!credentialOf(request, operation).valid) return done(failure(requestId, 401, "Unauthorized"))
        if (rateLimits) {
          const verdict = limiter.admit(operation.operationId, operation.rateLimit, nowMillis)
          if (!verdict.accepted) {
            return done(failure(requestId, 429, "RequestTooFrequently", undefined, verdict.retryAfterSeconds))
          }
        }
        if (!parsed.ok) return done(failure(requestId, 400, "InvalidParameter", parsed.message))
        let body: unknown = parsed.value
        if (hasTextFields(query, parsed, routed.pathValues)) {
          // Text fields: try them typed as declared (numbers, booleans) first, then verbatim.
          const typed = fieldsOf(query, parsed, routed.pathValues, true)
          body =
            spec.validate(operation.operationId, typed) === undefined
              ? typed
              : fieldsOf(query, parsed, routed.pathValues, false)
        }
        // A multipart incident create carries its JSON request in the `data` field.
        const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>
        const toValidate =
          operation.operationId === "incidentCreate" && typeof fields.data === "string"
            ? safeJson(fields.data)
            : body
        const invalid = spec.validate(operation.operationId, toValidate)
        if (invalid !== undefined) {
          const where = invalid.path === undefined || invalid.path === "" ? "" : ` (field "${invalid.path}")`
          return done(
            failure(
              requestId,
              400,
              "InvalidParameter",
              `The specified parameter is not valid${where}: ${invalid.message}`
            )
          )
        }
        const record = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>
        const override = overrides.get(operation.operationId)
        if (override !== undefined) {
          return done(
            choose(override, { operationId: operation.operationId, method, path, body, query }, requestId)
          )
        }
        return done(
          answerOf({
            operation,
            body: record,
            files: files ?? [],
            sequence,
            nowMillis,
            requestId,
            fault,
            store,
            transcript,
            spec,
            emit: (eventType, incident) => emit(eventType, incident, nowMillis)
          })
        )
      })

    const handle = (request: StandInRequest): Effect.Effect<StandInResponse, ConnectionDropped> =>
      Effect.gen(function* () {
        const receivedAt = yield* Clock.currentTimeMillis
        const path = normalPath(request.url.pathname)
        const routed = route(path)
        const operation = routed.operation
        const requestId = nextRequestId(receivedAt)
        const remember = (
          body: unknown,
          outcome: number | "dropped",
          files?: ReadonlyArray<RecordedFile> | undefined
        ) => {
          log.push({
            method: request.method.toUpperCase(),
            path,
            operationId: operation?.operationId,
            query: redactedQuery(request.url),
            headers: redactedHeaders(request.headers),
            credential: credentialOf(request, operation).kind,
            body,
            ...(files === undefined ? {} : { files }),
            receivedAt,
            outcome
          })
        }

        const decision = faults.decide(operation?.operationId, path)
        for (const latency of decision.latencies) yield* Effect.sleep(latency.duration)
        const fault = decision.fault
        const rawBody = () =>
          request.body.byteLength === 0 ? undefined : safeJson(decoder.decode(request.body))
        switch (fault?._tag) {
          case "DropConnection":
            remember(rawBody(), "dropped")
            return yield* Effect.fail(new ConnectionDropped({ reason: "connection dropped by fault rule" }))
          case "HtmlProxyPage":
            remember(rawBody(), fault.status)
            return htmlProxyPage(fault.status)
          case "ErrorAnswer":
            remember(rawBody(), fault.status)
            return failure(requestId, fault.status, fault.code, fault.message, fault.retryAfter)
        }
        const { response, body, files } = yield* answer(request, path, routed, requestId, receivedAt, fault)
        remember(body, response.status, files)
        switch (fault?._tag) {
          case "MalformedBody":
            return malformedBody(requestId)
          case "TruncatedBody": {
            const length = Number(response.headers["content-length"] ?? Number.NaN)
            const keep = fault.keepBytes ?? (Number.isFinite(length) ? Math.floor(length / 2) : 4096)
            return { ...response, body: truncate(response.body, keep) }
          }
          default:
            return response
        }
      })

    const control: StandInControl = {
      appKey: Effect.sync(() => Redacted.make(appKey)),
      setCredentials: (credentials) =>
        Effect.sync(() => {
          if (credentials.appKey !== undefined) appKey = reveal(credentials.appKey)
          if (credentials.accessTokens !== undefined)
            accessTokens = new Set(credentials.accessTokens.map(reveal))
          if (credentials.triggerTokens !== undefined)
            triggerTokens = new Set(credentials.triggerTokens.map(reveal))
        }),
      addFault: (rule) => Effect.sync(() => faults.add(rule)),
      clearFaults: Effect.sync(() => faults.clear()),
      override: (key, override) =>
        Effect.sync(() => {
          const byPath = methodPathKey(key)
          if (byPath === undefined) return void overrides.set(key, override)
          const byMethod = pathOverrides.get(byPath.path) ?? new Map<string, Override>()
          byMethod.set(byPath.method, override)
          pathOverrides.set(byPath.path, byMethod)
        }),
      clearOverrides: Effect.sync(() => {
        overrides.clear()
        pathOverrides.clear()
      }),
      requests: Effect.sync(() => [...log]),
      clearRequests: Effect.sync(() => void log.splice(0, log.length)),
      incidents: Effect.sync(() => store.all()),
      setTranscript: (next) =>
        Effect.sync(() => {
          transcript = next
        }),
      setRateLimits: (enabled) =>
        Effect.sync(() => {
          rateLimits = enabled
          limiter.reset()
        }),
      comments: Effect.sync(() => store.comments()),
      setWebhookTarget: (target) => Effect.sync(() => webhooks.setTarget(target)),
      addWebhookFault: (rule) => Effect.sync(() => webhooks.addFault(rule)),
      clearWebhookFaults: Effect.sync(() => webhooks.clearFaults()),
      sendWebhook: (payload) => Effect.sync(() => webhooks.enqueue(payload)),
      webhookDeliveries: Effect.sync(() => webhooks.records()),
      clearWebhookDeliveries: Effect.sync(() => webhooks.clearRecords()),
      webhooksDelivered: webhooks.idle
    }

    return { handle, control }
  })
