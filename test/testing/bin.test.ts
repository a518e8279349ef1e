import { spawn } from "node:child_process"
import { once } from "node:events"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"

const bin = fileURLToPath(new URL("../../bin/effect-flashduty-standin.js", import.meta.url))

describe("effect-flashduty-standin (the command)", () => {
  it.live("prints its URL first, serves the API, and stops on SIGTERM", () =>
    Effect.promise(async () => {
      const child = spawn(process.execPath, [bin, "--port", "0", "--incidents", "3"], {
        stdio: ["ignore", "pipe", "pipe"]
      })
      try {
        const [first] = (await once(child.stdout, "data")) as [Buffer]
        const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(first.toString())?.[1]
        assert.isString(url)
        const response = await fetch(`${url}/member/info?app_key=standin-app-key`, {
          method: "POST",
          body: "{}"
        })
        assert.strictEqual(response.status, 200)
        const unauthorized = await fetch(`${url}/member/info?app_key=wrong`, { method: "POST", body: "{}" })
        assert.strictEqual(unauthorized.status, 401)
      } finally {
        child.kill("SIGTERM")
      }
      const [code, signal] = await once(child, "exit")
      assert.isTrue(code === 0 || signal === "SIGTERM", `exit ${code} ${signal}`)
    })
  )

  it.live("rejects a bad option with usage and exit code 2", () =>
    Effect.promise(async () => {
      const child = spawn(process.execPath, [bin, "--port", "x"], { stdio: ["ignore", "pipe", "pipe"] })
      let stderr = ""
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString()
      })
      const [code] = await once(child, "exit")
      assert.strictEqual(code, 2)
      assert.include(stderr, "--port expects a non-negative integer")
    })
  )
})
