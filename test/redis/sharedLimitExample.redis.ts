/**
 * `examples/redis/shared-limit-workers.ts` (two worker processes sharing one limit through Redis)
 * runs as its header says, against the suite's Redis: together the workers keep to the
 * limit. `npm run examples` cannot run it (it needs Redis); this suite does.
 */
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "vitest"

const redisUrl = process.env.REDIS_URL
if (redisUrl === undefined || redisUrl === "") {
  throw new Error("REDIS_URL is not set: run this suite with `npm run test:redis`")
}

describe("examples/redis/shared-limit-workers.ts", () => {
  it("two workers, one budget: at most 5 requests in any rolling second", () => {
    const root = fileURLToPath(new URL("../..", import.meta.url))
    const run = spawnSync(process.execPath, ["--import", "tsx", "examples/redis/shared-limit-workers.ts"], {
      cwd: root,
      env: { ...process.env, REDIS_URL: redisUrl },
      encoding: "utf8",
      timeout: 60_000
    })
    assert.strictEqual(run.status, 0, `${run.stdout}\n${run.stderr}`)
    console.log(run.stdout)
    const summary = /(\d+) requests in [\d.]+s; at most (\d+) in any rolling second/.exec(run.stdout)
    assert.isNotNull(summary, run.stdout)
    assert.strictEqual(Number(summary![1]), 22, "each worker's warm-up call and its 10 calls")
    assert.isAtMost(Number(summary![2]), 5)
  })
})
