/**
 * The Flashduty API never redirects, so the client never follows one: a `3xx` (or a
 * browser's opaque redirect, status 0) is a `GatewayError`, never retried; nothing is sent
 * to the `Location`, and the app key never leaves the configured base URL's origin. With
 * the fetch client, the SDK asks for `redirect: "manual"` merged into the user's own
 * `FetchHttpClient.RequestInit`.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer } from "effect"
import { FetchHttpClient, HttpClient, HttpClientResponse } from "effect/http"
import type { FlashdutyError } from "../../src/Errors.js"
import { Flashduty } from "../../src/generated/Flashduty.js"
import { SENTINEL_KEY, sdkLayer } from "../reliability/support/client.js"
import { rawServer } from "../reliability/support/rawServer.js"
import { failureOf } from "../support/exits.js"

const window = { start_time: 0, end_time: 86_400 }

/** A second origin that records whatever reaches it. */
const elsewhere = rawServer((_request, response) => {
  response.writeHead(200, { "content-type": "application/json" })
  response.end(
    JSON.stringify({ request_id: "foreign", data: { incident_id: "foreign-incident", items: [] } })
  )
})

describe("redirects are never followed", () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it.live(`${status} to another origin, repeating the query: GatewayError, nothing sent there`, () =>
      Effect.gen(function* () {
        const other = yield* elsewhere
        const api = yield* rawServer((request, response) => {
          // A hostile Location that carries the query string (and so the app key) away.
          response.writeHead(status, { location: `${other.url}${request.url}` })
          response.end()
        })
        const read = yield* Effect.flatMap(Flashduty, (fd) => fd.incidents.list(window)).pipe(
          Effect.provide(sdkLayer(api.url)),
          Effect.exit
        )
        const write = yield* Effect.flatMap(Flashduty, (fd) =>
          fd.incidents.create({ title: "t", incident_severity: "Critical" })
        ).pipe(Effect.provide(sdkLayer(api.url)), Effect.exit)
        for (const exit of [read, write] as Array<Exit.Exit<unknown, FlashdutyError>>) {
          const error = failureOf(exit)
          assert.strictEqual(error._tag, "GatewayError")
          assert.strictEqual(error.status, status)
          assert.include(error.message, "redirect")
          assert.notInclude(Cause.pretty(Exit.isFailure(exit) ? exit.cause : Cause.empty), SENTINEL_KEY)
          assert.notInclude(JSON.stringify(error), SENTINEL_KEY)
        }
        assert.strictEqual(other.hits(), 0, "nothing reached the other origin")
        assert.strictEqual(api.hits(), 2, "a redirect is not retried, not even for a read")
      }).pipe(Effect.scoped)
    )
  }

  it.live("a redirect to the same origin and a redirect loop end at once", () =>
    Effect.gen(function* () {
      const api = yield* rawServer((request, response) => {
        response.writeHead(302, { location: request.url ?? "/" })
        response.end()
      })
      const exit = yield* Effect.flatMap(Flashduty, (fd) => fd.incidents.list(window)).pipe(
        Effect.provide(sdkLayer(api.url)),
        Effect.exit
      )
      assert.strictEqual(failureOf(exit)._tag, "GatewayError")
      assert.strictEqual(api.hits(), 1)
    }).pipe(Effect.scoped)
  )

  it.live("a browser's opaque redirect (status 0) is the same GatewayError", () =>
    Effect.gen(function* () {
      let hits = 0
      const client = HttpClient.make((request) =>
        Effect.sync(() => {
          hits++
          return HttpClientResponse.fromWeb(request, Response.error())
        })
      )
      const exit = yield* Effect.flatMap(Flashduty, (fd) => fd.incidents.list(window)).pipe(
        Effect.provide(
          Flashduty.layer({ appKey: SENTINEL_KEY, rateLimit: false }).pipe(
            Layer.provide(Layer.succeed(HttpClient.HttpClient, client)),
            Layer.orDie
          )
        ),
        Effect.exit
      )
      const error = failureOf(exit)
      assert.strictEqual(error._tag, "GatewayError")
      assert.include(error.message, "redirect")
      assert.strictEqual(hits, 1)
    })
  )
})

