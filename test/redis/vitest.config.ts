/**
 * The Redis suite (`npm run test:redis`): only `test/redis/*.redis.ts`, which `npm test` never
 * runs (its files end in `.test.ts`). `scripts/withRedis.ts` starts the `redis-server` it
 * needs and sets `REDIS_URL`; without it the suite fails, it never skips. Everything else (the
 * package aliases, Node 20's `Map.groupBy` for vitest) is the main config's.
 */
import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"
import base from "../../vitest.config.js"

export default defineConfig({
  ...base,
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    ...base.test,
    include: ["test/redis/**/*.redis.ts"],
    // The suites spawn processes and time them: one file at a time, on a 2-core machine.
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 60_000
  }
})
