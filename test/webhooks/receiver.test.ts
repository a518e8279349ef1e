/**
 * The receiver, in memory (an `HttpServerRequest` built as a server would, no socket):
 *
 * - what it refuses (wrong or missing secret, a source outside the allow-list, an oversized body,
 *   bad JSON, a malformed payload, another method): the right status, a `WebhookRefused` log line,
 *   the handler never run, nothing of the secret or the body in any log line;
 * - what it accepts: decoded events, unknown types included; each `event_id` processed once, also
 *   under concurrent delivery; a failed handler gives its event back;
 * - when it answers: never after a slow or failing handler (background, `waitUntil`), and inline at
 *   its deadline at the latest (the handler still blocked on a `Deferred`: no wall-clock timing);
 * - its configuration checks, and its place in `effect/http` (`HttpEffect.toWebHandler`,
 *   `HttpRouter`).
 */
import { assert, describe, it } from "@effect/vitest"
import { Context, Deferred, Duration, Effect, Exit, Fiber, Option, Redacted, Ref, Schema } from "effect"
import { HttpEffect, HttpRouter, HttpServerRequest } from "effect/http"
import { TestClock } from "effect/testing"
import * as Webhooks from "../../src/webhooks/Webhooks.js"
import { makeFakeRedis } from "./fakeRedis.js"
import {
  captureLogs,
  type Delivery,
  deliver,
  fixture,
  SECRET,
  SECRET_HEADER,
  SECRET_TEXT,
  serverRequest
} from "./support.js"

const secret = { header: SECRET_HEADER, value: SECRET }

/** A receiver whose handler records the events it ran for. */
const recording = (options: Partial<Webhooks.ReceiverOptions<never, never>> = {}) =>
  Effect.gen(function* () {
    const handled = yield* Ref.make<ReadonlyArray<Webhooks.WebhookEvent>>([])
    const receiver = yield* Webhooks.makeReceiver({
      secret,
      handle: (event) => Ref.update(handled, (all) => [...all, event]),
      ...options
    })
    const post = (delivery: Delivery) => deliver(receiver.handler, delivery)
    const events = Effect.andThen(receiver.drain, Ref.get(handled))
    return { receiver, post, events }
  })

const incidentEvent = (
  eventId: string,
  eventType = "i_new",
  eventTime = 1689335086948
): Record<string, any> => ({
  ...fixture("incident-i_new"),
  event_id: eventId,
  event_type: eventType,
  event_time: eventTime
})

