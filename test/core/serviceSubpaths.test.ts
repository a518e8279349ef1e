/**
 * `effect-flashduty/<service>`: one subpath per service, declared in `package.json` (a service
 * added by the generator fails here until its subpath is), exporting the service and every type
 * and schema of its module (the same objects the service module holds), plus the shared ones
 * it uses.
 */
import { readdirSync, readFileSync } from "node:fs"
import { assert, describe, it } from "@effect/vitest"
import { operations } from "../../src/generated/operations.js"

const root = new URL("../../", import.meta.url)
const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as {
  exports: Record<string, unknown>
}
const subpaths = readdirSync(new URL("src/generated/services/", root))
  .map((f) => f.replace(/\.ts$/, ""))
  .sort()

/** `Incidents` → `incidents`, as the generator names subpaths. */
const kebab = (className: string) => className.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()

describe("service subpaths", () => {
  it("package.json declares exactly one subpath per generated service entry", () => {
    const declared = Object.keys(pkg.exports)
      .filter((k) => ![".", "./testing", "./node", "./package.json"].includes(k))
      .map((k) => k.slice(2))
      .sort()
    assert.deepStrictEqual(declared, subpaths)
    for (const sub of subpaths)
      assert.deepStrictEqual(pkg.exports[`./${sub}`], {
        types: `./dist/generated/services/${sub}.d.ts`,
        default: `./dist/generated/services/${sub}.js`
      })
  })

  it("every service has one, named after its class", () => {
    const classes = new Set(operations.map((op) => op.service))
    assert.strictEqual(subpaths.length, classes.size)
  })

  for (const sub of subpaths) {
    it(`effect-flashduty/${sub} exports its service and every schema of its module`, async () => {
      const entry = (await import(
        /* @vite-ignore */ new URL(`src/generated/services/${sub}.ts`, root).href
      )) as Record<string, unknown>
      const className = Object.keys(entry).find((name) => kebab(name) === sub)
      assert.isDefined(className, `the service class of ${sub}`)
      const module = (await import(
        /* @vite-ignore */ new URL(`src/generated/${className}.ts`, root).href
      )) as Record<string, unknown>
      const models = Object.keys(module).filter((n) => n !== "endpoints" && n !== "make")
      assert.isAbove(models.length, 1)
      for (const name of models) assert.strictEqual(entry[name], module[name], `${sub}: ${name}`)
      assert.notProperty(entry, "endpoints")
      assert.notProperty(entry, "make")
    })
  }
})
