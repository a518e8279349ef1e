/**
 * The webhook receiver: an `effect/http` handler for the endpoint Flashduty posts to.
 *
 * For each request, in order, before anything is read or run: the method (`POST`, else 405); the
 * source address against the allow-list, when one is set (403); the configured header secret,
 * compared in constant time (401); the declared and then the actual body size (413); the JSON
 * (400); the payload, decoded tolerantly into a {@link WebhookEvent} (400 when a known event's
 * fields have the wrong types; an event type this SDK does not know is an `unknown` event, never a
 * refusal). A refusal answers a fixed short text, logs one `WebhookRefused` line (at warning level,
 * with no header value, body or secret in it) and runs nothing.
 *
 * An accepted event is then deduplicated by its `event_id` (an atomic set-if-absent in the
 * configured store), optionally dropped when an event later in time was already taken for the
 * same incident ("latest wins"), and handed to the user's handler. When that happens:
 *
 * - `mode: "background"` (the default, for servers that keep running after a response: Node,
 *   Bun, Deno, containers): the receiver answers 200 at once; deduplication and the handler run in
 *   a fiber of the receiver's scope, their failures logged. A slow store or handler never makes the
 *   answer late.
 * - `mode: "waitUntil"` (edge runtimes that stop when the response is sent but offer
 *   `ctx.waitUntil(promise)` per request: Cloudflare Workers): the same, the work handed to the
 *   request's {@link WaitUntil} service (given with the request to the web handler); without one, as
 *   inline. `mode: { waitUntil }` takes a process-wide function instead (Vercel's `waitUntil`).
 * - `mode: "inline"` (edge runtimes without `waitUntil`): the answer waits for the handler, up to
 *   `inlineDeadline` (default 1.5 seconds, 700 milliseconds for a custom action: Flashduty gives up
 *   after 2 seconds, 1 second for custom actions). Done in time: 200, or 500 when it failed
 *   (Flashduty's invocation history then shows the failure); not done: 200, the handler left
 *   running (a runtime that stops at the response stops it).
 *
 * A handler that fails gives its event back to the store, so that a redelivery runs it again.
 */
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as FiberSet from "effect/FiberSet"
import type * as Headers from "effect/http/Headers"
import * as HttpRouter from "effect/http/HttpRouter"
import * as HttpServerRequest from "effect/http/HttpServerRequest"
import * as HttpServerResponse from "effect/http/HttpServerResponse"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { ConfigurationError } from "../FlashdutyOptions.js"
import { byteCapRule, describeValue, timeoutRule } from "../pipeline/optionRules.js"
import { preview } from "../pipeline/redact.js"
import { type DedupStoreError, memoryStore, type SetIfAbsent } from "./DedupStore.js"
import { type LatestWins, makeLatestWins } from "./LatestWins.js"
import { isAllowed, parseRange, type SourceRange } from "./sourceAddress.js"
import { matchesAny } from "./timingSafeEqual.js"
import { eventKey, variantSchema, type WebhookEvent } from "./WebhookEvent.js"

/** The header carrying the shared secret, configured as a custom header of the webhook in Flashduty. */
export interface HeaderSecret {
  /** The header's name, e.g. `X-Flashduty-Secret` (compared case-insensitively). */
  readonly header: string
  /**
   * The secret; several during a rotation (the old and the new one both accepted). Compared in
   * constant time; never logged.
   */
  readonly value: Redacted.Redacted<string> | ReadonlyArray<Redacted.Redacted<string>>
}

/**
 * The request's `waitUntil` (a Cloudflare Worker's `ctx.waitUntil`), for `mode: "waitUntil"`: keeps
 * work alive after the response. Given per request with the web handler's second argument.
 *
 * @example
 * ```ts
 * const handle = HttpEffect.toWebHandler(receiver.handler)
 * export default {
 *   fetch: (request: Request, env: unknown, ctx: ExecutionContext) =>
 *     handle(request, Context.make(Webhooks.WaitUntil, (promise) => ctx.waitUntil(promise)))
 * }
 * ```
 */
export class WaitUntil extends Context.Service<WaitUntil, (promise: Promise<unknown>) => void>()(
  "effect-flashduty/Webhooks/WaitUntil"
) {}

