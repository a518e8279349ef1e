/**
 * The real `Flashduty` client (fetch transport) pointed at a loopback server.
 */
import { Effect, Layer, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { FlashdutyClient } from "../../../src/FlashdutyClient.js"
import { Flashduty } from "../../../src/generated/Flashduty.js"

export const appKey = "streaming-test-app-key"

/**
 * Runs `use` with a `Flashduty` (and its `FlashdutyClient`) that talks to `url`; no
 * retries, no client-side rate limit.
 */
export const withFlashduty = <A, E>(
  url: string,
  use: (fd: Flashduty["Service"]) => Effect.Effect<A, E, any>
) =>
  Effect.flatMap(Flashduty, use).pipe(
    Effect.provide(
      Flashduty.layerFromClient.pipe(
        Layer.provideMerge(
          FlashdutyClient.layer({
            appKey: Redacted.make(appKey),
            baseUrl: url,
            retry: false,
            rateLimit: false
          })
        ),
        Layer.provide(FetchHttpClient.layer)
      )
    )
  )
