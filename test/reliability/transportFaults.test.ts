/**
 * Broken connections and broken bodies over real sockets: the stand-in's faults (dropped
 * connection, truncated or malformed body) and a raw `node:http` server for what the
 * stand-in cannot play (resets at chosen moments, headers that never come, a stalled body,
 * an empty 200, odd content types, a body over the cap, nobody listening).
 *
 * Every case ends in a decoded value or one typed error, and the server's request count
 * shows that a read is retried while a write whose outcome is unknown is sent once.
 * Timeouts run on the `TestClock`: no test waits in real time for a timeout to expire.
 */
import type * as Http from "node:http"
import { assert, describe, it } from "@effect/vitest"
import { type Duration, Effect, Fiber } from "effect"
import { TestClock } from "effect/testing"
import type { FlashdutyError } from "../../src/Errors.js"
import { Flashduty } from "../../src/generated/Flashduty.js"
import * as Retry from "../../src/Retry.js"
import { Fault } from "../../src/testing/Fault.js"
import { FlashdutyStandIn, type ServeOptions } from "../../src/testing/FlashdutyStandIn.js"
import { recorded, SENTINEL_KEY, sdkLayer } from "./support/client.js"
import { assertNextAttemptAfter, attemptCounter, eventually } from "./support/clock.js"

import { closedPort, envelope, rawServer } from "./support/rawServer.js"

const window = { start_time: 0, end_time: 86_400 }
const exact = Retry.backoff({ jitter: "none" })
const read = (fd: Flashduty["Service"]) => fd.incidents.list(window)
const write = (fd: Flashduty["Service"]) => fd.incidents.unack({ incident_ids: ["inc-1"] })

/** Runs `call` against `url` in a fiber; returns helpers to step virtual time and collect the exit. */
const start = <A>(
  url: string,
  call: (fd: Flashduty["Service"]) => Effect.Effect<A, FlashdutyError>,
  options: { readonly timeout?: Duration.Input } = {}
) =>
  Effect.gen(function* () {
    const { policy, decisions } = recorded(exact)
    const attempts = attemptCounter()
    const fiber = yield* Effect.gen(function* () {
      const fd = yield* Flashduty
      return yield* call(fd)
    }).pipe(
      Effect.provide(
        sdkLayer(url, {
          retry: policy,
          transformClient: attempts.transformClient,
          timeout: options.timeout ?? "30 seconds"
        })
      ),
      Effect.exit,
      Effect.forkChild
    )
    const finish = Effect.gen(function* () {
      yield* eventually(() => fiber.pollUnsafe() !== undefined, "the call to end")
      return yield* Fiber.join(fiber)
    })
    /** The error the call ended with (fails the test if it succeeded). */
    const failure = Effect.flatMap(finish, (exit) => Effect.flip(exit))
    return { fiber, decisions, attempts, finish, failure }
  })

/** Lets a read's retries happen: waits for each decision and moves time by exactly its wait. */
const stepThroughRetries = (
  run: { decisions: ReadonlyArray<{ waitMillis: number }>; attempts: { count: () => number } },
  retries: number
) =>
  Effect.gen(function* () {
    for (let n = 0; n < retries; n++) {
      yield* eventually(() => run.decisions.length > n, `retry decision ${n}`)
      yield* assertNextAttemptAfter(run.attempts.count, run.decisions[n]!.waitMillis)
    }
  })

/**
 * How long a closed-by-the-client socket may take to show on the server. Under
 * `@effect/vitest` with a parent span, undici has been seen to release an aborted socket
 * only after its 4 s keep-alive timeout (promptly under a plain `Effect.runPromise`).
 */
const socketCloseLimit = 8_000

const transportReason = (error: FlashdutyError) =>
  error._tag === "TransportError" ? error.reason : error._tag