/** When the user's handler runs (see the module's documentation). */
export type ReceiverMode =
  | "background"
  | "inline"
  | "waitUntil"
  | {
      /** A process-wide `waitUntil` (Vercel's, from `@vercel/functions`): keeps the work alive after the response. */
      readonly waitUntil: (promise: Promise<unknown>) => void
    }

export interface ReceiverOptions<E, R> {
  /**
   * What to do with an event: once per `event_id` (see `dedup`). Its failures are logged (and,
   * inline, answered with 500); its value is ignored.
   */
  readonly handle: (event: WebhookEvent) => Effect.Effect<unknown, E, R>
  /** The shared secret header. A receiver needs it, or `allowedSources`, or `allowUnauthenticated`. */
  readonly secret?: HeaderSecret
  /**
   * Source addresses allowed to post (`203.0.113.7`, `203.0.113.0/24`, `2001:db8::/32`): Flashduty's
   * published egress addresses. Checked against the request's `remoteAddress`: behind a proxy, install
   * a trusted-proxy middleware (`HttpMiddleware.xForwardedHeaders`) so that it is the client's.
   */
  readonly allowedSources?: ReadonlyArray<string>
  /** Accept requests without a secret or allow-list (tests, a private network); default false. */
  readonly allowUnauthenticated?: boolean
  /** Where taken events are remembered; default an in-memory store of 10,000 keys; `false`: none. */
  readonly dedup?: SetIfAbsent | false
  /** How long an event is remembered; default 24 hours. */
  readonly dedupTtl?: Duration.Input
  /**
   * What to do when the store fails: `"process"` (the default: run the handler, a duplicate is
   * possible) or `"skip"` (drop the event; inline, answer 503).
   */
  readonly onStoreFailure?: "process" | "skip"
  /**
   * Drop an event older (`event_time`) than one already taken for the same incident or alert:
   * `true` for an in-memory guard, or a guard of your own (`makeLatestWins`). Default: off; see
   * `LatestWins.ts` for when not to use it.
   */
  readonly latestWins?: boolean | LatestWins
  /** The largest body accepted, in bytes; default 1 MiB. */
  readonly maxBodyBytes?: number
  /** See {@link ReceiverMode}; default `"background"`. */
  readonly mode?: ReceiverMode
  /** Inline mode: how long the answer may wait for the handler; default 1.5 s (700 ms for `i_custom`). */
  readonly inlineDeadline?: Duration.Input
}

/** A running receiver. */
export interface Receiver {
  /**
   * The endpoint's handler: `HttpRouter.add("POST", "/webhooks/flashduty", receiver.handler)`, or
   * `HttpEffect.toWebHandler(receiver.handler)` for a `(Request) => Promise<Response>`.
   */
  readonly handler: Effect.Effect<
    HttpServerResponse.HttpServerResponse,
    never,
    HttpServerRequest.HttpServerRequest
  >
  /** Waits until the handlers running in the background have finished (tests, graceful shutdown). */
  readonly drain: Effect.Effect<void>
}

/** Why a request was refused. */
export const refusalReasons = [
  "MethodNotAllowed",
  "SourceNotAllowed",
  "Unauthorized",
  "BodyTooLarge",
  "UnreadableBody",
  "InvalidJson",
  "InvalidPayload"
] as const

export type RefusalReason = (typeof refusalReasons)[number]

/**
 * The log line of a refused request (warning level): the reason, the status answered, the source
 * address when known, and a detail that never holds a header value, the body or a secret.
 */
export class WebhookRefused extends Schema.TaggedClass<WebhookRefused>()("WebhookRefused", {
  reason: Schema.Literals(refusalReasons),
  status: Schema.Number,
  remoteAddress: Schema.optionalKey(Schema.String),
  detail: Schema.optionalKey(Schema.String)
}) {}

/** What became of an accepted event. */
export const eventOutcomes = ["processed", "duplicate", "stale", "failed", "skipped"] as const

export type EventOutcome = (typeof eventOutcomes)[number]

