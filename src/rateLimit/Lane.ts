/**
 * A queue of callers that wait on the same windows: a FIFO lock (only its holder may sleep on
 * those windows) and how many callers are in it, so that a newcomer never overtakes them.
 * Used by the embedded limiter (`src/RateLimit.ts`) and the shared one (`SharedLimiter.ts`).
 */
import * as Effect from "effect/Effect"
import * as Semaphore from "effect/Semaphore"

export class Lane {
  readonly lock = Semaphore.makeUnsafe(1)
  waiting = 0

  /** Runs `effect` as the lane's holder, after the callers already in it. */
  enter<A>(effect: Effect.Effect<A>): Effect.Effect<A> {
    return Effect.acquireUseRelease(
      Effect.sync(() => void this.waiting++),
      () => this.lock.withPermit(effect),
      () => Effect.sync(() => void this.waiting--)
    )
  }
}
