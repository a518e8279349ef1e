import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Layer, Redacted, Schedule } from "effect"
import { FetchHttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import { FlashdutyClient } from "../../src/FlashdutyClient.js"
import * as Retry from "../../src/Retry.js"
import { incidentAck, incidentList } from "./endpoints.js"
import { apiError, ok, type Responder, text } from "./fakeHttp.js"
import { SENTINEL_KEY, withClient } from "./harness.js"

const listInput = { start_time: 1, end_time: 2 }
const ackInput = { incident_ids: ["i1"] }
const exact = Retry.backoff({ jitter: "none" }) // 500 ms, 1 s, 2 s

/** Answers `failures` in turn, then success. */
const sequence =
  (failures: ReadonlyArray<() => Response>, success: () => Response = () => ok({ items: [] })): Responder =>
  (request) =>
    (failures[request.index - 1] ?? success)()

/** Runs `effect` in a fiber while moving the TestClock far enough for every wait. */
const withTime = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.forkChild(effect)
    for (let i = 0; i < 20; i++) yield* TestClock.adjust("10 seconds")
    return yield* Fiber.join(fiber)
  })

describe("retries", () => {
  it.effect("a read is retried on 5xx with exponential waits, then succeeds", () =>
    withClient(
      sequence([() => apiError("InternalError", "boom", 500), () => text("<html>bad gateway</html>", 502)]),
      (client, fake) =>
        Effect.gen(function* () {
          const { data } = yield* withTime(client.call(incidentList, listInput))
          assert.deepStrictEqual(data.items, [])
          assert.deepStrictEqual(
            fake.requests.map((r) => r.atMillis),
            [0, 500, 1500]
          )
        }),
      { retry: exact }
    )
  )

  it.effect("the default policy makes at most 3 retries (4 attempts) and returns the last error", () =>
    withClient(
      () => apiError("ServiceUnavailable", "down", 503),
      (client, fake) =>
        Effect.gen(function* () {
          const error = yield* withTime(Effect.flip(client.call(incidentList, listInput)))
          assert.strictEqual(error._tag, "ServerError")
          assert.strictEqual(fake.requests.length, 4)
        }),
      { retry: Retry.defaultPolicy }
    )
  )

  it.effect("a write is NOT retried on 5xx, timeouts or gateway errors (outcome unknown)", () =>
    withClient(
      () => apiError("InternalError", "boom", 500),
      (client, fake) =>
        Effect.gen(function* () {
          const error = yield* withTime(Effect.flip(client.call(incidentAck, ackInput)))
          assert.strictEqual(error._tag, "ServerError")
          assert.strictEqual(fake.requests.length, 1)
        }),
      { retry: exact }
    )
  )

  it.effect("a write IS retried on 429 (not processed), waiting Retry-After", () =>
    withClient(
      sequence([() => apiError("RequestTooFrequently", "slow", 429, "r", { "Retry-After": "5" })], () =>
        ok({})
      ),
      (client, fake) =>
        Effect.gen(function* () {
          yield* withTime(client.call(incidentAck, ackInput))
          assert.deepStrictEqual(
            fake.requests.map((r) => r.atMillis),
            [0, 5000]
          )
        }),
      { retry: exact }
    )
  )

  it.effect("Retry-After as an HTTP date is respected as the minimum wait", () =>
    withClient(
      sequence([() => text("", 429, { "Retry-After": new Date(8000).toUTCString() })]),
      (client, fake) =>
        Effect.gen(function* () {
          yield* withTime(client.call(incidentList, listInput))
          assert.deepStrictEqual(
            fake.requests.map((r) => r.atMillis),
            [0, 8000]
          )
        }),
      { retry: exact }
    )
  )

  it.effect("a Retry-After beyond maxRetryAfter stops retrying and returns RateLimited", () =>
    withClient(
      () => apiError("RequestTooFrequently", "slow", 429, "r", { "Retry-After": "3600" }),
      (client, fake) =>
        Effect.gen(function* () {
          const error = yield* withTime(Effect.flip(client.call(incidentList, listInput)))
          assert.strictEqual(error._tag, "RateLimited")
          assert.strictEqual(fake.requests.length, 1)
        }),
      { retry: exact }
    )
  )

  it.effect("4xx answers and decode errors are never retried", () =>
    withClient(
      () => apiError("InvalidParameter", "bad", 400),
      (client, fake) =>
        Effect.gen(function* () {
          yield* withTime(Effect.flip(client.call(incidentList, listInput)))
          assert.strictEqual(fake.requests.length, 1)
        }),
      { retry: exact }
    )
  )

  it.effect("retry: false on the client disables retries", () =>
    withClient(
      () => apiError("InternalError", "boom", 500),
      (client, fake) =>
        Effect.gen(function* () {
          yield* withTime(Effect.flip(client.call(incidentList, listInput)))
          assert.strictEqual(fake.requests.length, 1)
        }),
      { retry: false }
    )
  )

  it.effect("a per-call policy overrides the client's, and per-call false disables it", () =>
    withClient(
      () => apiError("InternalError", "boom", 500),
      (client, fake) =>
        Effect.gen(function* () {
          yield* withTime(
            Effect.flip(
              client.call(incidentList, listInput, {
                retry: Schedule.spaced("1 second").pipe(Schedule.upTo({ times: 1 }))
              })
            )
          )
          assert.deepStrictEqual(
            fake.requests.map((r) => r.atMillis),
            [0, 1000]
          )
          yield* withTime(Effect.flip(client.call(incidentList, listInput, { retry: false })))
          assert.strictEqual(fake.requests.length, 3)
        }),
      { retry: exact }
    )
  )

  it.effect(
    "a per-attempt timeout fails with TransportError Timeout; a read retries it, a write does not",
    () =>
      withClient(
        () => Effect.never,
        (client, fake) =>
          Effect.gen(function* () {
            const readError = yield* withTime(Effect.flip(client.call(incidentList, listInput)))
            assert.strictEqual(
              readError._tag === "TransportError" ? readError.reason : readError._tag,
              "Timeout"
            )
            assert.strictEqual(fake.requests.length, 2)
            const writeError = yield* withTime(Effect.flip(client.call(incidentAck, ackInput)))
            assert.strictEqual(
              writeError._tag === "TransportError" ? writeError.reason : writeError._tag,
              "Timeout"
            )
            assert.strictEqual(fake.requests.length, 3)
          }),
        { timeout: "2 seconds", retry: Retry.backoff({ jitter: "none", maxRetries: 1 }) }
      )
  )

  it.effect("a per-call timeout overrides the client's", () =>
    withClient(
      () => Effect.never,
      (client) =>
        Effect.gen(function* () {
          const fiber = yield* Effect.forkChild(
            Effect.flip(client.call(incidentList, listInput, { timeout: "1 second" }))
          )
          yield* TestClock.adjust("1 second")
          const error = yield* Fiber.join(fiber)
          assert.include(error.message, "timed out after 1s")
        }),
      { timeout: "1 minute" }
    )
  )
})