/** The log line of an accepted event's end (`processed`, `duplicate`, `stale`: debug; the others: error or warning). */
export class WebhookEventHandled extends Schema.TaggedClass<WebhookEventHandled>()("WebhookEventHandled", {
  outcome: Schema.Literals(eventOutcomes),
  event_type: Schema.String,
  event_id: Schema.optionalKey(Schema.String)
}) {}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024
const DEFAULT_DEDUP_TTL = Duration.hours(24)

/** An HTTP token (RFC 9110 §5.6.2), what a header name must be. */
const headerToken = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

const configError = (option: string, message: string) =>
  new ConfigurationError({ option, message: `${option} ${message}` })

const fromRule = <A>(
  option: string,
  verdict: Result.Result<A, string>
): Result.Result<A, ConfigurationError> => Result.mapError(verdict, (why) => configError(option, why))

interface CheckedSecret {
  readonly header: string
  readonly values: ReadonlyArray<string>
}

const checkSecret = (
  secret: HeaderSecret | undefined
): Result.Result<CheckedSecret | undefined, ConfigurationError> => {
  if (secret === undefined) return Result.succeed(undefined)
  if (typeof secret !== "object" || secret === null)
    return Result.fail(configError("secret", `must be { header, value }, got ${describeValue(secret)}`))
  if (typeof secret.header !== "string" || !headerToken.test(secret.header))
    return Result.fail(
      configError("secret.header", `must be a header name, got ${describeValue(secret.header)}`)
    )
  const given: ReadonlyArray<unknown> = Array.isArray(secret.value) ? secret.value : [secret.value]
  if (given.length === 0) return Result.fail(configError("secret.value", "is empty"))
  const values: Array<string> = []
  for (const value of given) {
    if (!Redacted.isRedacted(value))
      return Result.fail(
        configError("secret.value", `must be a Redacted string, got ${describeValue(value)}`)
      )
    const text = Redacted.value(value)
    if (typeof text !== "string" || text === "")
      return Result.fail(configError("secret.value", "is empty (an unset variable?); the value is not shown"))
    values.push(text)
  }
  return Result.succeed({ header: secret.header.toLowerCase(), values })
}

const checkSources = (
  sources: ReadonlyArray<string> | undefined
): Result.Result<ReadonlyArray<SourceRange> | undefined, ConfigurationError> => {
  if (sources === undefined) return Result.succeed(undefined)
  if (!Array.isArray(sources) || sources.length === 0)
    return Result.fail(
      configError(
        "allowedSources",
        "must list at least one address or range (an empty list refuses everyone)"
      )
    )
  const ranges: Array<SourceRange> = []
  for (const source of sources) {
    const range = typeof source === "string" ? parseRange(source) : undefined
    if (range === undefined)
      return Result.fail(
        configError(
          "allowedSources",
          `has ${describeValue(source)}: not an IPv4/IPv6 address or CIDR range such as 203.0.113.0/24`
        )
      )
    ranges.push(range)
  }
  return Result.succeed(ranges)
}

const optional = <A>(
  option: string,
  value: unknown,
  rule: (value: unknown) => Result.Result<A, string>
): Result.Result<A | undefined, ConfigurationError> =>
  value === undefined ? Result.succeed(undefined) : fromRule(option, rule(value))

/** The body, read up to `max` bytes: `"tooLarge"` beyond; `"unreadable"` when the stream failed. */
const readCapped = (
  stream: Stream.Stream<Uint8Array, unknown>,
  max: number
): Effect.Effect<Uint8Array | "tooLarge" | "unreadable"> => {
  const chunks: Array<Uint8Array> = []
  let total = 0
  return Stream.runForEach(stream, (chunk) => {
    total += chunk.byteLength
    if (total > max) return Effect.fail("tooLarge" as const)
    chunks.push(chunk)
    return Effect.void
  }).pipe(
    Effect.map(() => {
      const out = new Uint8Array(total)
      let offset = 0
      for (const chunk of chunks) {
        out.set(chunk, offset)
        offset += chunk.byteLength
      }
      return out
    }),
    Effect.catchCause((cause) =>
      Effect.succeed(
        Cause.findErrorOption(cause).pipe(Option.getOrUndefined) === "tooLarge"
          ? ("tooLarge" as const)
          : ("unreadable" as const)
      )
    )
  )
}

const utf8 = new TextDecoder("utf-8", { fatal: true })

