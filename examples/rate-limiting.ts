/**
 * Rate limiting: the client paces its own requests, so a busy program waits instead of
 * collecting 429s. By default it keeps to the API's documented 50 requests/second and
 * 1,000/minute per account (and each operation's stricter limit); here it is set to 5 per
 * second to make the pacing visible. Retries are off, so a single 429 would fail the run.
 *
 * The stand-in enforces the documented limits too (`rateLimits: true`), as the real API does.
 *
 *   npx tsx examples/rate-limiting.ts
 */
import { Clock, Console, Effect } from "effect"
import { Flashduty } from "effect-flashduty"
import { defineExample, runMain } from "./runtime.js"

export const program = Effect.gen(function* () {
  const fd = yield* Flashduty
  const startedAt = yield* Clock.currentTimeMillis

  // Twelve requests fired at once; the limiter lets five through per second.
  const sentAt = yield* Effect.forEach(
    Array.from({ length: 12 }, (_, i) => i),
    () =>
      fd.incidents.list({ progress: "Triggered", limit: 1 }).pipe(
        Effect.andThen(Clock.currentTimeMillis),
        Effect.map((now) => now - startedAt)
      ),
    { concurrency: "unbounded" }
  )

  const perSecond: Array<number> = []
  for (const millis of sentAt) {
    const second = Math.floor(millis / 1000)
    perSecond[second] = (perSecond[second] ?? 0) + 1
  }
  for (const [second, count] of perSecond.entries()) {
    yield* Console.log(`  second ${second}: ${count ?? 0} requests answered`)
  }
  yield* Console.log(`${sentAt.length} requests in ${(Math.max(...sentAt) / 1000).toFixed(1)}s, none refused`)
  return perSecond
})

export const example = defineExample({
  title: "Rate limiting",
  program,
  standIn: { rateLimits: true },
  client: () => Effect.succeed({ rateLimit: { perSecond: 5 }, retry: false })
})

runMain(example, import.meta.url)