describe("retry policies", () => {
  const rateLimited = (seconds?: number) =>
    ({
      _tag: "RateLimited",
      retryAfter: seconds === undefined ? undefined : Duration.seconds(seconds)
    }) as never

  it("isRetryable: reads vs writes", () => {
    const cases: ReadonlyArray<readonly [unknown, boolean, boolean]> = [
      [rateLimited(), true, true],
      [{ _tag: "TransportError", reason: "ConnectionRefused" }, true, true],
      [{ _tag: "TransportError", reason: "Timeout" }, true, false],
      [{ _tag: "TransportError", reason: "Network" }, true, false],
      [{ _tag: "TransportError", reason: "Body" }, true, false],
      [{ _tag: "TransportError", reason: "BodyTooLarge" }, false, false],
      [{ _tag: "TransportError", reason: "Aborted" }, false, false],
      [{ _tag: "ServerError", status: 500 }, true, false],
      [{ _tag: "GatewayError", status: 502 }, true, false],
      [{ _tag: "ApiError", status: 504 }, true, false],
      [{ _tag: "ApiError", status: 409 }, false, false],
      [{ _tag: "NotFound", status: 404 }, false, false],
      [{ _tag: "Unauthorized", status: 401 }, false, false],
      [{ _tag: "InvalidParameter", status: 400 }, false, false],
      [{ _tag: "DecodeError", status: 200 }, false, false]
    ]
    for (const [error, read, write] of cases) {
      assert.strictEqual(Retry.isRetryable(error as never, "read"), read, `read ${JSON.stringify(error)}`)
      assert.strictEqual(Retry.isRetryable(error as never, "write"), write, `write ${JSON.stringify(error)}`)
    }
  })

  /** The waits a schedule produces for `inputs`. */
  const delays = (schedule: Retry.RetryPolicy, inputs: ReadonlyArray<unknown>) =>
    Effect.gen(function* () {
      const step = yield* Schedule.toStep(schedule)
      const out: Array<number> = []
      for (const input of inputs) {
        const result = yield* Effect.result(step(0, input as never))
        if (result._tag === "Failure") break
        out.push(Duration.toMillis(result.success[1]))
      }
      return out
    })

  it.effect("backoff without jitter: 500 ms × 2, capped at maxDelay, bounded retries", () =>
    Effect.gen(function* () {
      const waits = yield* delays(
        Retry.backoff({ jitter: "none", maxRetries: 7, maxDelay: "4 seconds" }),
        Array(10).fill({ _tag: "ServerError" })
      )
      assert.deepStrictEqual(waits, [500, 1000, 2000, 4000, 4000, 4000, 4000])
    })
  )

  it.effect("full jitter keeps every wait within [0, min(cap, base × 2^n)]", () =>
    Effect.gen(function* () {
      for (let run = 0; run < 30; run++) {
        const waits = yield* delays(
          Retry.backoff({ maxRetries: 6, maxDelay: "3 seconds" }),
          Array(6).fill({ _tag: "ServerError" })
        )
        const bounds = [500, 1000, 2000, 3000, 3000, 3000]
        waits.forEach((wait, i) => {
          assert.isAtLeast(wait, 0)
          assert.isAtMost(wait, bounds[i]!)
        })
      }
    })
  )

  it.effect("Retry-After raises the wait above the jittered backoff", () =>
    Effect.gen(function* () {
      const waits = yield* delays(Retry.defaultPolicy, [rateLimited(20), rateLimited(45)])
      assert.deepStrictEqual(waits, [20000, 45000])
    })
  )
})