const statusText: Record<RefusalReason, readonly [status: number, text: string]> = {
  MethodNotAllowed: [405, "method not allowed"],
  SourceNotAllowed: [403, "forbidden"],
  Unauthorized: [401, "unauthorized"],
  BodyTooLarge: [413, "payload too large"],
  UnreadableBody: [400, "bad request"],
  InvalidJson: [400, "bad request"],
  InvalidPayload: [400, "bad request"]
}

/**
 * Builds a receiver in the current scope (its background handlers are interrupted when the scope
 * closes: `drain` first for a graceful stop). The handler's services (`R`) are taken from the
 * context now. Fails with `ConfigurationError` for an option that cannot work (an empty secret, an
 * allow-list entry that is no address, no authentication at all without `allowUnauthenticated`).
 *
 * @example
 * ```ts
 * import { Effect, Layer, Redacted } from "effect"
 * import { HttpRouter } from "effect/http"
 * import { Flashduty, Webhooks } from "effect-flashduty"
 *
 * const WebhookRoute = Layer.effectDiscard(
 *   Effect.gen(function* () {
 *     const fd = yield* Flashduty
 *     const receiver = yield* Webhooks.makeReceiver({
 *       secret: { header: "X-Flashduty-Secret", value: Redacted.make(process.env.WEBHOOK_SECRET ?? "") },
 *       handle: (event) =>
 *         event.event_type === "i_new" && event.incident.incident_severity === "Critical"
 *           ? fd.incidents.ack({ incident_ids: [event.incident.incident_id] })
 *           : Effect.void
 *     })
 *     const router = yield* HttpRouter.HttpRouter
 *     yield* router.add("POST", "/webhooks/flashduty", receiver.handler)
 *   })
 * )
 * ```
 */
