/**
 * Server-side enforcement of each operation's documented rate limit
 * (`OperationInfo.rateLimit`), in fixed windows on the stand-in's clock, per
 * operation. A request over any of the operation's limits is refused with the
 * number of seconds until that window ends, which becomes `Retry-After`.
 */
import type { RateLimitSpec } from "../runtime/Operation.js"

const windows = [
  ["perSecond", 1_000],
  ["perMinute", 60_000],
  ["perHour", 3_600_000],
  ["perDay", 86_400_000]
] as const

/** Accepted, or refused with the seconds to wait. */
export type RateLimitVerdict =
  | { readonly accepted: true }
  | { readonly accepted: false; readonly retryAfterSeconds: number; readonly limit: number }

export class DocumentedRateLimiter {
  /** key `operationId|windowMillis|windowIndex` → requests accepted in that window */
  private readonly counts = new Map<string, number>()

  /** Counts the request when it is accepted; refused requests do not use up the allowance. */
  admit(operationId: string, spec: RateLimitSpec | undefined, nowMillis: number): RateLimitVerdict {
    if (spec === undefined) return { accepted: true }
    const keys: Array<string> = []
    for (const [field, millis] of windows) {
      const limit = spec[field]
      if (limit === undefined) continue
      const index = Math.floor(nowMillis / millis)
      const key = `${operationId}|${millis}|${index}`
      if ((this.counts.get(key) ?? 0) >= limit) {
        const endsAt = (index + 1) * millis
        return {
          accepted: false,
          retryAfterSeconds: Math.max(1, Math.ceil((endsAt - nowMillis) / 1000)),
          limit
        }
      }
      keys.push(key)
    }
    for (const key of keys) this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
    if (this.counts.size > 10_000) this.forgetOldWindows(nowMillis)
    return { accepted: true }
  }

  reset(): void {
    this.counts.clear()
  }

  private forgetOldWindows(nowMillis: number): void {
    for (const key of this.counts.keys()) {
      const [, millis, index] = key.split("|")
      if ((Number(index) + 1) * Number(millis) <= nowMillis) this.counts.delete(key)
    }
  }
}
