/**
 * `npm run examples`: every example in turn, against the stand-in (each on its own fresh
 * one), with a header per example; then the user's unit test through vitest. One process
 * for all of them, so the SDK loads once. Exits non-zero if any example fails.
 *
 *   npm run examples
 */
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { example as accessToken } from "./access-token.js"
import { example as errorHandling } from "./error-handling.js"
import { example as incidentWorkflow } from "./incident-workflow.js"
import { example as metrics } from "./metrics.js"
import { example as paginationStream } from "./pagination-stream.js"
import { example as quickStart } from "./quick-start.js"
import { example as rateLimiting } from "./rate-limiting.js"
import { example as rawRequest } from "./raw-request.js"
import { example as retries } from "./retries.js"
import { type Example, runReported } from "./runtime.js"
import { example as sessionExport } from "./session-export.js"
import { example as webhookReceiver } from "./webhook-receiver.js"

const examples: ReadonlyArray<readonly [file: string, example: Example<unknown, unknown>]> = [
  ["quick-start.ts", quickStart],
  ["pagination-stream.ts", paginationStream],
  ["error-handling.ts", errorHandling],
  ["retries.ts", retries],
  ["rate-limiting.ts", rateLimiting],
  ["session-export.ts", sessionExport],
  ["access-token.ts", accessToken],
  ["incident-workflow.ts", incidentWorkflow],
  ["raw-request.ts", rawRequest],
  ["metrics.ts", metrics],
  ["webhook-receiver.ts", webhookReceiver]
]

const header = (title: string, file: string) => console.log(`\n━━ ${title}  (examples/${file})`)

const failed: Array<string> = []
for (const [file, example] of examples) {
  header(example.title, file)
  if (!(await runReported(example))) failed.push(file)
}

const unitTest = "incident-workflow.test.ts"
header("Your own unit test with FlashdutyTest", unitTest)
const vitest = fileURLToPath(new URL("../node_modules/vitest/vitest.mjs", import.meta.url))
const test = spawnSync(process.execPath, [vitest, "run", `examples/${unitTest}`], {
  cwd: fileURLToPath(new URL("..", import.meta.url)),
  stdio: "inherit"
})
if (test.status !== 0) failed.push(unitTest)

const total = examples.length + 1
console.log(
  failed.length === 0
    ? `\nall ${total} examples ran`
    : `\n${failed.length} of ${total} examples failed: ${failed.join(", ")}`
)
process.exitCode = failed.length === 0 ? 0 : 1
