/**
 * Load: many calls at concurrency 64 against the loopback stand-in with 5% injected faults.
 * Every call is accounted for (a decoded value or a typed error), no defect escapes, no
 * write whose outcome was unknown is sent twice, the client-side rate limiter holds on the
 * wire (sent per rolling second, within 10%) and, within the in-flight slack, on the
 * server's side, and memory stays bounded (peak RSS printed).
 *
 * Size: `RELIABILITY_LOAD_CALLS` (default 1,000 in `npm test`); `npm run test:load` runs
 * the full 10,000. Client and server share this process, so the RSS covers both.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit } from "effect"
import { HttpClient } from "effect/http"
import { type FlashdutyError, isFlashdutyError } from "../../src/Errors.js"
import { Flashduty } from "../../src/generated/Flashduty.js"
import { Fault } from "../../src/testing/Fault.js"
import { FlashdutyStandIn } from "../../src/testing/FlashdutyStandIn.js"
import { SENTINEL_KEY, sdkLayer } from "./support/client.js"

const calls = Number(process.env.RELIABILITY_LOAD_CALLS ?? 1_000)
const concurrency = 64
// Below what client and server sustain together in one process (~200/s), so the limiter binds.
const perSecond = 100

/** The largest number of requests within any rolling window of `windowMillis`. */
const peakInWindow = (times: ReadonlyArray<number>, windowMillis: number): number => {
  const sorted = [...times].sort((a, b) => a - b)
  let peak = 0
  let start = 0
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMillis) start++
    peak = Math.max(peak, end - start + 1)
  }
  return peak
}

describe("load", () => {
  it.live(
    `${calls} calls at concurrency ${concurrency} with 5% faults: all accounted for, writes never doubled`,
    () =>
      Effect.gen(function* () {
        const { url, control } = yield* FlashdutyStandIn.serve({
          appKey: SENTINEL_KEY,
          incidents: { count: 20 },
          seed: "load",
          faults: [
            { probability: 0.01, fault: Fault.rateLimited(1) },
            { probability: 0.01, fault: Fault.status(503) },
            { probability: 0.01, fault: Fault.dropConnection },
            { probability: 0.01, fault: Fault.truncatedBody() },
            { probability: 0.01, fault: Fault.htmlProxyPage(502) }
          ]
        })
        // Writes succeed whatever the id, so each write carries its own marker.
        yield* control.override("incidentUnack", { data: {} })

        // When each attempt left the client (right after the limiter let it go).
        const sentAt: Array<number> = []
        const stampSend = (client: HttpClient.HttpClient): HttpClient.HttpClient =>
          HttpClient.tapRequest(client, () =>
            Effect.sync(() => void sentAt.push(Date.now()))
          ) as HttpClient.HttpClient
        const rss: Array<number> = []
        const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 100)
        const heapBefore = process.memoryUsage().heapUsed
        const startedAt = Date.now()

        const exits = yield* Effect.gen(function* () {
          const fd = yield* Flashduty
          return yield* Effect.forEach(
            Array.from({ length: calls }, (_, i) => i),
            (i) => {
              const call: Effect.Effect<unknown, FlashdutyError> =
                i % 5 === 0
                  ? fd.incidents.unack({ incident_ids: [`load-${i}`] })
                  : fd.incidents.list({ start_time: 0, end_time: 4_102_444_800, limit: 5 })
              return Effect.exit(call)
            },
            { concurrency }
          )
        }).pipe(
          Effect.provide(
            sdkLayer(url, { rateLimit: { perSecond, perMinute: perSecond * 60 }, transformClient: stampSend })
          ),
          Effect.ensuring(Effect.sync(() => clearInterval(sampler)))
        )
        const seconds = (Date.now() - startedAt) / 1000

        // Every call accounted for: a value or a typed error, never a defect.
        assert.strictEqual(exits.length, calls)
        const byOutcome: Record<string, number> = {}
        for (const exit of exits) {
          if (Exit.isSuccess(exit)) {
            byOutcome.success = (byOutcome.success ?? 0) + 1
            continue
          }
          assert.isFalse(Cause.hasDies(exit.cause), `no defect: ${Cause.pretty(exit.cause)}`)
          assert.isFalse(Cause.hasInterrupts(exit.cause), "no interruption")
          const error = Cause.squash(exit.cause)
          assert.isTrue(isFlashdutyError(error), `a typed error: ${String(error)}`)
          const tag = (error as { _tag: string })._tag
          byOutcome[tag] = (byOutcome[tag] ?? 0) + 1
        }
        const total = Object.values(byOutcome).reduce((a, b) => a + b, 0)
        assert.strictEqual(total, calls)

        // A write is re-sent only after a 429 (not processed): at most one processed-or-unknown receipt each.
        const requests = yield* control.requests
        const receiptsByMarker = new Map<string, number>()
        for (const r of requests) {
          if (r.operationId !== "incidentUnack" || r.outcome === 429) continue
          const marker = String((r.body as { incident_ids?: Array<string> } | undefined)?.incident_ids?.[0])
          receiptsByMarker.set(marker, (receiptsByMarker.get(marker) ?? 0) + 1)
        }
        const doubled = [...receiptsByMarker].filter(([, n]) => n > 1)
        assert.deepStrictEqual(doubled, [], "no write was sent twice")
        assert.strictEqual(receiptsByMarker.size, calls / 5, "every write reached the server")

        // The limiter admits at most `perSecond` in any rolling second, measured when it lets a
        // request go (even when a busy event loop wakes it late). The stamp here is taken a
        // moment later, once the request is built, so a request admitted just before a second
        // may be counted in it: sends get a 10% slack (the limiter used to let 127-136 through).
        // Arrivals are the server's view: a request sent in one second may arrive in the next
        // when the loop is busy, at most `concurrency` in flight, so `perSecond + concurrency`.
        assert.strictEqual(sentAt.length, requests.length, "every attempt sent reached the server")
        const arrivals = requests.map((r) => r.receivedAt)
        assert.isAtMost(peakInWindow(sentAt, 1_000), perSecond * 1.1, "sent per rolling second")
        assert.isAtMost(peakInWindow(arrivals, 1_000), perSecond + concurrency, "arrivals per rolling second")

        const heapAfter = process.memoryUsage().heapUsed
        const peakRss = Math.max(...rss, process.memoryUsage().rss)
        const report = {
          calls,
          requests: requests.length,
          seconds: Number(seconds.toFixed(1)),
          outcomes: byOutcome,
          peakSentPerSecond: peakInWindow(sentAt, 1_000),
          peakArrivalsPerSecond: peakInWindow(arrivals, 1_000),
          peakRssMiB: Math.round(peakRss / 2 ** 20),
          heapGrowthMiB: Math.round((heapAfter - heapBefore) / 2 ** 20)
        }
        console.log(`load: ${JSON.stringify(report)}`)
        // Memory stays bounded: the stand-in keeps its request log, nothing else should grow much.
        assert.isBelow(peakRss, 1_536 * 2 ** 20, "peak RSS under 1.5 GiB")
      }),
    180_000
  )
})
