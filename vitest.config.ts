import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

// vitest 5's failure summary calls Map.groupBy, which Node 20 lacks (Node 21+): without
// this, a failing run crashes its reporter and hides which test failed.
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
  resolve: {
    // The examples import the package by its name, as a user would (tsconfig.json maps it the same way).
    alias: [
      { find: /^effect-flashduty$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
      {
        find: /^effect-flashduty\/testing$/,
        replacement: fileURLToPath(new URL("./src/testing/index.ts", import.meta.url))
      },
      {
        find: /^effect-flashduty\/node$/,
        replacement: fileURLToPath(new URL("./src/node/index.ts", import.meta.url))
      },
      {
        find: /^effect-flashduty\/([a-z0-9-]+)$/,
        replacement: `${fileURLToPath(new URL("./src/generated/services/", import.meta.url))}$1.ts`
      }
    ]
  },
  test: {
    include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000
  }
})