describe("the receiver refuses, runs nothing, leaks nothing", () => {
  const refusals: ReadonlyArray<{
    readonly name: string
    readonly reason: Webhooks.RefusalReason
    readonly status: number
    readonly delivery: Delivery
    readonly options?: Partial<Webhooks.ReceiverOptions<never, never>>
  }> = [
    { name: "no secret header", reason: "Unauthorized", status: 401, delivery: { withSecret: false } },
    {
      name: "a wrong secret of the same length",
      reason: "Unauthorized",
      status: 401,
      delivery: { headers: { [SECRET_HEADER]: SECRET_TEXT.replace(/.$/, "X") } }
    },
    {
      name: "the secret's prefix",
      reason: "Unauthorized",
      status: 401,
      delivery: { headers: { [SECRET_HEADER]: SECRET_TEXT.slice(0, -1) } }
    },
    {
      name: "the secret and more",
      reason: "Unauthorized",
      status: 401,
      delivery: { headers: { [SECRET_HEADER]: `${SECRET_TEXT}x` } }
    },
    {
      name: "an empty secret header",
      reason: "Unauthorized",
      status: 401,
      delivery: { headers: { [SECRET_HEADER]: "" } }
    },
    {
      name: "the secret in another header",
      reason: "Unauthorized",
      status: 401,
      delivery: { withSecret: false, headers: { authorization: `Bearer ${SECRET_TEXT}` } }
    },
    {
      name: "a source outside the allow-list",
      reason: "SourceNotAllowed",
      status: 403,
      delivery: { remoteAddress: "198.51.100.7" },
      options: { allowedSources: ["203.0.113.0/24"] }
    },
    {
      name: "no source address, with an allow-list",
      reason: "SourceNotAllowed",
      status: 403,
      delivery: {},
      options: { allowedSources: ["203.0.113.0/24"] }
    },
    {
      name: "an outside source with a wrong secret (the source is checked first)",
      reason: "SourceNotAllowed",
      status: 403,
      delivery: { remoteAddress: "198.51.100.7", withSecret: false },
      options: { allowedSources: ["203.0.113.0/24"] }
    },
    {
      name: "a declared body over the limit (never read)",
      reason: "BodyTooLarge",
      status: 413,
      delivery: { unreadBody: true, headers: { "content-length": "2048" } },
      options: { maxBodyBytes: 1024 }
    },
    {
      name: "a body over the limit that declared no length",
      reason: "BodyTooLarge",
      status: 413,
      delivery: { body: { ...fixture("incident-i_new"), padding: "BODY-SENTINEL".repeat(200) } },
      options: { maxBodyBytes: 1024 }
    },
    {
      name: "a body that is not JSON",
      reason: "InvalidJson",
      status: 400,
      delivery: { body: `{"event_type":"i_new","note":"BODY-SENTINEL ${SECRET_TEXT}"` }
    },
    { name: "an empty body", reason: "InvalidJson", status: 400, delivery: { body: "" } },
    {
      name: "a body that is not UTF-8",
      reason: "InvalidJson",
      status: 400,
      delivery: { body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) }
    },
    { name: "a JSON array", reason: "InvalidPayload", status: 400, delivery: { body: [] } },
    {
      name: "a known event whose incident title is a number",
      reason: "InvalidPayload",
      status: 400,
      delivery: {
        body: { ...fixture("incident-i_new"), incident: { title: 42, note: `BODY-SENTINEL ${SECRET_TEXT}` } }
      }
    },
    { name: "a GET", reason: "MethodNotAllowed", status: 405, delivery: { method: "GET" } }
  ]

  for (const { name, reason, status, delivery, options } of refusals) {
    it.effect(`${name}: ${status} ${reason}`, () => {
      const logs = captureLogs()
      return Effect.gen(function* () {
        const { post, events } = yield* recording(options)
        const answer = yield* post({ body: fixture("incident-i_new"), ...delivery })
        assert.strictEqual(answer.status, status)
        assert.deepStrictEqual(yield* events, [], "the handler never ran")
        const [line, ...more] = logs.tagged("WebhookRefused")
        assert.strictEqual(more.length, 0)
        assert.strictEqual(line?.reason, reason)
        assert.strictEqual(line?.status, status)
        const everything = `${logs.lines.join("\n")}\n${answer.text}`
        assert.notInclude(everything, SECRET_TEXT, "the secret is in a log line or the answer")
        assert.notInclude(everything, "BODY-SENTINEL", "the body is in a log line or the answer")
        assert.isBelow(answer.text.length, 40)
      }).pipe(logs.instrument)
    })
  }

  it.effect("a 405 names the method it takes", () =>
    Effect.gen(function* () {
      const { receiver } = yield* recording()
      const response = yield* receiver.handler.pipe(
        Effect.provideService(HttpServerRequest.HttpServerRequest, serverRequest({ method: "GET" }))
      )
      assert.strictEqual(response.status, 405)
      assert.strictEqual(response.headers.allow, "POST")
    })
  )
})

