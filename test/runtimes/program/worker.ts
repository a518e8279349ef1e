/**
 * A production Cloudflare worker: it imports only `effect`, `effect/http` and the package's main
 * entry, and is bundled with no `node:` module left to resolve (what `wrangler` needs without
 * `nodejs_compat`). `workerd test` runs its `test` handler: every check over the loopback
 * stand-in the runner started, through `fetch` (the worker's outbound network allows loopback),
 * one `RUNTIME-CHECK` line per check, throwing when one failed.
 *
 * A worker has no `process.env`: `Flashduty.layerConfig()` reads the worker's bindings
 * (`FLASHDUTY_APP_KEY`, `FLASHDUTY_BASE_URL`) through `ConfigProvider.fromEnv({ env })`.
 */
import { ConfigProvider, Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import { Flashduty } from "effect-flashduty"
import { checks, formatResult, runChecks } from "./checks.js"

/** The worker's bindings (text bindings in config.capnp; `vars`/secrets under wrangler). */
type Env = Record<string, string>

export default {
  async test(_controller: unknown, env: Env): Promise<void> {
    const results = await Effect.runPromise(
      runChecks(
        "loopback",
        Flashduty.layerConfig().pipe(
          Layer.provide(FetchHttpClient.layer),
          Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnv({ env })))
        ),
        checks,
        (result) => console.log(formatResult(result))
      )
    )
    const failed = results.filter((result) => !result.ok)
    if (failed.length > 0) throw new Error(`${failed.length} check(s) failed over loopback`)
  }
}