describe("fetch is asked not to follow redirects, keeping the user's RequestInit", () => {
  /** A fake `fetch` recording the init it was given. */
  const recordingFetch = () => {
    const inits: Array<RequestInit | undefined> = []
    const fetch = ((_input: RequestInfo | URL, init?: RequestInit) => {
      inits.push(init)
      return Promise.resolve(
        new Response(JSON.stringify({ request_id: "r", data: { items: [] } }), {
          headers: { "content-type": "application/json" }
        })
      )
    }) as typeof globalThis.fetch
    return { inits, fetch }
  }

  const list = Effect.flatMap(Flashduty, (fd) => fd.incidents.list(window))

  it.live("no RequestInit of the user's: redirect is manual", () =>
    Effect.gen(function* () {
      const { inits, fetch } = recordingFetch()
      yield* list.pipe(
        Effect.provide(sdkLayer("http://127.0.0.1:9")),
        Effect.provideService(FetchHttpClient.Fetch, fetch)
      )
      assert.strictEqual(inits[0]?.redirect, "manual")
    })
  )

  it.live("the user's RequestInit on the program: kept, with redirect manual", () =>
    Effect.gen(function* () {
      const { inits, fetch } = recordingFetch()
      yield* list.pipe(
        Effect.provide(sdkLayer("http://127.0.0.1:9")),
        Effect.provideService(FetchHttpClient.Fetch, fetch),
        Effect.provideService(FetchHttpClient.RequestInit, { cache: "no-store", redirect: "follow" })
      )
      assert.strictEqual(inits[0]?.redirect, "manual")
      assert.strictEqual(inits[0]?.cache, "no-store")
    })
  )

  it.live("the user's RequestInit given to the client layers: kept, with redirect manual", () =>
    Effect.gen(function* () {
      const { inits, fetch } = recordingFetch()
      const layer = Flashduty.layer({
        appKey: SENTINEL_KEY,
        baseUrl: "http://127.0.0.1:9",
        rateLimit: false
      }).pipe(
        Layer.provide(FetchHttpClient.layer),
        Layer.provide(Layer.succeed(FetchHttpClient.RequestInit, { cache: "no-store", redirect: "follow" })),
        Layer.provide(Layer.succeed(FetchHttpClient.Fetch, fetch)),
        Layer.orDie
      )
      yield* list.pipe(Effect.provide(layer))
      assert.strictEqual(inits[0]?.redirect, "manual")
      assert.strictEqual(inits[0]?.cache, "no-store")
    })
  )

  it.live(
    "a RequestInit given to FetchHttpClient.layer alone: its settings (headers, a proxy dispatcher) are kept",
    () =>
      Effect.gen(function* () {
        const { inits, fetch } = recordingFetch()
        const dispatcher = { name: "corporate proxy" }
        const http = FetchHttpClient.layer.pipe(
          Layer.provide(
            Layer.succeed(FetchHttpClient.RequestInit, {
              headers: { "x-from-init": "kept" },
              redirect: "follow",
              dispatcher
            } as RequestInit)
          )
        )
        const layer = Flashduty.layer({
          appKey: SENTINEL_KEY,
          baseUrl: "http://127.0.0.1:9",
          rateLimit: false
        }).pipe(Layer.provide(http), Layer.orDie)
        yield* list.pipe(Effect.provide(layer), Effect.provideService(FetchHttpClient.Fetch, fetch))
        const init = inits[0] as RequestInit & { dispatcher?: unknown }
        assert.strictEqual(init.redirect, "manual")
        assert.strictEqual(init.dispatcher, dispatcher)
        assert.strictEqual(new Headers(init.headers).get("x-from-init"), "kept")
      })
  )
})
