/**
 * `effect-flashduty-standin`: the stand-in as a command, for examples and benchmarks
 * in another process.
 *
 * ```sh
 * npx effect-flashduty-standin --port 0 --incidents 200 --rate-limits
 * # effect-flashduty-standin listening on http://127.0.0.1:43121 (app key: standin-app-key)
 *
 * # credentials it accepts, kept out of the process list:
 * FLASHDUTY_STANDIN_ACCESS_TOKEN="$TOKEN" npx effect-flashduty-standin --port 0
 * npx effect-flashduty-standin --port 0 --access-token-file tokens.txt --app-key-file app-key.txt
 * FLASHDUTY_STANDIN_TRIGGER_TOKEN="$TRIGGER_TOKEN" npx effect-flashduty-standin --port 0
 * # effect-flashduty-standin listening on http://127.0.0.1:43122
 * ```
 *
 * Credentials: bearer tokens add up from `FLASHDUTY_STANDIN_ACCESS_TOKEN` (separated by
 * commas or newlines), each `--access-token-file` (one per line; blank lines and `#`
 * comments skipped) and each `--access-token`. Automation trigger tokens (the bearer token of
 * `POST /safari/automation/triggers/{trigger_id}/fire`, which takes no app key) add up the
 * same way from `FLASHDUTY_STANDIN_TRIGGER_TOKEN`, `--trigger-token-file` and
 * `--trigger-token`; none given: the spec's example rule's `http_post_token`. The app key is `--app-key` or
 * `--app-key-file` (its first line that is not blank or a `#` comment); both given and
 * different is an error; else `FLASHDUTY_STANDIN_APP_KEY` (overridden by either, with a
 * note on stderr); else `standin-app-key`. The flags are visible to every local user in
 * the process list: prefer the variables or the files. A file that
 * cannot be read or holds no value, or two different app keys, exits with code 2 and a
 * one-line message that names the option and the path, never the value.
 *
 * Webhooks: with `--webhook-url`, every change of an incident's state is posted there as
 * Flashduty's incident webhook posts it (`i_new`, `i_ack`, …; a retry after a timeout), with the
 * headers from `FLASHDUTY_STANDIN_WEBHOOK_HEADERS` (`Name: value` lines), each
 * `--webhook-header-file` (the same lines) and each `--webhook-header` (visible in the process
 * list); `--webhook-faults` adds webhook fault rules. Header values are never printed.
 *
 * The first line on stdout names the URL, so a parent process can read it (the app key
 * is appended only when it is the well-known default; a token is never printed); the
 * server stops on SIGINT/SIGTERM.
 */
import { readFileSync } from "node:fs"
import { parseArgs } from "node:util"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Redacted from "effect/Redacted"
import { headerValueProblem } from "../pipeline/optionRules.js"
import type { FaultRule } from "./Fault.js"
import { FlashdutyStandIn } from "./FlashdutyStandIn.js"
import { DEFAULT_APP_KEY } from "./StandInEngine.js"
import type { WebhookFaultRule } from "./WebhookFault.js"

const TOKEN_ENV = "FLASHDUTY_STANDIN_ACCESS_TOKEN"
const APP_KEY_ENV = "FLASHDUTY_STANDIN_APP_KEY"
const TRIGGER_TOKEN_ENV = "FLASHDUTY_STANDIN_TRIGGER_TOKEN"
const WEBHOOK_HEADERS_ENV = "FLASHDUTY_STANDIN_WEBHOOK_HEADERS"