describe("transport failures against a loopback server", () => {
  const clientLayer = (baseUrl: string, retry: Retry.RetryPolicy | false) =>
    FlashdutyClient.layer({
      appKey: Redacted.make(SENTINEL_KEY),
      baseUrl,
      retry,
      rateLimit: false,
      timeout: "300 millis"
    }).pipe(Layer.provide(FetchHttpClient.layer))

  /** A port with nothing listening: bind, read the port, close. */
  const closedPort = Effect.promise(
    () =>
      new Promise<number>((resolve) => {
        const server = http.createServer()
        server.listen(0, "127.0.0.1", () => {
          const { port } = server.address() as AddressInfo
          server.close(() => resolve(port))
        })
      })
  )

  it.live("connection refused is TransportError ConnectionRefused, and even a write is retried", () =>
    Effect.gen(function* () {
      const port = yield* closedPort
      const attempts: Array<number> = []
      const policy = Schedule.spaced("10 millis").pipe(
        Schedule.upTo({ times: 2 }),
        Schedule.tap(() => Effect.sync(() => attempts.push(1)))
      )
      const error = yield* Effect.gen(function* () {
        const client = yield* FlashdutyClient
        return yield* Effect.flip(client.call(incidentAck, ackInput))
      }).pipe(Effect.provide(clientLayer(`http://127.0.0.1:${port}`, policy)))
      assert.strictEqual(error._tag, "TransportError")
      if (error._tag === "TransportError") assert.strictEqual(error.reason, "ConnectionRefused")
      assert.strictEqual(attempts.length, 2)
      assert.notInclude(JSON.stringify(error), SENTINEL_KEY)
    })
  )

  it.live("a server that never answers times out (per attempt) with TransportError Timeout", () =>
    Effect.acquireUseRelease(
      Effect.promise(
        () =>
          new Promise<http.Server>((resolve) => {
            const server = http.createServer(() => {
              // never answer
            })
            server.listen(0, "127.0.0.1", () => resolve(server))
          })
      ),
      (server) =>
        Effect.gen(function* () {
          const client = yield* FlashdutyClient
          const error = yield* Effect.flip(client.call(incidentAck, ackInput))
          assert.strictEqual(error._tag === "TransportError" ? error.reason : error._tag, "Timeout")
        }).pipe(
          Effect.provide(clientLayer(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, false))
        ),
      (server) =>
        Effect.promise(
          () =>
            new Promise<void>((resolve) => {
              server.closeAllConnections()
              server.close(() => resolve())
            })
        )
    )
  )
})