export const makeReceiver = <E = never, R = never>(
  options: ReceiverOptions<E, R>
): Effect.Effect<Receiver, ConfigurationError, R | Scope.Scope> =>
  Effect.gen(function* () {
    if (typeof options?.handle !== "function")
      return yield* configError(
        "handle",
        `must be a function of the event, got ${describeValue(options?.handle)}`
      )
    const handle = options.handle
    const secret = yield* Effect.fromResult(checkSecret(options.secret))
    const ranges = yield* Effect.fromResult(checkSources(options.allowedSources))
    if (secret === undefined && ranges === undefined && options.allowUnauthenticated !== true)
      return yield* configError(
        "secret",
        "is required: give a header secret (configured as a custom header of the webhook), or allowedSources, " +
          "or allowUnauthenticated: true to accept anyone who finds the URL"
      )
    const maxBodyBytes =
      (yield* Effect.fromResult(optional("maxBodyBytes", options.maxBodyBytes, byteCapRule))) ??
      DEFAULT_MAX_BODY_BYTES
    const dedupTtl =
      (yield* Effect.fromResult(optional("dedupTtl", options.dedupTtl, timeoutRule))) ?? DEFAULT_DEDUP_TTL
    const inlineDeadline = yield* Effect.fromResult(
      optional("inlineDeadline", options.inlineDeadline, timeoutRule)
    )
    const mode = options.mode ?? "background"
    if (
      mode !== "background" &&
      mode !== "inline" &&
      mode !== "waitUntil" &&
      typeof (mode as { waitUntil?: unknown })?.waitUntil !== "function"
    )
      return yield* configError(
        "mode",
        `must be "background", "inline", "waitUntil" or { waitUntil }, got ${describeValue(mode)}`
      )
    const onStoreFailure = options.onStoreFailure ?? "process"
    if (onStoreFailure !== "process" && onStoreFailure !== "skip")
      return yield* configError(
        "onStoreFailure",
        `must be "process" or "skip", got ${describeValue(onStoreFailure)}`
      )
    const store: SetIfAbsent | undefined =
      options.dedup === false ? undefined : (options.dedup ?? (yield* memoryStore()))
    const latest: LatestWins | undefined =
      options.latestWins === true
        ? yield* makeLatestWins()
        : options.latestWins === false || options.latestWins === undefined
          ? undefined
          : options.latestWins

    const secrets = secret?.values ?? []
    const fibers = yield* FiberSet.make<EventOutcome, never>()
    const runFork = yield* FiberSet.runtime(fibers)<R>()
    const runPromise = yield* FiberSet.runtimePromise(fibers)<R>()

    const logOutcome = (event: WebhookEvent, outcome: EventOutcome, cause?: Cause.Cause<unknown>) => {
      const line = new WebhookEventHandled({
        outcome,
        event_type:
          event.event_type === "unknown" ? `unknown(${String(event.raw.event_type)})` : event.event_type,
        ...(eventIdOf(event) === undefined ? {} : { event_id: eventIdOf(event)! })
      })
      switch (outcome) {
        case "failed":
          return Effect.logError(
            "flashduty webhook handler failed",
            line,
            ...(cause === undefined ? [] : [cause])
          )
        case "skipped":
          return Effect.logWarning("flashduty webhook event skipped: the dedup store failed", line)
        default:
          return Effect.logDebug(`flashduty webhook event ${outcome}`, line)
      }
    }

    /** Dedup, ordering, the user's handler: never fails, ends with what became of the event. */
    const process = (event: WebhookEvent): Effect.Effect<EventOutcome, never, R> =>
      Effect.gen(function* () {
        const key = store === undefined ? undefined : eventKey(event)
        let claimed = false
        if (store !== undefined && key !== undefined) {
          const result = yield* Effect.result(store.setIfAbsent(key, dedupTtl))
          if (Result.isFailure(result)) {
            yield* Effect.logWarning("flashduty webhook dedup store failed", storeFailure(result.failure))
            if (onStoreFailure === "skip") {
              yield* logOutcome(event, "skipped")
              return "skipped" as const
            }
          } else if (!result.success) {
            yield* logOutcome(event, "duplicate")
            return "duplicate" as const
          } else claimed = true
        }
        if (latest !== undefined && !(yield* latest.admit(event))) {
          yield* logOutcome(event, "stale")
          return "stale" as const
        }
        // A failed (or interrupted) handler gives its event back, so that a redelivery runs it again.
        const release =
          claimed && store !== undefined && key !== undefined ? Effect.ignore(store.remove(key)) : Effect.void
        const exit = yield* Effect.exit(
          Effect.suspend(() => handle(event)).pipe(Effect.onInterrupt(() => release))
        )
        if (Exit.isSuccess(exit)) {
          yield* logOutcome(event, "processed")
          return "processed" as const
        }
        yield* release
        yield* logOutcome(event, "failed", exit.cause)
        return "failed" as const
      })

    const ok = HttpServerResponse.text("ok")

    /** The work handed to `waitUntil`: a promise that never rejects (a scope closing ends it as "failed"). */
    const handOver = (waitUntil: (promise: Promise<unknown>) => void, event: WebhookEvent) => {
      waitUntil(runPromise(process(event)).catch((): EventOutcome => "failed"))
      return Effect.succeed(ok)
    }

    const dispatch = (event: WebhookEvent): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
      if (mode === "background") {
        runFork(process(event))
        return Effect.succeed(ok)
      }
      if (mode === "waitUntil")
        return Effect.flatMap(Effect.serviceOption(WaitUntil), (waitUntil) =>
          Option.isSome(waitUntil) ? handOver(waitUntil.value, event) : inline(event)
        )
      if (mode !== "inline") return handOver(mode.waitUntil, event)
      return inline(event)
    }

    /** The answer waits for the handler, up to the deadline. */
    const inline = (event: WebhookEvent): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
      const deadline =
        inlineDeadline ?? (event.event_type === "i_custom" ? Duration.millis(700) : Duration.millis(1500))
      const fiber = runFork(process(event))
      return Fiber.await(fiber).pipe(
        Effect.timeoutOption(deadline),
        Effect.flatMap((done) => {
          if (Option.isNone(done))
            return Effect.as(
              Effect.logWarning(
                "flashduty webhook handler still running at the inline deadline: answered 200"
              ),
              ok
            )
          const outcome = Exit.isSuccess(done.value) ? done.value.value : "failed"
          return Effect.succeed(
            outcome === "failed"
              ? HttpServerResponse.text("handler failed", { status: 500 })
              : outcome === "skipped"
                ? HttpServerResponse.text("service unavailable", { status: 503 })
                : ok
          )
        })
      )
    }

    const refuse = (
      request: HttpServerRequest.HttpServerRequest,
      reason: RefusalReason,
      detail?: string
    ): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
      const [status, text] = statusText[reason]
      const remoteAddress = Option.getOrUndefined(request.remoteAddress)
      const line = new WebhookRefused({
        reason,
        status,
        ...(remoteAddress === undefined ? {} : { remoteAddress }),
        ...(detail === undefined ? {} : { detail: preview(detail, secrets, 300) })
      })
      return Effect.as(
        Effect.logWarning(`flashduty webhook refused: ${reason} (${status})`, line),
        HttpServerResponse.text(text, {
          status,
          ...(reason === "MethodNotAllowed" ? { headers: { allow: "POST" } } : {})
        })
      )
    }

    const handler = Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest
      if (request.method !== "POST") return yield* refuse(request, "MethodNotAllowed")
      if (ranges !== undefined) {
        const address = Option.getOrUndefined(request.remoteAddress)
        if (address === undefined)
          return yield* refuse(request, "SourceNotAllowed", "no source address known")
        if (!isAllowed(ranges, address))
          return yield* refuse(request, "SourceNotAllowed", "not in allowedSources")
      }
      if (secret !== undefined) {
        const given = headerValue(request.headers, secret.header)
        // Compared whatever was sent (also nothing), so that the work does not tell which.
        if (!matchesAny(given ?? "", secret.values))
          return yield* refuse(
            request,
            "Unauthorized",
            `${given === undefined ? "missing" : "wrong"} ${secret.header} header`
          )
      }
      const declared = Number(headerValue(request.headers, "content-length") ?? Number.NaN)
      if (Number.isFinite(declared) && declared > maxBodyBytes)
        return yield* refuse(request, "BodyTooLarge", `content-length ${declared} > ${maxBodyBytes}`)
      const body = yield* readCapped(request.stream, maxBodyBytes)
      if (body === "tooLarge")
        return yield* refuse(request, "BodyTooLarge", `more than ${maxBodyBytes} bytes`)
      if (body === "unreadable") return yield* refuse(request, "UnreadableBody", "the body could not be read")
      let json: unknown
      try {
        json = JSON.parse(utf8.decode(body))
      } catch {
        return yield* refuse(request, "InvalidJson", `${body.byteLength} bytes that are not UTF-8 JSON`)
      }
      const decoded = yield* Effect.result(Schema.decodeUnknownEffect(variantSchema(json))(json))
      if (Result.isFailure(decoded)) return yield* refuse(request, "InvalidPayload", decoded.failure.message)
      return yield* dispatch(decoded.success)
    })

    return { handler, drain: FiberSet.awaitEmpty(fibers) } satisfies Receiver
  })

