/**
 * The in-memory backend of a shared rate limit: the Redis backend's rules for the clients of
 * one process, on `Clock` (so it paces under `TestClock`).
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { peerTtlMillis, type StoreBackend, type StoreVerdict } from "./store.js"

/** A sliding-window log in memory: admission times, oldest first. */
interface MemoryWindow {
  readonly times: Array<number>
}

/**
 * The store in this process's memory, on `Clock` (so it paces under `TestClock`): the same
 * rules as the Redis store, for the clients of one process.
 */
export const makeMemory: Effect.Effect<StoreBackend> = /*#__PURE__*/ Effect.sync(() => {
  const windows = new Map<string, MemoryWindow>()
  const pauses = new Map<string, number>()
  const peers = new Map<string, Map<string, number>>()
  const windowOf = (key: string) => {
    let window = windows.get(key)
    if (window === undefined) {
      window = { times: [] }
      windows.set(key, window)
    }
    return window
  }
  const prune = (window: MemoryWindow, now: number, windowMillis: number) => {
    let drop = 0
    while (drop < window.times.length && window.times[drop]! + windowMillis <= now) drop++
    if (drop > 0) window.times.splice(0, drop)
  }
  const peerCount = (budget: string, client: string, now: number) => {
    let seen = peers.get(budget)
    if (seen === undefined) {
      seen = new Map()
      peers.set(budget, seen)
    }
    seen.set(client, now)
    for (const [id, at] of seen) if (at + peerTtlMillis <= now) seen.delete(id)
    return seen.size
  }
  return {
    label: "memory",
    timeout: Duration.millis(250),
    probeInterval: Duration.millis(250),
    // One process, one clock, no network between admission and sending: no margin.
    marginFor: () => 0,
    acquire: (request) =>
      Effect.map(Clock.currentTimeMillis, (now): StoreVerdict => {
        const count = peerCount(request.budget, request.client, now)
        let accountMillis = 0
        let ownMillis = 0
        for (const pause of request.pauses) {
          const left = (pauses.get(`${request.budget}/${pause.key}`) ?? 0) - now
          if (left <= 0) continue
          if (pause.own) ownMillis = Math.max(ownMillis, left)
          else accountMillis = Math.max(accountMillis, left)
        }
        const missing =
          request.expectedPeers > count ? (request.expectedPeers - count) / request.expectedPeers : 0
        for (const bucket of request.buckets) {
          const window = windowOf(`${request.budget}/${bucket.key}`)
          prune(window, now, bucket.windowMillis)
          const limit = Math.max(1, bucket.limit - Math.floor(bucket.limit * missing))
          if (window.times.length < limit) continue
          const wait = window.times[window.times.length - limit]! + bucket.windowMillis - now
          if (bucket.own) ownMillis = Math.max(ownMillis, wait)
          else accountMillis = Math.max(accountMillis, wait)
        }
        if (accountMillis > 0 || ownMillis > 0)
          return { _tag: "Wait", accountMillis, ownMillis, peers: count }
        for (const bucket of request.buckets) windowOf(`${request.budget}/${bucket.key}`).times.push(now)
        return { _tag: "Admitted", peers: count }
      }),
    pause: (budget, key, millis) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const id = `${budget}/${key}`
        pauses.set(id, Math.max(pauses.get(id) ?? 0, now + millis))
      }),
    // Memory is never lost while the process lives: nothing to put back.
    restore: () => Effect.void,
    prepare: (budget, client) =>
      Effect.map(Clock.currentTimeMillis, (now) => void peerCount(budget, client, now))
  } satisfies StoreBackend
})
