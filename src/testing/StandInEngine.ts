/**
 * The stand-in's engine: one pure-ish handler from a {@link StandInRequest} to a
 * {@link StandInResponse}, shared by the in-memory `HttpClient` and the loopback
 * server. It routes by path, injects faults, checks credentials, enforces the
 * documented rate limits (when asked), validates the body against the operation's
 * request schema, then answers from an override, else by `StandInAnswers.ts` (the
 * incident/transcript state, a file, or the spec's example).
 *
 * Waiting (latency faults) uses Effect's `Clock`, so under `TestClock` it is virtual.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import type { OperationInfo } from "../runtime/Operation.js"
import { DocumentedRateLimiter } from "./DocumentedRateLimiter.js"
import { failure, htmlProxyPage, makeRequestIds, malformedBody, success } from "./Envelope.js"
import { type Fault, type FaultRule, statusForCode } from "./Fault.js"
import { FaultRuleSet } from "./FaultRuleSet.js"
import { type Incident, IncidentStore, type IncidentStoreOptions } from "./IncidentStore.js"
import {
  type CredentialKind,
  type RecordedRequest,
  redactedHeaders,
  redactedQuery
} from "./RecordedRequest.js"
import { answerOf, exampleIncidents, safeJson } from "./StandInAnswers.js"
import { ConnectionDropped, type StandInRequest, type StandInResponse } from "./StandInHttp.js"
import type { StandInSpec } from "./StandInSpec.js"
import type { TranscriptOptions } from "./Transcript.js"

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
  readonly operationId: string
  readonly body: unknown
  readonly query: Readonly<Record<string, string>>
}

export type Override = OverrideAnswer | ((request: OverrideRequest) => OverrideAnswer)

export interface StandInOptions {
  /** The app key accepted as `app_key`; default {@link DEFAULT_APP_KEY}. */
  readonly appKey?: string | Redacted.Redacted<string>
  /** Access tokens accepted as `Authorization: Bearer <token>`; default none. */
  readonly accessTokens?: ReadonlyArray<string | Redacted.Redacted<string>>
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
}

/** Programs the running stand-in and reads back what it received. */
export interface StandInControl {
  /** The app key the stand-in currently accepts (hand it to `Flashduty.layer`). */
  readonly appKey: Effect.Effect<Redacted.Redacted<string>>
  /** Replace the accepted credentials (e.g. to expire an access token). */
  readonly setCredentials: (credentials: {
    readonly appKey?: string | Redacted.Redacted<string>
    readonly accessTokens?: ReadonlyArray<string | Redacted.Redacted<string>>
  }) => Effect.Effect<void>
  /** Add a fault rule (after the existing ones). */
  readonly addFault: (rule: FaultRule) => Effect.Effect<void>
  readonly clearFaults: Effect.Effect<void>
  /** Answer `operationId` with this instead of the built-in answer (after auth and validation). */
  readonly override: (operationId: string, answer: Override) => Effect.Effect<void>
  readonly clearOverrides: Effect.Effect<void>
  /** Every request received so far, oldest first, credentials removed. */
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  readonly clearRequests: Effect.Effect<void>
  /** The incidents as they stand now, newest first. */
  readonly incidents: Effect.Effect<ReadonlyArray<Incident>>
  /** Change the size/shape of transcripts exported from now on. */
  readonly setTranscript: (options: TranscriptOptions) => Effect.Effect<void>
  readonly setRateLimits: (enabled: boolean) => Effect.Effect<void>
}

export interface StandInEngine {
  readonly handle: (request: StandInRequest) => Effect.Effect<StandInResponse, ConnectionDropped>
  readonly control: StandInControl
}

const reveal = (value: string | Redacted.Redacted<string>): string =>
  typeof value === "string" ? value : Redacted.value(value)

const decoder = new TextDecoder()

type ParsedBody =
  | { readonly ok: true; readonly value: unknown; readonly form?: Record<string, string> }
  | { readonly ok: false; readonly message: string }

/**
 * Query strings and multipart fields carry only text: integers and booleans become
 * numbers and booleans when `coerce`, as the operations' schemas declare them.
 */
const textFields = (fields: Readonly<Record<string, string>>, coerce: boolean): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(fields)) {
    out[k] = !coerce
      ? v
      : /^-?\d{1,15}$/.test(v)
        ? Number(v)
        : v === "true"
          ? true
          : v === "false"
            ? false
            : v
  }
  return out
}