describe("the receiver accepts", () => {
  it.effect("a documented event with the secret: 200, the handler gets it decoded", () =>
    Effect.gen(function* () {
      const { post, events } = yield* recording()
      const answer = yield* post({ body: fixture("incident-i_new") })
      assert.deepStrictEqual(answer, { status: 200, text: "ok" })
      const [event] = yield* events
      assert.strictEqual(event?.event_type, "i_new")
      if (event?.event_type !== "i_new") return
      assert.strictEqual(event.incident.title, "ysy028")
      assert.strictEqual(event.event_time.unit, "millis")
    })
  )

  it.effect("every documented example, and an event type from the future (as unknown)", () =>
    Effect.gen(function* () {
      const { post, events } = yield* recording()
      for (const body of [
        fixture("incident-i_new"),
        fixture("alert-a_merge"),
        fixture("custom-action-i_custom"),
        { ...fixture("incident-i_new"), event_id: "future-1", event_type: "i_war_room_opened" }
      ]) {
        assert.strictEqual((yield* post({ body })).status, 200)
      }
      const types = (yield* events).map((e) => e.event_type)
      // The custom action's event_id is the incident example's: one of the two is a duplicate.
      assert.deepStrictEqual(types, ["i_new", "a_merge", "unknown"])
    })
  )

  it.effect("the header name in any case; either secret during a rotation", () =>
    Effect.gen(function* () {
      const next = Redacted.make("whsec-next-0c4d2e")
      const { post, events } = yield* recording({
        secret: { header: "x-flashduty-SECRET", value: [next, SECRET] }
      })
      assert.strictEqual((yield* post({ body: incidentEvent("a") })).status, 200)
      const withNext = yield* post({
        body: incidentEvent("b"),
        withSecret: false,
        headers: { "X-FLASHDUTY-SECRET": "whsec-next-0c4d2e" }
      })
      assert.strictEqual(withNext.status, 200)
      assert.strictEqual((yield* events).length, 2)
    })
  )

  it.effect("sources in the allow-list: addresses, ranges, IPv6, IPv4-mapped IPv6", () =>
    Effect.gen(function* () {
      const { post, events } = yield* recording({
        allowedSources: ["203.0.113.0/24", "198.51.100.7", "2001:db8::/32"],
        secret: undefined
      } as any)
      let n = 0
      for (const address of [
        "203.0.113.200",
        "198.51.100.7",
        "::ffff:203.0.113.9",
        "2001:db8:1::5",
        "[2001:db8::1]"
      ]) {
        const answer = yield* post({
          body: incidentEvent(`src-${n++}`),
          remoteAddress: address,
          withSecret: false
        })
        assert.strictEqual(answer.status, 200, address)
      }
      for (const address of ["198.51.100.8", "203.0.114.1", "2001:db9::1", "not-an-ip", ""]) {
        const answer = yield* post({
          body: incidentEvent(`src-${n++}`),
          remoteAddress: address,
          withSecret: false
        })
        assert.strictEqual(answer.status, 403, address)
      }
      assert.strictEqual((yield* events).length, 5)
    })
  )

  it.effect("allowUnauthenticated: anyone (a private network, a test)", () =>
    Effect.gen(function* () {
      const { post, events } = yield* recording({ secret: undefined, allowUnauthenticated: true } as any)
      assert.strictEqual((yield* post({ body: fixture("incident-i_new"), withSecret: false })).status, 200)
      assert.strictEqual((yield* events).length, 1)
    })
  )
})