const usage = `Usage: effect-flashduty-standin [options]

  --port <n>                      port on 127.0.0.1 (default 0: a free port)
  --host <addr>                   address to bind (default 127.0.0.1)
  --incidents <n>                 generated incidents (default 30)
  --transcript-lines <n>          events per exported transcript (default 200)
  --transcript-bytes <n>          instead: transcript size in bytes (e.g. 1073741824)
  --rate-limits                   enforce each operation's documented rate limit
  --seed <seed>                   seed for generated data and fault probabilities
  --faults <file.json>            fault rules: a JSON array of
                                  { operationId?, path?, skip?, times?, probability?, fault }
  --webhook-url <url>             post incident webhooks there (i_new, i_ack, i_rslv, …) on
                                  every change of an incident's state, as Flashduty does
  --webhook-header-file <path>    headers of every webhook, one "Name: value" per line
                                  (blank lines and # comment lines skipped); repeatable
  --webhook-header <Name: value>  a header of every webhook; repeatable (visible in the
                                  process list)
  --webhook-faults <file.json>    webhook fault rules: a JSON array of
                                  { eventType?, incidentId?, skip?, times?, probability?, fault }
  --help                          this text

Credentials it accepts. Prefer the variables or the files: a value given as a flag is
visible to every local user in the process list.
  ${TOKEN_ENV}  bearer token(s), separated by commas or newlines
  ${APP_KEY_ENV}       app key
  ${TRIGGER_TOKEN_ENV} automation trigger token(s), separated by commas or newlines
  ${WEBHOOK_HEADERS_ENV} headers of every webhook (a shared secret), one
                                  "Name: value" per line
  --access-token-file <path>      bearer tokens, one per line (blank lines and # comment
                                  lines skipped); repeatable
  --app-key-file <path>           app key: the file's first line that is not blank or # comment
  --trigger-token-file <path>     automation trigger tokens, one per line (as
                                  --access-token-file); repeatable
  --access-token <token>          a bearer token; repeatable (visible in the process list)
  --app-key <key>                 app key (visible in the process list)
  --trigger-token <token>         an automation trigger token; repeatable (visible in the
                                  process list)

  Tokens from all sources are accepted together (default: none). The app key is
  --app-key or --app-key-file (both given: they must agree), else ${APP_KEY_ENV},
  else ${DEFAULT_APP_KEY}. A request authenticates with ?app_key=<key> or with
  Authorization: Bearer <token>. An automation trigger
  (POST /safari/automation/triggers/{trigger_id}/fire) authenticates only with
  Authorization: Bearer <trigger token>, never the app key; trigger tokens from all
  sources are accepted together (default: the spec's example rule's http_post_token).
  No key or token is ever printed, except the default key.
`

/** A mistake in how the command was called: exit code 2, one line on stderr (plus the usage when `showUsage`). */
class CommandError extends Error {
  constructor(
    message: string,
    readonly showUsage = false
  ) {
    super(message)
  }
}

const integer = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) {
    throw new CommandError(`--${name} expects a non-negative integer, got ${value}`, true)
  }
  return n
}

const unreadable: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a directory",
  ENOTDIR: "a part of the path is not a directory"
}

/** The file's text; an error naming the option and the path (never the content) when it cannot be read. */
const readText = (option: string, path: string): string => {
  try {
    return readFileSync(path, "utf8")
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason = (code !== undefined ? unreadable[code] : undefined) ?? code ?? "unknown error"
    throw new CommandError(`${option} ${path}: cannot read the file (${reason})`)
  }
}

/** The file's lines, trimmed, without blank lines and `#` comment lines. */
const secretLines = (option: string, path: string): Array<string> =>
  readText(option, path)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))

/** The tokens of a `--access-token-file` or `--trigger-token-file` (`option`); at least one. */
const tokensFromFile =
  (option: string) =>
  (path: string): Array<string> => {
    const tokens = secretLines(option, path)
    if (tokens.length === 0) {
      throw new CommandError(`${option} ${path}: no token in the file (only blank or # lines)`)
    }
    return tokens
  }

const appKeyFromFile = (path: string): string => {
  const [key] = secretLines("--app-key-file", path)
  if (key === undefined) {
    throw new CommandError(`--app-key-file ${path}: no app key in the file (only blank or # lines)`)
  }
  return key
}

/** A flag's value, trimmed; an empty one is a mistake (the message does not repeat it). */
const flagValue = (option: string, value: string): string => {
  const trimmed = value.trim()
  if (trimmed === "") throw new CommandError(`${option} is empty`)
  return trimmed
}

/** The variable's values, separated by commas or newlines; unset or blank: none. */
const envValues = (name: string, separator: RegExp): Array<string> =>
  (process.env[name] ?? "")
    .split(separator)
    .map((value) => value.trim())
    .filter((value) => value !== "")

