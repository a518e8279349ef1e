import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"

const bin = fileURLToPath(new URL("../../bin/effect-flashduty-standin.js", import.meta.url))

const dir = mkdtempSync(join(tmpdir(), "standin-bin-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Writes `text` to a new file in the test's directory and returns its path. */
const file = (name: string, text: string): string => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

/** The test process's environment without the stand-in's variables, plus `extra`. */
const childEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const env = { ...process.env }
  delete env.FLASHDUTY_STANDIN_ACCESS_TOKEN
  delete env.FLASHDUTY_STANDIN_APP_KEY
  delete env.FLASHDUTY_STANDIN_TRIGGER_TOKEN
  return { ...env, ...extra }
}

interface Output {
  readonly stdout: string
  readonly stderr: string
}

const collect = (child: ChildProcess): (() => Output) => {
  let stdout = ""
  let stderr = ""
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  return () => ({ stdout, stderr })
}

/**
 * Starts the command on a free port, runs `use` with its URL, stops it, and returns
 * what it wrote (after `use`, so that requests it answered are included).
 */
const withStandIn = async (
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  use: (url: string, output: () => Output) => Promise<void>
): Promise<Output> => {
  const child = spawn(process.execPath, [bin, "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: childEnv(env)
  })
  const output = collect(child)
  const exited = once(child, "exit")
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", () => {
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output().stdout)
        if (match?.[1] !== undefined) resolve(match[1])
      })
      child.once("exit", (code) => reject(new Error(`exited (${code}) before listening: ${output().stderr}`)))
    })
    await use(url, output)
  } finally {
    child.kill("SIGTERM")
  }
  await exited
  return output()
}

/** Runs the command expecting it to exit by itself (killed after 20 s if it starts serving). */
const runToExit = async (
  args: ReadonlyArray<string>,
  env: Record<string, string> = {}
): Promise<Output & { readonly code: number | null }> => {
  const child = spawn(process.execPath, [bin, "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: childEnv(env)
  })
  const output = collect(child)
  const timer = setTimeout(() => child.kill("SIGTERM"), 20_000)
  const [code] = (await once(child, "exit")) as [number | null]
  clearTimeout(timer)
  return { code, ...output() }
}

/** The status of `POST /member/info` with the given credential. */
const status = async (url: string, credential: { bearer: string } | { appKey: string }): Promise<number> => {
  const response =
    "bearer" in credential
      ? await fetch(`${url}/member/info`, {
          method: "POST",
          body: "{}",
          headers: { authorization: `Bearer ${credential.bearer}` }
        })
      : await fetch(`${url}/member/info?app_key=${encodeURIComponent(credential.appKey)}`, {
          method: "POST",
          body: "{}"
        })
  await response.arrayBuffer()
  return response.status
}

/** The status of firing an automation trigger (`trigger_id` `a/b`) with the given credential. */
const fireStatus = async (
  url: string,
  credential: { bearer: string } | { appKey: string }
): Promise<number> => {
  const path = `${url}/safari/automation/triggers/${encodeURIComponent("a/b")}/fire`
  const response =
    "bearer" in credential
      ? await fetch(path, {
          method: "POST",
          body: JSON.stringify({ text: "from the CLI test" }),
          headers: { authorization: `Bearer ${credential.bearer}`, "content-type": "application/json" }
        })
      : await fetch(`${path}?app_key=${encodeURIComponent(credential.appKey)}`, {
          method: "POST",
          body: "{}"
        })
  await response.arrayBuffer()
  return response.status
}

/** The `http_post_token` of the spec's example automation rule, accepted when no trigger token is given. */
const EXAMPLE_TRIGGER_TOKEN = "sat_yQ9p8V7n6M5k4J3h2G1f0E9d8C7b6A5z4Y3x2W1v0U"

