#!/usr/bin/env node
// Runs the stand-in CLI: the built one (dist/) in an installed package; in a source
// checkout that was not built, the TypeScript source through tsx (a dev dependency).
import { existsSync } from "node:fs"

const built = new URL("../dist/testing/bin.js", import.meta.url)
if (existsSync(built)) {
  await import(built.href)
} else {
  const { register } = await import("tsx/esm/api")
  register()
  await import(new URL("../src/testing/bin.ts", import.meta.url).href)
}
