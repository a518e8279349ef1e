/**
 * Interruption over real sockets: an interrupted call aborts its HTTP request (the server
 * sees the connection close) and leaves no fiber, timer or socket behind; an interrupted
 * retry wait sends nothing more; a `Stream` consumer that stops early closes the body.
 */
import { assert, describe, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Metric, Stream } from "effect"
import { TestClock } from "effect/testing"
import { Flashduty } from "../../src/generated/Flashduty.js"
import * as Retry from "../../src/Retry.js"
import { Fault } from "../../src/testing/Fault.js"
import { FlashdutyStandIn } from "../../src/testing/FlashdutyStandIn.js"
import { recorded, SENTINEL_KEY, sdkLayer } from "./support/client.js"
import { attemptCounter, eventually } from "./support/clock.js"
import { rawServer } from "./support/rawServer.js"

/** See transportFaults.test.ts: an aborted socket may show as closed only after undici's 4 s keep-alive. */
const socketCloseLimit = 8_000

/** Counts the fibers started under it that have not ended yet. */
const fiberCounter = () => {
  let active = 0
  const service: Metric.FiberRuntimeMetricsService = {
    recordFiberStart: () => {
      active++
    },
    recordFiberEnd: () => {
      active--
    }
  }
  return { active: () => active, track: Effect.provideService(Metric.FiberRuntimeMetrics, service) }
}

describe("interruption", () => {
  it.live(
    "an interrupted call aborts its request: the server sees the close; no fiber or socket is left",
    () =>
      Effect.gen(function* () {
        const server = yield* rawServer(() => {
          // never answer: the call is in flight until interrupted
        })
        const fibers = fiberCounter()
        const fiber = yield* Effect.gen(function* () {
          const fd = yield* Flashduty
          return yield* fd.incidents.list({ start_time: 0, end_time: 1 })
        }).pipe(
          // A long client timeout: its timer is live while the call is in flight.
          Effect.provide(sdkLayer(server.url, { timeout: "30 seconds" })),
          fibers.track,
          Effect.forkChild
        )
        yield* eventually(() => server.hits() === 1, "the request to arrive")
        assert.isAbove(fibers.active(), 0, "the call runs in tracked fibers")

        yield* Fiber.interrupt(fiber)
        const exit = yield* Fiber.await(fiber)
        assert.strictEqual(exit._tag, "Failure")
        // The timeout and every other wait of the call live in these fibers: none is left running.
        assert.strictEqual(fibers.active(), 0, "every fiber the call started has ended")

        yield* Deferred.await(server.clientLeft).pipe(
          Effect.timeoutOrElse({
            duration: socketCloseLimit,
            orElse: () => Effect.die(new Error("the server never saw the connection close"))
          })
        )
        yield* eventually(() => server.openSockets() === 0, "the socket to close", socketCloseLimit)
        assert.strictEqual(server.hits(), 1, "nothing was re-sent")
      })
  )

  it.effect("interrupting a call that waits between retries sends nothing more", () =>
    Effect.gen(function* () {
      const { url, control } = yield* FlashdutyStandIn.serve({
        appKey: SENTINEL_KEY,
        faults: [{ operationId: "incidentList", fault: Fault.status(503) }]
      })
      const { policy, decisions } = recorded(Retry.backoff({ jitter: "none" }))
      const attempts = attemptCounter()
      const fiber = yield* Effect.gen(function* () {
        const fd = yield* Flashduty
        return yield* fd.incidents.list({ start_time: 0, end_time: 1 })
      }).pipe(
        Effect.provide(sdkLayer(url, { retry: policy, transformClient: attempts.transformClient })),
        Effect.forkChild
      )
      yield* eventually(() => decisions.length === 1, "the first retry decision")
      yield* Fiber.interrupt(fiber)
      yield* TestClock.adjust("1 hour")
      assert.strictEqual(attempts.count(), 1)
      assert.strictEqual((yield* control.requests).length, 1)
    })
  )

  it.live("a Stream consumer that stops early closes the export's body (the server sees it)", () =>
    Effect.gen(function* () {
      let linesWritten = 0
      const server = yield* rawServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/x-ndjson" })
        // An endless transcript: only the consumer going away stops it.
        const line = (seq: number) =>
          `${JSON.stringify({ type: seq === 0 ? "session_meta" : "agent_text", session_id: "s1", seq, text: "…" })}\n`
        const timer = setInterval(() => {
          if (res.destroyed) return clearInterval(timer)
          for (let i = 0; i < 50; i++) res.write(line(linesWritten++))
        }, 1)
        res.on("close", () => clearInterval(timer))
      })
      const lines = yield* Effect.gen(function* () {
        const fd = yield* Flashduty
        return yield* fd.sessions.export({ session_id: "s1" }).pipe(Stream.take(3), Stream.runCollect)
      }).pipe(Effect.provide(sdkLayer(server.url)))
      assert.deepStrictEqual(
        lines.map((l) => l.type),
        ["session_meta", "agent_text", "agent_text"]
      )
      yield* Deferred.await(server.clientLeft).pipe(
        Effect.timeoutOrElse({
          duration: socketCloseLimit,
          orElse: () => Effect.die(new Error("the body was never closed"))
        })
      )
      yield* eventually(() => server.openSockets() === 0, "the export's socket to close", socketCloseLimit)
      const written = linesWritten
      yield* Effect.sleep("50 millis")
      assert.strictEqual(linesWritten, written, "the server stopped writing")
    })
  )
})