/** A header's value by its lower-case name. */
const headerValue = (headers: Headers.Headers, name: string): string | undefined => {
  const value = (headers as Record<string, string | undefined>)[name]
  return typeof value === "string" ? value : undefined
}

const eventIdOf = (event: WebhookEvent): string | undefined => {
  const id = event.event_type === "unknown" ? event.raw.event_id : event.event_id
  return typeof id === "string" && id !== "" ? id : undefined
}

const storeFailure = (error: DedupStoreError) => ({ _tag: error._tag, message: error.message })

/**
 * A layer adding the receiver to the `HttpRouter` as `POST <path>`, built in the layer's scope.
 *
 * @example
 * ```ts
 * const App = Webhooks.route("/webhooks/flashduty", { secret, handle }).pipe(
 *   Layer.provide(Flashduty.layerConfig) // what `handle` needs
 * )
 * HttpRouter.serve(App) // with your platform's HttpServer layer
 * ```
 */
export const route = <E = never, R = never>(
  path: HttpRouter.PathInput,
  options: ReceiverOptions<E, R>
): Layer.Layer<never, ConfigurationError, HttpRouter.HttpRouter | Exclude<R, Scope.Scope>> =>
  Layer.effectDiscard(
    Effect.gen(function* () {
      const receiver = yield* makeReceiver(options)
      const router = yield* HttpRouter.HttpRouter
      yield* router.add("POST", path, receiver.handler)
    })
  ) as any