describe("each event is processed once", () => {
  it.effect("50 concurrent deliveries of one event: 50 answers 200, one handler run", () =>
    Effect.gen(function* () {
      const { post, events } = yield* recording()
      const answers = yield* Effect.all(
        Array.from({ length: 50 }, () => post({ body: incidentEvent("same-event") })),
        { concurrency: "unbounded" }
      )
      assert.isTrue(answers.every((a) => a.status === 200))
      assert.strictEqual((yield* events).length, 1)
    })
  )

  it.effect("concurrent deliveries of 10 events, 5 times each: each once", () =>
    Effect.gen(function* () {
      const { post, events } = yield* recording()
      const deliveries = Array.from({ length: 50 }, (_, i) => post({ body: incidentEvent(`evt-${i % 10}`) }))
      yield* Effect.all(deliveries, { concurrency: "unbounded" })
      const ids = (yield* events).map((e) => (e.event_type === "unknown" ? "" : e.event_id)).sort()
      assert.deepStrictEqual(ids, Array.from({ length: 10 }, (_, i) => `evt-${i}`).sort())
    })
  )

  it.effect("the same with the Redis store (a fake of Effect's Redis service)", () =>
    Effect.gen(function* () {
      const dedup = yield* Webhooks.redisStore().pipe(Effect.provide(makeFakeRedis().layer))
      const { post, events } = yield* recording({ dedup })
      yield* Effect.all(
        Array.from({ length: 30 }, () => post({ body: incidentEvent("redis-event") })),
        { concurrency: "unbounded" }
      )
      assert.strictEqual((yield* events).length, 1)
    })
  )

  it.effect(
    "a duplicate arriving after the TTL is processed again; dedup: false processes every delivery",
    () =>
      Effect.gen(function* () {
        const { post, events } = yield* recording({ dedupTtl: "1 hour" })
        yield* post({ body: incidentEvent("ttl") })
        yield* post({ body: incidentEvent("ttl") })
        yield* TestClock.adjust("61 minutes")
        yield* post({ body: incidentEvent("ttl") })
        assert.strictEqual((yield* events).length, 2)

        const off = yield* recording({ dedup: false })
        yield* off.post({ body: incidentEvent("x") })
        yield* off.post({ body: incidentEvent("x") })
        assert.strictEqual((yield* off.events).length, 2)
      })
  )

  it.effect(
    "a handler that fails gives the event back: its redelivery runs again; a success does not",
    () => {
      const logs = captureLogs()
      return Effect.gen(function* () {
        const runs = yield* Ref.make(0)
        const receiver = yield* Webhooks.makeReceiver({
          secret,
          handle: () =>
            Effect.flatMap(
              Ref.updateAndGet(runs, (n) => n + 1),
              (n) => (n === 1 ? Effect.fail("upstream down") : Effect.void)
            )
        })
        for (let i = 0; i < 3; i++) {
          assert.strictEqual((yield* deliver(receiver.handler, { body: incidentEvent("flaky") })).status, 200)
          yield* receiver.drain
        }
        assert.strictEqual(yield* Ref.get(runs), 2, "failed, then ran again, then was a duplicate")
        const outcomes = logs.tagged("WebhookEventHandled").map((line) => line.outcome)
        assert.deepStrictEqual(outcomes, ["failed", "processed", "duplicate"])
        assert.isTrue(logs.lines.some((line) => line.startsWith("Error") && line.includes("upstream down")))
      }).pipe(logs.instrument)
    }
  )

  it.effect("the store failing: processed anyway by default; dropped with onStoreFailure: skip", () =>
    Effect.gen(function* () {
      const redis = makeFakeRedis()
      const dedup = yield* Webhooks.redisStore().pipe(Effect.provide(redis.layer))
      redis.failing = true
      const processing = yield* recording({ dedup })
      assert.strictEqual((yield* processing.post({ body: incidentEvent("s") })).status, 200)
      assert.strictEqual((yield* processing.events).length, 1)

      const skipping = yield* recording({ dedup, onStoreFailure: "skip" })
      assert.strictEqual((yield* skipping.post({ body: incidentEvent("s") })).status, 200)
      assert.strictEqual((yield* skipping.events).length, 0)

      const inline = yield* recording({ dedup, onStoreFailure: "skip", mode: "inline" })
      assert.strictEqual((yield* inline.post({ body: incidentEvent("s") })).status, 503)
    })
  )
})