/** The app key: `--app-key` or `--app-key-file` (which must agree), else the variable, else the default. */
const resolveAppKey = (flag: string | undefined, file: string | undefined): string => {
  const fromFlag = flag === undefined ? undefined : flagValue("--app-key", flag)
  const fromFile = file === undefined ? undefined : appKeyFromFile(file)
  if (fromFlag !== undefined && fromFile !== undefined && fromFlag !== fromFile) {
    throw new CommandError("--app-key and --app-key-file give different app keys: pass only one of them")
  }
  const explicit = fromFlag ?? fromFile
  const [fromEnv] = envValues(APP_KEY_ENV, /\r?\n/)
  if (explicit !== undefined && fromEnv !== undefined && fromEnv !== explicit) {
    const winner = fromFlag !== undefined ? "--app-key" : "--app-key-file"
    process.stderr.write(`effect-flashduty-standin: ${APP_KEY_ENV} is ignored: ${winner} takes precedence\n`)
  }
  return explicit ?? fromEnv ?? DEFAULT_APP_KEY
}

const parse = () => {
  try {
    return parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "app-key": { type: "string" },
        "app-key-file": { type: "string" },
        "access-token": { type: "string", multiple: true },
        "access-token-file": { type: "string", multiple: true },
        "trigger-token": { type: "string", multiple: true },
        "trigger-token-file": { type: "string", multiple: true },
        incidents: { type: "string" },
        "transcript-lines": { type: "string" },
        "transcript-bytes": { type: "string" },
        "rate-limits": { type: "boolean" },
        seed: { type: "string" },
        faults: { type: "string" },
        "webhook-url": { type: "string" },
        "webhook-header": { type: "string", multiple: true },
        "webhook-header-file": { type: "string", multiple: true },
        "webhook-faults": { type: "string" },
        help: { type: "boolean" }
      }
    }).values
  } catch (error) {
    // A stray positional argument may be a secret meant for a flag: it is not repeated.
    const code = (error as NodeJS.ErrnoException).code
    throw new CommandError(
      code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL"
        ? "unexpected argument (not shown): every value follows its --option"
        : (error as Error).message,
      true
    )
  }
}

const faultRules = <A>(option: string, path: string): ReadonlyArray<A> => {
  const text = readText(option, path)
  let rules: unknown
  try {
    rules = JSON.parse(text)
  } catch {
    // JSON.parse's message quotes the text: not repeated, in case the wrong file was passed.
    rules = undefined
  }
  if (!Array.isArray(rules)) throw new CommandError(`${option} ${path}: not a JSON array of fault rules`)
  return rules as ReadonlyArray<A>
}

/** The webhook target's URL: http or https. Only the origin and path are ever printed. */
const webhookUrl = (value: string): URL => {
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    throw new CommandError("--webhook-url is not a URL (not shown)")
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CommandError(`--webhook-url must be an http:// or https:// URL, got ${url.protocol}`)
  }
  return url
}

/** An HTTP token (RFC 9110), what a header name must be. */
const headerName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** `Name: value` → [name, value]; the message names `where`, never the value. */
const headerLine = (where: string, line: string): readonly [string, string] => {
  const colon = line.indexOf(":")
  const name = colon < 0 ? "" : line.slice(0, colon).trim()
  const value = colon < 0 ? "" : line.slice(colon + 1).trim()
  if (!headerName.test(name)) throw new CommandError(`${where}: expected "Name: value" with a header name`)
  if (value === "") throw new CommandError(`${where}: the value of ${name} is empty`)
  const problem = headerValueProblem(value)
  if (problem !== undefined) throw new CommandError(`${where}: the value of ${name} ${problem} (not shown)`)
  return [name.toLowerCase(), value]
}

/** The webhook headers: the variable's lines, then each file's, then each flag (a later one wins). */
const webhookHeaders = (
  files: ReadonlyArray<string>,
  flags: ReadonlyArray<string>
): Record<string, Redacted.Redacted<string>> => {
  const headers: Record<string, Redacted.Redacted<string>> = {}
  const add = ([name, value]: readonly [string, string]) => {
    headers[name] = Redacted.make(value)
  }
  for (const line of envValues(WEBHOOK_HEADERS_ENV, /\r?\n/)) add(headerLine(WEBHOOK_HEADERS_ENV, line))
  for (const path of files) {
    for (const line of secretLines("--webhook-header-file", path))
      add(headerLine(`--webhook-header-file ${path}`, line))
  }
  for (const flag of flags) add(headerLine("--webhook-header", flag))
  return headers
}