describe("the stand-in's network faults over loopback", () => {
  const served = (faults: ServeOptions["faults"]) =>
    Effect.gen(function* () {
      const { url, control } = yield* FlashdutyStandIn.serve({
        appKey: SENTINEL_KEY,
        ...(faults === undefined ? {} : { faults })
      })
      yield* control.override("incidentUnack", { data: {} })
      return { url, control }
    })
  const outcomes = (requests: ReadonlyArray<{ outcome: number | "dropped" }>) =>
    requests.map((r) => r.outcome)

  it.effect("a dropped connection: a read is retried and succeeds", () =>
    Effect.gen(function* () {
      const { url, control } = yield* served([
        { operationId: "incidentList", times: 1, fault: Fault.dropConnection }
      ])
      const run = yield* start(url, read)
      yield* stepThroughRetries(run, 1)
      assert.strictEqual(run.decisions[0]?.waitMillis, 500)
      assert.strictEqual((yield* run.finish)._tag, "Success")
      assert.deepStrictEqual(outcomes(yield* control.requests), ["dropped", 200])
    })
  )

  it.effect("a dropped connection: a write fails with TransportError and is sent once", () =>
    Effect.gen(function* () {
      const { url, control } = yield* served([{ operationId: "incidentUnack", fault: Fault.dropConnection }])
      const error = yield* (yield* start(url, write)).failure
      assert.strictEqual(error._tag, "TransportError")
      assert.notStrictEqual(transportReason(error), "ConnectionRefused")
      assert.deepStrictEqual(outcomes(yield* control.requests), ["dropped"])
    })
  )

  it.effect("a truncated body: a read is retried and succeeds; a write fails once", () =>
    Effect.gen(function* () {
      const { url, control } = yield* served([
        { operationId: ["incidentList", "incidentUnack"], fault: Fault.truncatedBody(10) }
      ])
      // The rule fires on every request: clear it once the read has decided to retry.
      const readRun = yield* start(url, read)
      yield* eventually(() => readRun.decisions.length > 0, "the read's retry decision")
      assert.strictEqual(readRun.decisions[0]?.error, "TransportError")
      yield* control.clearFaults
      yield* assertNextAttemptAfter(readRun.attempts.count, 500)
      assert.strictEqual((yield* readRun.finish)._tag, "Success")

      yield* control.addFault({ operationId: "incidentUnack", fault: Fault.truncatedBody(10) })
      yield* control.clearRequests
      const error = yield* (yield* start(url, write)).failure
      assert.strictEqual(error._tag, "TransportError")
      assert.deepStrictEqual(outcomes(yield* control.requests), [200])
    })
  )

  it.effect("a malformed 200 body: GatewayError with a preview; a write is not re-sent", () =>
    Effect.gen(function* () {
      const { url, control } = yield* served([{ operationId: "incidentUnack", fault: Fault.malformedBody }])
      const error = yield* (yield* start(url, write)).failure
      assert.strictEqual(error._tag, "GatewayError")
      assert.strictEqual(error.status, 200)
      assert.strictEqual((yield* control.requests).length, 1)
    })
  )

  it.effect("a 200 carrying the error envelope is that error, not a success", () =>
    Effect.gen(function* () {
      const { url, control } = yield* served(undefined)
      yield* control.override("incidentList", {
        error: { code: "InvalidParameter", message: "start_time is after end_time" },
        status: 200
      })
      const error = yield* (yield* start(url, read)).failure
      assert.strictEqual(error._tag, "InvalidParameter")
      assert.strictEqual(error.status, 200)
      assert.strictEqual(error.code, "InvalidParameter")
      assert.include(error.message, "start_time is after end_time")
      assert.strictEqual((yield* control.requests).length, 1)
    })
  )

  it.effect("a valid envelope whose data has the wrong shape is a DecodeError naming the path", () =>
    Effect.gen(function* () {
      const { url, control } = yield* served(undefined)
      yield* control.override("incidentList", { data: { total: 1, items: [{ incident_id: 42 }] } })
      const error = yield* (yield* start(url, read)).failure
      assert.strictEqual(error._tag, "DecodeError")
      if (error._tag === "DecodeError") assert.strictEqual(error.path, "items.0.incident_id")
      assert.match(error.requestId ?? "", /^[0-9A-Z]{26}$/)
      assert.strictEqual((yield* control.requests).length, 1, "a decode error is never retried")
    })
  )
})