describe("latest event_time per incident wins (opt-in)", () => {
  it.effect("an older event of the same incident is dropped; other incidents and equal times are not", () =>
    Effect.gen(function* () {
      const { post, events } = yield* recording({ latestWins: true })
      yield* post({ body: incidentEvent("ack", "i_ack", 2_000) })
      yield* post({ body: incidentEvent("new", "i_new", 1_000) }) // a retry, overtaken
      yield* post({ body: incidentEvent("comm", "i_comm", 2_000) })
      const other = incidentEvent("other", "i_new", 500)
      other.incident = { ...other.incident, incident_id: "another-incident" }
      yield* post({ body: other })
      assert.deepStrictEqual(
        (yield* events).map((e) => e.event_type),
        ["i_ack", "i_comm", "i_new"]
      )
    })
  )

  it.effect("off by default: every event is handed over", () =>
    Effect.gen(function* () {
      const { post, events } = yield* recording()
      yield* post({ body: incidentEvent("ack", "i_ack", 2_000) })
      yield* post({ body: incidentEvent("new", "i_new", 1_000) })
      assert.strictEqual((yield* events).length, 2)
    })
  )

  it.effect("a guard of one's own, shared and usable inside a handler", () =>
    Effect.gen(function* () {
      const latest = yield* Webhooks.makeLatestWins({ capacity: 10 })
      const { post, events } = yield* recording({ latestWins: latest })
      yield* post({ body: incidentEvent("b", "i_ack", 2_000) })
      yield* post({ body: incidentEvent("a", "i_new", 1_000) })
      assert.strictEqual((yield* events).length, 1)
      const older = Schema.decodeUnknownSync(Webhooks.WebhookEvent)(incidentEvent("c", "i_comm", 1_500))
      assert.isFalse(yield* latest.admit(older), "the guard is the receiver's: it saw 2000 already")
    })
  )
})

describe("the answer is never late", () => {
  it.effect("background (default): 200 while the handler is still blocked; its failure only logged", () =>
    Effect.gen(function* () {
      const started = yield* Deferred.make<void>()
      const gate = yield* Deferred.make<void>()
      const finished = yield* Ref.make(false)
      const receiver = yield* Webhooks.makeReceiver({
        secret,
        handle: () =>
          Effect.gen(function* () {
            yield* Deferred.succeed(started, undefined)
            yield* Deferred.await(gate)
            yield* Ref.set(finished, true)
            return yield* Effect.fail("and then it failed")
          })
      })
      const answer = yield* deliver(receiver.handler, { body: fixture("incident-i_new") })
      assert.strictEqual(answer.status, 200)
      yield* Deferred.await(started)
      assert.isFalse(yield* Ref.get(finished), "the handler is still blocked on the gate")
      yield* Deferred.succeed(gate, undefined)
      yield* receiver.drain
      assert.isTrue(yield* Ref.get(finished))
    })
  )

  it.effect("a slow dedup store does not delay the answer either (background)", () =>
    Effect.gen(function* () {
      const gate = yield* Deferred.make<void>()
      const store: Webhooks.SetIfAbsent = {
        setIfAbsent: () => Effect.as(Deferred.await(gate), true),
        remove: () => Effect.void
      }
      const { post, events } = yield* recording({ dedup: store })
      assert.strictEqual((yield* post({ body: fixture("incident-i_new") })).status, 200)
      yield* Deferred.succeed(gate, undefined)
      assert.strictEqual((yield* events).length, 1)
    })
  )

  it.effect("waitUntil: 200 at once, the work handed to waitUntil and finished later", () =>
    Effect.gen(function* () {
      const gate = yield* Deferred.make<void>()
      const promises: Array<Promise<unknown>> = []
      const receiver = yield* Webhooks.makeReceiver({
        secret,
        mode: { waitUntil: (promise) => void promises.push(promise) },
        handle: () => Deferred.await(gate)
      })
      const answer = yield* deliver(receiver.handler, { body: fixture("incident-i_new") })
      assert.strictEqual(answer.status, 200)
      assert.strictEqual(promises.length, 1)
      let settled = false
      void promises[0]!.then(() => (settled = true))
      yield* Effect.yieldNow
      assert.isFalse(settled, "the handler is still blocked")
      yield* Deferred.succeed(gate, undefined)
      assert.strictEqual(yield* Effect.promise(() => promises[0]!), "processed")
    })
  )

  it.effect("inline: the answer waits for a quick handler (200), or reports its failure (500)", () =>
    Effect.gen(function* () {
      const ok = yield* recording({ mode: "inline" })
      assert.strictEqual((yield* ok.post({ body: fixture("incident-i_new") })).status, 200)
      assert.strictEqual((yield* ok.events).length, 1)
      const failing = yield* Webhooks.makeReceiver({
        secret,
        mode: "inline",
        handle: () => Effect.fail("boom")
      })
      const answer = yield* deliver(failing.handler, { body: fixture("incident-i_new") })
      assert.strictEqual(answer.status, 500)
      assert.notInclude(answer.text, "boom")
      // A duplicate of a handled event is answered 200 at once.
      assert.strictEqual((yield* ok.post({ body: fixture("incident-i_new") })).status, 200)
    })
  )

  for (const [fixtureName, deadline] of [
    ["incident-i_new", "1500 millis"],
    ["custom-action-i_custom", "700 millis"]
  ] as const) {
    it.effect(
      `inline: a slow handler is answered 200 at the deadline (${deadline} for ${fixtureName}) and keeps running`,
      () =>
        Effect.gen(function* () {
          const gate = yield* Deferred.make<void>()
          const finished = yield* Ref.make(false)
          const receiver = yield* Webhooks.makeReceiver({
            secret,
            mode: "inline",
            handle: () => Effect.andThen(Deferred.await(gate), Ref.set(finished, true))
          })
          const request = yield* Effect.forkChild(deliver(receiver.handler, { body: fixture(fixtureName) }))
          yield* TestClock.adjust(Duration.subtract(Duration.fromInputUnsafe(deadline), Duration.millis(1)))
          assert.isUndefined(request.pollUnsafe(), "no answer before the deadline")
          yield* TestClock.adjust("1 millis")
          const answer = yield* Fiber.join(request)
          assert.strictEqual(answer.status, 200)
          assert.isFalse(yield* Ref.get(finished), "the handler is still blocked on the gate")
          yield* Deferred.succeed(gate, undefined)
          yield* receiver.drain
          assert.isTrue(yield* Ref.get(finished))
        })
    )
  }
})