const assertNotEchoed = (output: Output, secrets: ReadonlyArray<string>) => {
  for (const secret of secrets) {
    assert.notInclude(output.stdout, secret, "stdout echoes a secret")
    assert.notInclude(output.stderr, secret, "stderr echoes a secret")
  }
}

const noStackTrace = (stderr: string) => assert.notMatch(stderr, /\n\s+at /, `a stack trace: ${stderr}`)

describe("effect-flashduty-standin (the command)", () => {
  it.live("prints its URL first, serves the API, and stops on SIGTERM", () =>
    Effect.promise(async () => {
      const child = spawn(process.execPath, [bin, "--port", "0", "--incidents", "3"], {
        stdio: ["ignore", "pipe", "pipe"],
        env: childEnv()
      })
      try {
        const [first] = (await once(child.stdout, "data")) as [Buffer]
        assert.match(
          first.toString(),
          /^effect-flashduty-standin listening on http:\/\/127\.0\.0\.1:\d+ \(app key: standin-app-key\)\n/
        )
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
      const { code, stderr } = await runToExit(["--port", "x"])
      assert.strictEqual(code, 2)
      assert.include(stderr, "--port expects a non-negative integer")
    })
  )

  it.live("--help names the environment variables and the file options", () =>
    Effect.promise(async () => {
      const { code, stdout } = await runToExit(["--help"])
      assert.strictEqual(code, 0)
      for (const name of [
        "FLASHDUTY_STANDIN_ACCESS_TOKEN",
        "FLASHDUTY_STANDIN_APP_KEY",
        "FLASHDUTY_STANDIN_TRIGGER_TOKEN",
        "--access-token-file",
        "--app-key-file",
        "--trigger-token-file",
        "process list"
      ]) {
        assert.include(stdout, name)
      }
    })
  )

  it.live(
    "accepts access tokens from FLASHDUTY_STANDIN_ACCESS_TOKEN (commas or newlines) and does not echo them",
    () =>
      Effect.promise(async () => {
        const tokens = ["env-token-a1b2c3", "env-token-d4e5f6", "env-token-g7h8i9"]
        const output = await withStandIn(
          [],
          { FLASHDUTY_STANDIN_ACCESS_TOKEN: ` ${tokens[0]}, ${tokens[1]}\n${tokens[2]}\n` },
          async (url) => {
            for (const token of tokens) assert.strictEqual(await status(url, { bearer: token }), 200, token)
            assert.strictEqual(await status(url, { bearer: "env-token-wrong" }), 401)
            assert.strictEqual(await status(url, { appKey: "standin-app-key" }), 200)
          }
        )
        assertNotEchoed(output, tokens)
      })
  )

  it.live("accepts access tokens from --access-token-file, the flag and the environment together", () =>
    Effect.promise(async () => {
      const first = file("tokens-1.txt", "# the CI's tokens\n\n  file-token-111  \nfile-token-222\r\n   \n")
      const second = file("tokens-2.txt", "file-token-333\n# file-token-commented\n")
      const output = await withStandIn(
        ["--access-token-file", first, "--access-token-file", second, "--access-token", "flag-token-444"],
        { FLASHDUTY_STANDIN_ACCESS_TOKEN: "env-token-555" },
        async (url) => {
          for (const token of [
            "file-token-111",
            "file-token-222",
            "file-token-333",
            "flag-token-444",
            "env-token-555"
          ]) {
            assert.strictEqual(await status(url, { bearer: token }), 200, token)
          }
          assert.strictEqual(await status(url, { bearer: "file-token-commented" }), 401)
          assert.strictEqual(await status(url, { bearer: "# file-token-commented" }), 401)
          assert.strictEqual(await status(url, { bearer: "wrong-token" }), 401)
        }
      )
      assertNotEchoed(output, ["file-token-111", "file-token-222", "file-token-333", "env-token-555"])
    })
  )

  it.live("accepts the app key from --app-key-file and does not print it", () =>
    Effect.promise(async () => {
      const key = "file-app-key-0123456789abcdef"
      const path = file("app-key.txt", `\n  ${key}  \nsecond-line-ignored\n`)
      const output = await withStandIn(["--app-key-file", path], {}, async (url, current) => {
        assert.match(current().stdout, /^effect-flashduty-standin listening on http:\/\/127\.0\.0\.1:\d+\n/)
        assert.strictEqual(await status(url, { appKey: key }), 200)
        assert.strictEqual(await status(url, { appKey: "standin-app-key" }), 401)
        assert.strictEqual(await status(url, { appKey: "second-line-ignored" }), 401)
      })
      assertNotEchoed(output, [key])
    })
  )

  it.live("accepts the app key from FLASHDUTY_STANDIN_APP_KEY; --app-key-file takes precedence over it", () =>
    Effect.promise(async () => {
      const envKey = "env-app-key-aaaaaaaaaaaa"
      const fromEnv = await withStandIn([], { FLASHDUTY_STANDIN_APP_KEY: envKey }, async (url) => {
        assert.strictEqual(await status(url, { appKey: envKey }), 200)
        assert.strictEqual(await status(url, { appKey: "standin-app-key" }), 401)
      })
      assertNotEchoed(fromEnv, [envKey])

      const fileKey = "file-app-key-bbbbbbbbbbbb"
      const path = file("app-key-precedence.txt", `${fileKey}\n`)
      const both = await withStandIn(
        ["--app-key-file", path],
        { FLASHDUTY_STANDIN_APP_KEY: envKey },
        async (url) => {
          assert.strictEqual(await status(url, { appKey: fileKey }), 200)
          assert.strictEqual(await status(url, { appKey: envKey }), 401)
        }
      )
      assert.include(both.stderr, "FLASHDUTY_STANDIN_APP_KEY")
      assertNotEchoed(both, [envKey, fileKey])
    })
  )

  it.live(
    "refuses --app-key and --app-key-file that disagree, with exit code 2 and no key in the message",
    () =>
      Effect.promise(async () => {
        const path = file("app-key-conflict.txt", "file-app-key-cccccccccccc\n")
        const result = await runToExit(["--app-key", "flag-app-key-dddddddddddd", "--app-key-file", path])
        assert.strictEqual(result.code, 2)
        assert.include(result.stderr, "--app-key and --app-key-file give different app keys")
        noStackTrace(result.stderr)
        assertNotEchoed(result, ["file-app-key-cccccccccccc", "flag-app-key-dddddddddddd"])
      })
  )

  it.live("a missing or unreadable token file: a clear message, exit code 2, no token, no stack trace", () =>
    Effect.promise(async () => {
      const secrets = { FLASHDUTY_STANDIN_ACCESS_TOKEN: "env-token-zzzz9999" }
      const missing = join(dir, "no-such-tokens.txt")
      const result = await runToExit(
        ["--access-token", "flag-token-yyyy8888", "--access-token-file", missing],
        secrets
      )
      assert.strictEqual(result.code, 2)
      assert.include(result.stderr, "--access-token-file")
      assert.include(result.stderr, missing)
      assert.include(result.stderr, "cannot read")
      noStackTrace(result.stderr)
      assertNotEchoed(result, ["env-token-zzzz9999", "flag-token-yyyy8888"])

      const directory = join(dir, "a-directory")
      mkdirSync(directory, { recursive: true })
      const unreadable = await runToExit(["--access-token-file", directory], secrets)
      assert.strictEqual(unreadable.code, 2)
      assert.include(unreadable.stderr, "cannot read")
      noStackTrace(unreadable.stderr)
      assertNotEchoed(unreadable, ["env-token-zzzz9999"])
    })
  )

  it.live("accepts the example rule's trigger token by default, never the app key, on a trigger", () =>
    Effect.promise(async () => {
      await withStandIn([], {}, async (url) => {
        assert.strictEqual(await fireStatus(url, { bearer: EXAMPLE_TRIGGER_TOKEN }), 200)
        assert.strictEqual(await fireStatus(url, { appKey: "standin-app-key" }), 401)
        assert.strictEqual(await fireStatus(url, { bearer: "sat_wrong" }), 401)
      })
    })
  )

  it.live(
    "accepts trigger tokens from FLASHDUTY_STANDIN_TRIGGER_TOKEN, --trigger-token-file and the flag, and does not echo them",
    () =>
      Effect.promise(async () => {
        const path = file("trigger-tokens.txt", "# the rules' tokens\n  sat_file_333  \n\nsat_file_444\r\n")
        const output = await withStandIn(
          ["--trigger-token-file", path, "--trigger-token", "sat_flag_555"],
          { FLASHDUTY_STANDIN_TRIGGER_TOKEN: " sat_env_111,sat_env_222\n" },
          async (url) => {
            for (const token of [
              "sat_env_111",
              "sat_env_222",
              "sat_file_333",
              "sat_file_444",
              "sat_flag_555"
            ]) {
              assert.strictEqual(await fireStatus(url, { bearer: token }), 200, token)
            }
            // Configured tokens replace the example's; a trigger token is not an access token.
            assert.strictEqual(await fireStatus(url, { bearer: EXAMPLE_TRIGGER_TOKEN }), 401)
            assert.strictEqual(await fireStatus(url, { bearer: "# the rules' tokens" }), 401)
            assert.strictEqual(await status(url, { bearer: "sat_env_111" }), 401)
            assert.strictEqual(await status(url, { appKey: "standin-app-key" }), 200)
          }
        )
        assertNotEchoed(output, ["sat_env_111", "sat_env_222", "sat_file_333", "sat_file_444"])
      })
  )

  it.live("an empty or missing trigger token file: a clear message naming the option, exit code 2", () =>
    Effect.promise(async () => {
      const empty = file("empty-trigger-tokens.txt", "# none yet\n\n")
      const emptyResult = await runToExit(["--trigger-token-file", empty], {
        FLASHDUTY_STANDIN_TRIGGER_TOKEN: "sat_env_secret_777"
      })
      assert.strictEqual(emptyResult.code, 2)
      assert.include(emptyResult.stderr, "--trigger-token-file")
      assert.include(emptyResult.stderr, "no token")
      noStackTrace(emptyResult.stderr)
      assertNotEchoed(emptyResult, ["sat_env_secret_777"])

      const missing = join(dir, "no-such-trigger-tokens.txt")
      const missingResult = await runToExit(["--trigger-token-file", missing])
      assert.strictEqual(missingResult.code, 2)
      assert.include(missingResult.stderr, `--trigger-token-file ${missing}: cannot read`)
      noStackTrace(missingResult.stderr)
    })
  )

  it.live("an empty token file or app key file: a clear message and exit code 2", () =>
    Effect.promise(async () => {
      const empty = file("empty-tokens.txt", "# no tokens yet\n\n   \n")
      const tokens = await runToExit(["--access-token-file", empty])
      assert.strictEqual(tokens.code, 2)
      assert.include(tokens.stderr, "--access-token-file")
      assert.include(tokens.stderr, "no token")
      noStackTrace(tokens.stderr)

      const emptyKey = file("empty-app-key.txt", "\n \n")
      const key = await runToExit(["--app-key-file", emptyKey])
      assert.strictEqual(key.code, 2)
      assert.include(key.stderr, "--app-key-file")
      assert.include(key.stderr, "no app key")
      noStackTrace(key.stderr)

      const missingKey = await runToExit(["--app-key-file", join(dir, "no-such-key.txt")])
      assert.strictEqual(missingKey.code, 2)
      assert.include(missingKey.stderr, "cannot read")
      noStackTrace(missingKey.stderr)
    })
  )
})
