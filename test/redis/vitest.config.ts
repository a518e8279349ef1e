/**
 * The Redis suite (`npm run test:redis`): only `test/redis/*.redis.ts`, which `npm test` never
 * runs (its files end in `.test.ts`). `scripts/withRedis.ts` starts the `redis-server` it
 * needs and sets `REDIS_URL`; without it the suite fails, it never skips.
 */
import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

// As in the main config: vitest 5's failure summary calls Map.groupBy, which Node 20 lacks.
if (typeof (Map as any).groupBy !== "function") {
  ;(Map as any).groupBy = <K, V>(
    items: Iterable<V>,
    key: (item: V, index: number) => K
  ): Map<K, Array<V>> => {
    const groups = new Map<K, Array<V>>()
    let index = 0
    for (const item of items) {
      const k = key(item, index++)
      const group = groups.get(k)
      if (group === undefined) groups.set(k, [item])
      else group.push(item)
    }
    return groups
  }
}

export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  resolve: {
    // As in the main config: `effect-flashduty` is the source (the workers import it by name).
    alias: [
      {
        find: /^effect-flashduty$/,
        replacement: fileURLToPath(new URL("../../src/index.ts", import.meta.url))
      },
      {
        find: /^effect-flashduty\/testing$/,
        replacement: fileURLToPath(new URL("../../src/testing/index.ts", import.meta.url))
      }
    ]
  },
  test: {
    include: ["test/redis/**/*.redis.ts"],
    // The suites spawn processes and time them: one file at a time, on a 2-core machine.
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 60_000
  }
})