describe("configuration", () => {
  const refused: ReadonlyArray<readonly [string, string, Partial<Webhooks.ReceiverOptions<never, never>>]> = [
    ["no authentication at all", "secret", { secret: undefined } as any],
    ["an empty secret", "secret.value", { secret: { header: SECRET_HEADER, value: Redacted.make("") } }],
    ["an empty rotation list", "secret.value", { secret: { header: SECRET_HEADER, value: [] } }],
    [
      "a secret that is not Redacted",
      "secret.value",
      { secret: { header: SECRET_HEADER, value: "plain" as any } }
    ],
    ["a header name with a space", "secret.header", { secret: { header: "X Secret", value: SECRET } }],
    ["an empty allow-list", "allowedSources", { allowedSources: [] }],
    ["an allow-list entry that is no address", "allowedSources", { allowedSources: ["example.com"] }],
    ["a CIDR prefix too long", "allowedSources", { allowedSources: ["10.0.0.0/33"] }],
    ["a body limit of 0", "maxBodyBytes", { maxBodyBytes: 0 }],
    ["a TTL that is not a duration", "dedupTtl", { dedupTtl: "soon" as any }],
    ["an infinite inline deadline", "inlineDeadline", { inlineDeadline: Duration.infinity }],
    ["an unknown mode", "mode", { mode: "eventually" as any }],
    ["an unknown store policy", "onStoreFailure", { onStoreFailure: "retry" as any }],
    ["no handler", "handle", { handle: undefined as any }]
  ]
  for (const [name, option, options] of refused) {
    it.effect(`${name}: ConfigurationError naming ${option}, no secret in it`, () =>
      Effect.gen(function* () {
        const exit = yield* Effect.exit(
          Webhooks.makeReceiver({ secret, handle: () => Effect.void, ...options } as Webhooks.ReceiverOptions<
            never,
            never
          >)
        )
        assert.isTrue(Exit.isFailure(exit))
        const error = Exit.isFailure(exit) ? Option.getOrUndefined(Exit.findErrorOption(exit)) : undefined
        assert.strictEqual(error?._tag, "ConfigurationError")
        assert.strictEqual(error?.option, option)
        assert.notInclude(JSON.stringify(error), SECRET_TEXT)
      })
    )
  }
})

