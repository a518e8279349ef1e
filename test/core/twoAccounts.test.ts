/**
 * Two clients in one program (two accounts, two base URLs) never mix: layers are memoized by
 * reference, and every SDK layer that builds services from a client is built per client, so a
 * nested `Effect.provide` of a second account's layer uses that account, not the first one.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { FlashdutyClient } from "../../src/FlashdutyClient.js"
import { Flashduty } from "../../src/generated/Flashduty.js"
import { Incidents } from "../../src/generated/Incidents.js"
import { fakeHttp, ok } from "./fakeHttp.js"

const keysSeen = (http: ReturnType<typeof fakeHttp>) =>
  http.requests.map((r) => r.url.searchParams.get("app_key"))

describe("two accounts in one program", () => {
  it.effect("Flashduty.layer: a nested provide of the second account uses the second account", () =>
    Effect.gen(function* () {
      const a = fakeHttp(() => ok({ items: [] }))
      const b = fakeHttp(() => ok({ items: [] }))
      const accountA = Flashduty.layer({ appKey: Redacted.make("key-a"), rateLimit: false }).pipe(
        Layer.provide(a.layer)
      )
      const accountB = Flashduty.layer({ appKey: Redacted.make("key-b"), rateLimit: false }).pipe(
        Layer.provide(b.layer)
      )
      const list = Effect.flatMap(Effect.service(Flashduty), (fd) => fd.incidents.list({}))
      yield* Effect.gen(function* () {
        yield* list
        yield* Effect.provide(list, accountB)
        yield* list
      }).pipe(Effect.provide(accountA))
      assert.deepStrictEqual(keysSeen(a), ["key-a", "key-a"])
      assert.deepStrictEqual(keysSeen(b), ["key-b"])
    })
  )

  it.effect("a service layer composed with two clients gives each its own service", () =>
    Effect.gen(function* () {
      const a = fakeHttp(() => ok({ items: [] }))
      const b = fakeHttp(() => ok({ items: [] }))
      const clientOf = (key: string, http: ReturnType<typeof fakeHttp>) =>
        FlashdutyClient.layer({ appKey: Redacted.make(key), rateLimit: false }).pipe(
          Layer.provide(http.layer)
        )
      const incidentsA = Incidents.layer.pipe(Layer.provide(clientOf("key-a", a)))
      const incidentsB = Incidents.layer.pipe(Layer.provide(clientOf("key-b", b)))
      const list = Effect.flatMap(Effect.service(Incidents), (incidents) => incidents.list({}))
      yield* Effect.provide(Effect.andThen(list, Effect.provide(list, incidentsB)), incidentsA)
      assert.deepStrictEqual(keysSeen(a), ["key-a"])
      assert.deepStrictEqual(keysSeen(b), ["key-b"])
    })
  )
})