const parseBody = async (request: StandInRequest): Promise<ParsedBody> => {
  if (request.body.byteLength === 0) return { ok: true, value: undefined }
  const contentType = request.headers["content-type"] ?? ""
  if (contentType.startsWith("multipart/form-data")) {
    try {
      const form = await new Response(request.body as Uint8Array<ArrayBuffer>, {
        headers: { "content-type": contentType }
      }).formData()
      // A file part stands for itself by its name (the schemas type file parts as strings).
      const fields: Record<string, string> = {}
      for (const [name, value] of form) fields[name] = typeof value === "string" ? value : value.name
      return { ok: true, value: fields, form: fields }
    } catch {
      return { ok: false, message: "malformed multipart/form-data body" }
    }
  }
  const text = decoder.decode(request.body)
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false, message: "request body is not valid JSON" }
  }
}

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
 * Builds an engine over `spec`. Needs nothing from the environment; time comes from
 * the `Clock` of whoever calls `handle`.
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
): Effect.Effect<StandInEngine> =>
  Effect.gen(function* () {
    const seed = options.seed ?? "flashduty-standin"
    const faultRandom = yield* Effect.service(Random.Random).pipe(Random.withSeed(`${seed}/faults`))
    const dataRandom = yield* Effect.service(Random.Random).pipe(Random.withSeed(`${seed}/data`))
    const startedAt = yield* Clock.currentTimeMillis

    const routes = new Map<string, OperationInfo>(spec.operations.map((op) => [op.path, op]))
    const faults = new FaultRuleSet(faultRandom, options.faults)
    const limiter = new DocumentedRateLimiter()
    const store = new IncidentStore(dataRandom, Math.floor(startedAt / 1000), options.incidents)
    // The spec's example incidents exist too, so the documentation's ids work against the stand-in.
    if (options.incidents?.specExamples !== false) {
      for (const incident of exampleIncidents(spec)) store.adopt(incident)
    }
    const overrides = new Map<string, Override>()
    const log: Array<RecordedRequest> = []
    const nextRequestId = makeRequestIds()
    let appKey = reveal(options.appKey ?? DEFAULT_APP_KEY)
    let accessTokens = new Set((options.accessTokens ?? []).map(reveal))
    let transcript: TranscriptOptions = options.transcript ?? {}
    let rateLimits = options.rateLimits ?? false

    const credentialOf = (request: StandInRequest): { kind: CredentialKind; valid: boolean } => {
      const queryKey = request.url.searchParams.get("app_key")
      if (queryKey !== null) return { kind: "appKey", valid: queryKey === appKey }
      const authorization = request.headers.authorization
      if (authorization !== undefined) {
        const match = /^Bearer\s+(.+)$/i.exec(authorization)
        return { kind: "bearer", valid: match !== null && accessTokens.has(match[1]!.trim()) }
      }
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

    /** The answer before post-processing faults; also the parsed body, for the log. */
    const answer = (
      request: StandInRequest,
      operation: OperationInfo | undefined,
      requestId: string,
      nowMillis: number,
      fault: Fault | undefined
    ): Effect.Effect<{ response: StandInResponse; body: unknown }> =>
      Effect.gen(function* () {
        const parsed = yield* Effect.promise(() => parseBody(request))
        const logged = parsed.ok ? parsed.value : decoder.decode(request.body)
        const done = (response: StandInResponse) => ({ response, body: logged })
        if (operation === undefined) return done(failure(requestId, 404, "RouteNotFound"))
        if (operation.httpMethod !== request.method.toUpperCase()) {
          return done(failure(requestId, 405, "MethodNotAllowed"))
        }
        if (!credentialOf(request).valid) return done(failure(requestId, 401, "Unauthorized"))
        if (rateLimits) {
          const verdict = limiter.admit(operation.operationId, operation.rateLimit, nowMillis)
          if (!verdict.accepted) {
            return done(failure(requestId, 429, "RequestTooFrequently", undefined, verdict.retryAfterSeconds))
          }
        }
        if (!parsed.ok) return done(failure(requestId, 400, "InvalidParameter", parsed.message))
        const query = redactedQuery(request.url)
        let body: unknown = parsed.value
        const textual = operation.httpMethod === "GET" ? query : parsed.form
        if (textual !== undefined) {
          // Text fields: try them typed as declared (numbers, booleans) first, then verbatim.
          const typed = textFields(textual, true)
          body =
            spec.validate(operation.operationId, typed) === undefined ? typed : textFields(textual, false)
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
          const chosen =
            typeof override === "function"
              ? override({ operationId: operation.operationId, body, query })
              : override
          return done(overrideAnswer(requestId, chosen))
        }
        return done(
          answerOf({ operation, body: record, nowMillis, requestId, fault, store, transcript, spec })
        )
      })

    const handle = (request: StandInRequest): Effect.Effect<StandInResponse, ConnectionDropped> =>
      Effect.gen(function* () {
        const receivedAt = yield* Clock.currentTimeMillis
        const path = request.url.pathname.length > 1 ? request.url.pathname.replace(/\/+$/, "") : "/"
        const operation = routes.get(path)
        const requestId = nextRequestId(receivedAt)
        const remember = (body: unknown, outcome: number | "dropped") => {
          log.push({
            method: request.method.toUpperCase(),
            path,
            operationId: operation?.operationId,
            query: redactedQuery(request.url),
            headers: redactedHeaders(request.headers),
            credential: credentialOf(request).kind,
            body,
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
        const { response, body } = yield* answer(request, operation, requestId, receivedAt, fault)
        remember(body, response.status)
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
        }),
      addFault: (rule) => Effect.sync(() => faults.add(rule)),
      clearFaults: Effect.sync(() => faults.clear()),
      override: (operationId, override) => Effect.sync(() => void overrides.set(operationId, override)),
      clearOverrides: Effect.sync(() => overrides.clear()),
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
        })
    }

    return { handle, control }
  })