describe("in effect/http's terms", () => {
  it.effect("HttpEffect.toWebHandler: a (Request) => Promise<Response> for edge runtimes", () =>
    Effect.gen(function* () {
      const { receiver, events } = yield* recording({ mode: "inline" })
      const handler = HttpEffect.toWebHandler(receiver.handler)
      const response = yield* Effect.promise(() =>
        handler(
          new Request("https://edge.example/webhooks/flashduty", {
            method: "POST",
            headers: { "content-type": "application/json", [SECRET_HEADER]: SECRET_TEXT },
            body: JSON.stringify(fixture("alert-a_merge"))
          })
        )
      )
      assert.strictEqual(response.status, 200)
      assert.strictEqual((yield* events)[0]?.event_type, "a_merge")
    })
  )

  it.effect("mode waitUntil: the request's own waitUntil (a Worker's ctx), given with the web handler", () =>
    Effect.gen(function* () {
      const gate = yield* Deferred.make<void>()
      const receiver = yield* Webhooks.makeReceiver({
        secret,
        mode: "waitUntil",
        handle: () => Deferred.await(gate)
      })
      const handler = HttpEffect.toWebHandler(receiver.handler)
      const request = () =>
        new Request("https://worker.example/hook", {
          method: "POST",
          headers: { [SECRET_HEADER]: SECRET_TEXT },
          body: JSON.stringify(incidentEvent(`w-${Math.random()}`))
        })
      const handed: Array<Promise<unknown>> = []
      const ctx = { waitUntil: (promise: Promise<unknown>) => void handed.push(promise) }
      const response = yield* Effect.promise(() =>
        handler(
          request(),
          Context.make(Webhooks.WaitUntil, (promise) => ctx.waitUntil(promise))
        )
      )
      assert.strictEqual(response.status, 200, "answered while the handler is blocked")
      assert.strictEqual(handed.length, 1)
      yield* Deferred.succeed(gate, undefined)
      assert.strictEqual(yield* Effect.promise(() => handed[0]!), "processed")

      // Without one (a runtime that gives none), the answer waits for the handler: inline.
      const inline = yield* Effect.promise(() => handler(request()))
      assert.strictEqual(inline.status, 200)
      assert.strictEqual(handed.length, 1)
    })
  )

  it.live("Webhooks.route: POST <path> on an HttpRouter", () =>
    Effect.gen(function* () {
      const seen = yield* Ref.make<ReadonlyArray<string>>([])
      const routes = Webhooks.route("/webhooks/flashduty", {
        secret,
        mode: "inline",
        handle: (event) => Ref.update(seen, (all) => [...all, event.event_type])
      })
      const { handler, dispose } = HttpRouter.toWebHandler(routes, { disableLogger: true })
      yield* Effect.addFinalizer(() => Effect.promise(dispose))
      const post = (path: string, headers: Record<string, string>) =>
        Effect.promise(() =>
          handler(
            new Request(`http://app.local${path}`, {
              method: "POST",
              headers: { "content-type": "application/json", ...headers },
              body: JSON.stringify(fixture("incident-i_new"))
            })
          )
        )
      assert.strictEqual((yield* post("/webhooks/flashduty", { [SECRET_HEADER]: SECRET_TEXT })).status, 200)
      assert.strictEqual((yield* post("/webhooks/flashduty", {})).status, 401)
      assert.strictEqual((yield* post("/elsewhere", { [SECRET_HEADER]: SECRET_TEXT })).status, 404)
      assert.deepStrictEqual(yield* Ref.get(seen), ["i_new"])
    })
  )
})
