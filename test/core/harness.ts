/** Shared setup of the core suites: a client over a fake HttpClient. */
import { Effect, Layer, Redacted } from "effect"
import { FlashdutyClient, type FlashdutyClientService } from "../../src/FlashdutyClient.js"
import type { FlashdutyOptions } from "../../src/FlashdutyOptions.js"
import { type FakeHttp, fakeHttp, type Responder } from "./fakeHttp.js"

/** A sentinel app key: tests assert it never shows up outside the request URL. */
export const SENTINEL_KEY = "SENTINEL-app-key-7f3c9e1d"

/** Runs `use` with a client (no retry, no rate limit unless given) over a fake HTTP server. */
export const withClient = <A, E>(
  respond: Responder,
  use: (client: FlashdutyClientService, http: FakeHttp) => Effect.Effect<A, E>,
  options: Partial<FlashdutyOptions> = {}
): Effect.Effect<A, E | import("../../src/FlashdutyOptions.js").ConfigurationError> => {
  const http = fakeHttp(respond)
  const layer = FlashdutyClient.layer({
    appKey: Redacted.make(SENTINEL_KEY),
    retry: false,
    rateLimit: false,
    ...options
  } as FlashdutyOptions).pipe(Layer.provide(http.layer))
  return Effect.gen(function* () {
    const client = yield* FlashdutyClient
    return yield* use(client, http)
  }).pipe(Effect.provide(layer))
}