describe("a raw server's faults", () => {
  /** Answers every request with `handler`. */
  const server = (handler: (req: Http.IncomingMessage, res: Http.ServerResponse, hit: number) => void) =>
    rawServer(handler)

  it.effect(
    "reset before the headers: TransportError; a read is retried 3 times (4 requests), a write sent once",
    () =>
      Effect.gen(function* () {
        const s = yield* server((req) => req.socket.destroy())
        const readRun = yield* start(s.url, read)
        yield* stepThroughRetries(readRun, 3)
        assert.deepStrictEqual(
          readRun.decisions.map((d) => d.waitMillis),
          [500, 1_000, 2_000]
        )
        const error = yield* readRun.failure
        assert.strictEqual(error._tag, "TransportError")
        assert.strictEqual(s.hits(), 4)

        const writeError = yield* (yield* start(s.url, write)).failure
        assert.strictEqual(writeError._tag, "TransportError")
        assert.notStrictEqual(transportReason(writeError), "ConnectionRefused")
        assert.strictEqual(s.hits(), 5)
      })
  )

  it.effect("reset in the middle of the body: TransportError Body; a read retried, a write sent once", () =>
    Effect.gen(function* () {
      const s = yield* server((_req, res, hit) => {
        if (hit === 1 || hit === 3) {
          res.writeHead(200, { "content-type": "application/json" })
          res.write('{"request_id":"r","data":{"items":[')
          setTimeout(() => res.socket?.destroy(), 5)
        } else {
          res.writeHead(200, { "content-type": "application/json" })
          res.end(envelope({ items: [], total: 0, has_next_page: false }))
        }
      })
      const readRun = yield* start(s.url, read)
      yield* stepThroughRetries(readRun, 1)
      assert.strictEqual(readRun.decisions[0]?.error, "TransportError")
      assert.strictEqual((yield* readRun.finish)._tag, "Success")
      assert.strictEqual(s.hits(), 2)

      const writeError = yield* (yield* start(s.url, write)).failure
      assert.strictEqual(transportReason(writeError), "Body")
      assert.strictEqual(s.hits(), 3)
    })
  )

  it.effect(
    "headers that never come: TransportError Timeout after the per-call timeout; a write sent once",
    () =>
      Effect.gen(function* () {
        const s = yield* server(() => {
          // never answer
        })
        const run = yield* start(s.url, write, { timeout: "2 seconds" })
        yield* eventually(() => s.hits() === 1, "the request to arrive")
        yield* TestClock.adjust("1999 millis")
        assert.isUndefined(run.fiber.pollUnsafe(), "still waiting at 1999 ms")
        yield* TestClock.adjust("1 millis")
        const error = yield* run.failure
        assert.strictEqual(transportReason(error), "Timeout")
        assert.include(error.message, "2s")
        assert.strictEqual(s.hits(), 1)
        // The abandoned request's connection is closed, not left open.
        yield* eventually(() => s.openSockets() === 0, "the socket to close", socketCloseLimit)
      })
  )

  it.effect("headers that never come, on a read: each attempt times out, then retries (4 requests)", () =>
    Effect.gen(function* () {
      const s = yield* server(() => {
        // never answer
      })
      const run = yield* start(s.url, read, { timeout: "1 second" })
      for (let n = 0; n < 4; n++) {
        yield* eventually(() => s.hits() === n + 1, `request ${n + 1}`)
        yield* TestClock.adjust("1 second")
        if (n < 3) {
          yield* eventually(() => run.decisions.length > n, `retry decision ${n}`)
          yield* assertNextAttemptAfter(run.attempts.count, run.decisions[n]!.waitMillis)
        }
      }
      const error = yield* run.failure
      assert.strictEqual(transportReason(error), "Timeout")
      assert.strictEqual(s.hits(), 4)
    })
  )

  it.effect(
    "a body that stalls after the headers: TransportError Timeout (the timeout covers the whole body)",
    () =>
      Effect.gen(function* () {
        const s = yield* server((_req, res) => {
          res.writeHead(200, { "content-type": "application/json" })
          res.write('{"request_id":"r","data":{')
        })
        const run = yield* start(s.url, write, { timeout: "3 seconds" })
        yield* eventually(() => s.hits() === 1, "the request to arrive")
        yield* TestClock.adjust("3 seconds")
        const error = yield* run.failure
        assert.strictEqual(transportReason(error), "Timeout")
        assert.strictEqual(s.hits(), 1)
        yield* eventually(() => s.openSockets() === 0, "the stalled socket to close", socketCloseLimit)
      })
  )

  const answers: ReadonlyArray<
    readonly [string, (res: Http.ServerResponse) => void, "success" | FlashdutyError["_tag"]]
  > = [
    ["an empty 200", (res) => res.writeHead(200, { "content-length": "0" }).end(), "GatewayError"],
    [
      "a valid envelope labelled text/html (the body decides, not the label)",
      (res) => res.writeHead(200, { "content-type": "text/html" }).end(envelope({ items: [] })),
      "success"
    ],
    [
      "a valid envelope without any content type",
      (res) => {
        res.removeHeader("content-type")
        res.writeHead(200).end(envelope({ items: [] }))
      },
      "success"
    ],
    [
      "an HTML page labelled application/json",
      (res) =>
        res
          .writeHead(200, { "content-type": "application/json" })
          .end("<html><body>Bad Gateway</body></html>"),
      "GatewayError"
    ],
    [
      "a JSON array instead of the envelope",
      (res) => res.writeHead(200, { "content-type": "application/json" }).end("[1,2,3]"),
      "DecodeError"
    ],
    [
      "truncated JSON with an honest Content-Length",
      (res) =>
        res.writeHead(200, { "content-type": "application/json" }).end('{"request_id":"r","data":{"ite'),
      "GatewayError"
    ]
  ]
  for (const [label, answer, expected] of answers) {
    it.effect(`${label}: ${expected}, one request (a write)`, () =>
      Effect.gen(function* () {
        const s = yield* server((_req, res) => answer(res))
        const exit = yield* (yield* start(s.url, write)).finish
        if (expected === "success") assert.strictEqual(exit._tag, "Success")
        else assert.strictEqual((yield* Effect.flip(exit))._tag, expected)
        assert.strictEqual(s.hits(), 1)
      })
    )
  }

  it.effect(
    "a body over the size cap (declared length): BodyTooLarge, not retried, body not downloaded",
    () =>
      Effect.gen(function* () {
        const big = envelope({ items: [], filler: "x".repeat(64 * 1024) })
        const s = yield* server((_req, res) => {
          res.writeHead(200, {
            "content-type": "application/json",
            "content-length": String(Buffer.byteLength(big))
          })
          res.end(big)
        })
        const error = yield* (yield* start(s.url, (fd) =>
          fd.incidents.list(window, { maxResponseBytes: 1024 })
        )).failure
        assert.strictEqual(transportReason(error), "BodyTooLarge")
        assert.strictEqual(error.status, 200)
        assert.strictEqual(s.hits(), 1)
      })
  )

  it.effect(
    "a declared length over the cap, body still coming: BodyTooLarge at once, and the connection is closed",
    () =>
      Effect.gen(function* () {
        const s = yield* server((_req, res) => {
          res.writeHead(200, {
            "content-type": "application/json",
            "content-length": String(64 * 1024 * 1024)
          })
          res.write('{"request_id":"r","data":{"items":[')
          // Far from its declared length: only the client hanging up stops it.
          const timer = setInterval(() => {
            if (res.destroyed) return clearInterval(timer)
            res.write(`${'"x",'.repeat(64)}`)
          }, 5)
          res.on("close", () => clearInterval(timer))
        })
        const error = yield* (yield* start(s.url, (fd) =>
          fd.incidents.list(window, { maxResponseBytes: 1024 })
        )).failure
        assert.strictEqual(transportReason(error), "BodyTooLarge")
        assert.strictEqual(s.hits(), 1)
        yield* eventually(() => s.openSockets() === 0, "the refused body's socket to close", socketCloseLimit)
      })
  )

  it.effect(
    "a chunked body that grows past the cap: BodyTooLarge, and the connection is closed mid-stream",
    () =>
      Effect.gen(function* () {
        const s = yield* server((_req, res) => {
          res.writeHead(200, { "content-type": "application/json" })
          res.write('{"request_id":"r","data":{"items":[')
          // An endless body: only the client hanging up stops it.
          const chunk = `${'"x",'.repeat(256)}`
          const timer = setInterval(() => {
            if (res.destroyed) return clearInterval(timer)
            res.write(chunk)
          }, 1)
          res.on("close", () => clearInterval(timer))
        })
        const error = yield* (yield* start(s.url, (fd) =>
          fd.incidents.list(window, { maxResponseBytes: 16 * 1024 })
        )).failure
        assert.strictEqual(transportReason(error), "BodyTooLarge")
        assert.strictEqual(s.hits(), 1)
        yield* eventually(() => s.openSockets() === 0, "the endless body's socket to close", socketCloseLimit)
      })
  )

  it.effect(
    "connection refused: even a write is retried (nothing reached a server), waits as the policy says",
    () =>
      Effect.gen(function* () {
        const port = yield* closedPort
        const run = yield* start(`http://127.0.0.1:${port}`, write)
        yield* stepThroughRetries(run, 3)
        const error = yield* run.failure
        assert.strictEqual(transportReason(error), "ConnectionRefused")
        assert.deepStrictEqual(
          run.decisions.map((d) => [d.error, d.waitMillis]),
          [
            ["TransportError", 500],
            ["TransportError", 1_000],
            ["TransportError", 2_000]
          ]
        )
        assert.strictEqual(run.attempts.count(), 4)
      })
  )
})