const main = () => {
  const values = parse()
  if (values.help) {
    process.stdout.write(usage)
    return
  }
  const count = integer("incidents", values.incidents)
  const lines = integer("transcript-lines", values["transcript-lines"])
  const bytes = integer("transcript-bytes", values["transcript-bytes"])
  const port = integer("port", values.port)
  const faults = values.faults === undefined ? undefined : faultRules<FaultRule>("--faults", values.faults)
  const webhookFaults =
    values["webhook-faults"] === undefined
      ? undefined
      : faultRules<WebhookFaultRule>("--webhook-faults", values["webhook-faults"])
  const webhook = values["webhook-url"] === undefined ? undefined : webhookUrl(values["webhook-url"])
  const headers = webhookHeaders(values["webhook-header-file"] ?? [], values["webhook-header"] ?? [])
  if (webhook === undefined && (Object.keys(headers).length > 0 || webhookFaults !== undefined)) {
    throw new CommandError("--webhook-header, --webhook-header-file and --webhook-faults need --webhook-url")
  }
  const appKey = resolveAppKey(values["app-key"], values["app-key-file"])
  const accessTokens = [
    ...new Set([
      ...envValues(TOKEN_ENV, /[,\r\n]+/),
      ...(values["access-token-file"] ?? []).flatMap(tokensFromFile("--access-token-file")),
      ...(values["access-token"] ?? []).map((token) => flagValue("--access-token", token))
    ])
  ]
  const triggerTokens = [
    ...new Set([
      ...envValues(TRIGGER_TOKEN_ENV, /[,\r\n]+/),
      ...(values["trigger-token-file"] ?? []).flatMap(tokensFromFile("--trigger-token-file")),
      ...(values["trigger-token"] ?? []).map((token) => flagValue("--trigger-token", token))
    ])
  ]

  const program = Effect.scoped(
    Effect.gen(function* () {
      const { url } = yield* FlashdutyStandIn.serve({
        appKey: Redacted.make(appKey),
        accessTokens: accessTokens.map((token) => Redacted.make(token)),
        // None given: the engine's default (the spec's example rule's token).
        ...(triggerTokens.length === 0
          ? {}
          : { triggerTokens: triggerTokens.map((token) => Redacted.make(token)) }),
        ...(port === undefined ? {} : { port }),
        ...(values.host === undefined ? {} : { host: values.host }),
        ...(count === undefined ? {} : { incidents: { count } }),
        transcript: { ...(lines === undefined ? {} : { lines }), ...(bytes === undefined ? {} : { bytes }) },
        rateLimits: values["rate-limits"] === true,
        ...(values.seed === undefined ? {} : { seed: values.seed }),
        ...(faults === undefined ? {} : { faults }),
        ...(webhook === undefined ? {} : { webhook: { url: webhook.href, headers } }),
        ...(webhookFaults === undefined ? {} : { webhookFaults })
      })
      // The key is printed only when it is the well-known default: a custom key is the caller's
      // secret, and so is every token (never printed). Parents parse "listening on <url>".
      const keyHint = appKey === DEFAULT_APP_KEY ? ` (app key: ${DEFAULT_APP_KEY})` : ""
      process.stdout.write(`effect-flashduty-standin listening on ${url}${keyHint}\n`)
      if (webhook !== undefined) {
        // The origin and path only: a query string or user info may hold a secret.
        process.stdout.write(`effect-flashduty-standin webhooks to ${webhook.origin}${webhook.pathname}\n`)
      }
      return yield* Effect.never
    })
  )
  const fiber = Effect.runFork(program)
  const stop = () => {
    Effect.runFork(Fiber.interrupt(fiber))
  }
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
  fiber.addObserver((exit) => {
    if (exit._tag === "Failure" && !Cause.hasInterruptsOnly(exit.cause)) {
      process.stderr.write(`effect-flashduty-standin: ${String(exit.cause)}\n`)
      process.exitCode = 1
    }
  })
}

try {
  main()
} catch (error) {
  // One line, no stack trace: a mistake in the call (or a file) is not a bug to debug.
  const message = error instanceof Error ? error.message : String(error)
  const help =
    error instanceof CommandError && error.showUsage
      ? `\n${usage}`
      : "(effect-flashduty-standin --help lists the options)\n"
  process.stderr.write(`effect-flashduty-standin: ${message}\n${help}`)
  process.exitCode = 2
}
