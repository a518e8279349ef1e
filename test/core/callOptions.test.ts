/**
 * Per-call options are checked once, before anything is sent: a bad value is an
 * `InvalidParameter` naming the option (`path: "options.<name>"`), never a defect and
 * never a silently disabled limit.
 */
import { assert, describe, it } from "@effect/vitest"
import { Duration, Redacted, Result, Schedule } from "effect"
import { Retry } from "../../src/index.js"
import { checkCallOptions, noCallOptions } from "../../src/pipeline/callOptions.js"

const op = "incidentList"

/** The InvalidParameter of a refused options object. */
const refused = (options: unknown, extra?: ReadonlyArray<"maxLineBytes">) => {
  const result = checkCallOptions(op, options, extra)
  if (Result.isSuccess(result)) return assert.fail(`accepted: ${String(options)}`)
  return result.failure
}

/** The checked options of an accepted options object. */
const accepted = (options: unknown, extra?: ReadonlyArray<"maxLineBytes">) => {
  const result = checkCallOptions(op, options, extra)
  if (Result.isFailure(result)) return assert.fail(result.failure.message)
  return result.success
}

const assertRefused = (
  options: unknown,
  name: string,
  why: RegExp,
  extra?: ReadonlyArray<"maxLineBytes">
) => {
  const error = refused(options, extra)
  assert.strictEqual(error._tag, "InvalidParameter")
  assert.strictEqual(error.operationId, op)
  assert.strictEqual(error.path, `options.${name}`)
  assert.match(error.message, new RegExp(`^${op}: invalid call option ${name}: `))
  assert.match(error.message, /\(nothing was sent\)$/)
  assert.match(error.message, why)
  assert.isUndefined(error.status)
  return error
}

describe("checkCallOptions", () => {
  it("no options: one shared constant, the same every call (no allocation)", () => {
    const first = checkCallOptions(op, undefined)
    assert.isTrue(Result.isSuccess(first))
    assert.strictEqual(checkCallOptions(op, undefined), first)
    assert.strictEqual(checkCallOptions("other", undefined, ["maxLineBytes"]), first)
    if (Result.isSuccess(first)) assert.strictEqual(first.success, noCallOptions)
    assert.deepStrictEqual(
      { ...noCallOptions },
      {
        retry: undefined,
        timeout: undefined,
        headers: undefined,
        maxResponseBytes: undefined,
        maxLineBytes: undefined,
        retryIdempotentWrites: undefined,
        bearerToken: undefined
      }
    )
  })

  it("an object with no call option set answers the same shared constant", () => {
    assert.strictEqual(accepted({}), noCallOptions)
    assert.strictEqual(accepted({ timeout: undefined, headers: undefined }), noCallOptions)
    assert.strictEqual(accepted({ maxLineBytes: 10 }), noCallOptions)
  })

  it("valid options come back parsed: timeout as a Duration, header names lower-cased", () => {
    const retry = Retry.backoff({ maxRetries: 1 })
    const checked = accepted({
      retry,
      timeout: "5 seconds",
      headers: { "X-Trace-Id": "abc", Accept: "application/json" },
      maxResponseBytes: 1024
    })
    assert.strictEqual(checked.retry, retry)
    assert.isTrue(Duration.isDuration(checked.timeout))
    assert.strictEqual(Duration.toMillis(checked.timeout!), 5000)
    assert.deepStrictEqual(checked.headers, { "x-trace-id": "abc", accept: "application/json" })
    assert.strictEqual(checked.maxResponseBytes, 1024)
    assert.isUndefined(checked.maxLineBytes)
  })

  it("every Duration.Input form of a positive finite timeout is accepted", () => {
    for (const timeout of [
      250,
      "2 minutes",
      Duration.seconds(3),
      [1, 500] as const,
      { seconds: 2 },
      1_000_000n,
      0.5
    ]) {
      const checked = accepted({ timeout })
      assert.isTrue(Duration.isPositive(checked.timeout!), String(timeout))
    }
  })

  it("retry: false and any Schedule are accepted", () => {
    assert.strictEqual(accepted({ retry: false }).retry, false)
    const schedule = Schedule.recurs(2)
    assert.strictEqual(accepted({ retry: schedule }).retry, schedule)
  })

  describe("timeout", () => {
    it("a string that is no duration is refused, echoed (truncated)", () => {
      const error = assertRefused({ timeout: "soon" }, "timeout", /"soon"/)
      assert.match(error.message, /10 seconds/)
      const long = assertRefused({ timeout: `x${"y".repeat(500)}` }, "timeout", /"xyyy/)
      assert.isBelow(long.message.length, 300)
    })

    for (const [label, timeout] of [
      ["NaN", Number.NaN],
      ["-1", -1],
      ["0", 0],
      ["-0", -0],
      ["0n", 0n],
      ["zero Duration", Duration.zero],
      ['"0 seconds"', "0 seconds"],
      ['"-5 seconds"', "-5 seconds"],
      ["[NaN, 0]", [Number.NaN, 0]],
      ["{ seconds: NaN }", { seconds: Number.NaN }],
      ["{}", {}],
      ["-Infinity", Number.NEGATIVE_INFINITY]
    ] as const) {
      it(`${label} is refused (a request would abort at once)`, () => {
        assertRefused({ timeout }, "timeout", /positive/)
      })
    }

    for (const [label, timeout] of [
      ["Infinity", Number.POSITIVE_INFINITY],
      ['"Infinity"', "Infinity"],
      ["Duration.infinity", Duration.infinity]
    ] as const) {
      it(`${label} is refused with a hint for a very long timeout`, () => {
        assertRefused({ timeout }, "timeout", /finite.*"1 day"/)
      })
    }

    for (const [label, timeout] of [
      ["true", true],
      ["null", null],
      ["a symbol", Symbol("t")],
      ["a function", () => 1],
      ["[1]", [1]]
    ] as const) {
      it(`${label} is refused, not a defect`, () => {
        assertRefused({ timeout }, "timeout", /duration/)
      })
    }
  })

  describe("maxResponseBytes and maxLineBytes", () => {
    for (const [label, value] of [
      ["NaN", Number.NaN],
      ["0", 0],
      ["-1", -1],
      ["1.5", 1.5],
      ["Infinity", Number.POSITIVE_INFINITY],
      ["2^53", 2 ** 53],
      ['"1024"', "1024"],
      ["null", null]
    ] as const) {
      it(`maxResponseBytes ${label} is refused (the cap would be off)`, () => {
        assertRefused({ maxResponseBytes: value }, "maxResponseBytes", /positive whole number/)
      })
      it(`maxLineBytes ${label} is refused where the operation takes it`, () => {
        assertRefused({ maxLineBytes: value }, "maxLineBytes", /positive whole number/, ["maxLineBytes"])
      })
    }

    it("maxLineBytes is returned where the operation takes it, ignored elsewhere", () => {
      assert.strictEqual(accepted({ maxLineBytes: 4096 }, ["maxLineBytes"]).maxLineBytes, 4096)
      assert.isUndefined(accepted({ maxLineBytes: Number.NaN }).maxLineBytes)
    })

    it("Number(process.env.UNSET) is refused, naming the option", () => {
      const error = assertRefused(
        { maxLineBytes: Number(process.env.EFFECT_FLASHDUTY_SURELY_UNSET) },
        "maxLineBytes",
        /NaN/,
        ["maxLineBytes"]
      )
      assert.strictEqual(error.path, "options.maxLineBytes")
    })
  })

  describe("retry", () => {
    for (const [label, retry] of [
      ["true", true],
      ["null", null],
      ["a number", 3],
      ["a plain object", { times: 3 }]
    ] as const) {
      it(`${label} is refused`, () => {
        assertRefused({ retry }, "retry", /Schedule.*false/)
      })
    }
  })

  describe("headers", () => {
    for (const [label, headers, why] of [
      ["CR/LF in a value", { "x-a": "a\r\nx-injected: 1" }, /control character/],
      ["LF in a value", { "x-a": "a\nb" }, /control character/],
      ["NUL in a value", { "x-a": "a\u0000b" }, /control character/],
      ["another control character", { "x-a": "a\u0001b" }, /control character/],
      ["a character beyond Latin-1", { "x-a": "日本" }, /Latin-1/],
      ["a space in a name", { "x a": "1" }, /not a valid header name/],
      ["a colon in a name", { "x-a:": "1" }, /not a valid header name/],
      ["CR/LF in a name", { "x-a\r\nx-b": "1" }, /not a valid header name/],
      ["an empty name", { "": "1" }, /not a valid header name/],
      ["a number value", { "x-a": 1 }, /must map each name to a string/],
      ["an undefined value", { "x-a": undefined }, /must map each name to a string/],
      ["the same name twice", { "X-A": "1", "x-a": "2" }, /twice/],
      ["authorization", { Authorization: "Bearer other" }, /authorization.*transformClient/],
      ["host", { host: "example.com" }, /HTTP client/],
      ["content-length", { "Content-Length": "5" }, /HTTP client/],
      ["transfer-encoding", { "transfer-encoding": "chunked" }, /HTTP client/],
      ["connection", { connection: "close" }, /HTTP client/],
      ["keep-alive", { "keep-alive": "1" }, /HTTP client/],
      ["upgrade", { upgrade: "h2c" }, /HTTP client/],
      ["expect", { expect: "100-continue" }, /HTTP client/],
      ["a string", "x-a: 1", /record/],
      ["an array", [["x-a", "1"]], /record/],
      ["a Map", new Map([["x-a", "1"]]), /record/],
      ["null", null, /record/]
    ] as const) {
      it(`${label} is refused`, () => {
        assertRefused({ headers }, "headers", why)
      })
    }

    it("a refused value is never echoed (it may be a secret)", () => {
      const secret = "s3cr3t-value-4b1d"
      const error = refused({ headers: { "x-api-key": `${secret}\r\n` } })
      assert.notInclude(error.message, secret)
      assert.notInclude(JSON.stringify(error), secret)
      assert.include(error.message, "x-api-key")
    })

    it("a name with CR/LF is echoed escaped, never raw", () => {
      const error = refused({ headers: { "x\r\ninjected": "1" } })
      assert.notInclude(error.message, "\r")
      assert.notInclude(error.message, "\n")
    })

    it("tabs, Latin-1 and surrounding spaces in values are accepted", () => {
      assert.deepStrictEqual(
        accepted({ headers: { "X-A": "a\tb", "x-b": "café", "x-c": " pad " } }).headers,
        {
          "x-a": "a\tb",
          "x-b": "café",
          "x-c": " pad "
        }
      )
    })

    it("a header named __proto__ is kept, not swallowed", () => {
      const headers = JSON.parse('{"__proto__": "x"}')
      assert.deepStrictEqual(Object.entries(accepted({ headers }).headers!), [["__proto__", "x"]])
    })

    it("an effect/http Headers record (null prototype) is accepted", () => {
      const headers = Object.assign(Object.create(null), { "X-A": "1" })
      assert.deepStrictEqual(accepted({ headers }).headers, { "x-a": "1" })
    })
  })

  describe("the options object itself", () => {
    for (const [label, options] of [
      ["null", null],
      ["a string", "fast"],
      ["an array", []],
      ["a number", 1]
    ] as const) {
      it(`${label} is refused`, () => {
        const error = refused(options)
        assert.strictEqual(error._tag, "InvalidParameter")
        assert.strictEqual(error.path, "options")
        assert.match(error.message, /^incidentList: invalid call options: .*\(nothing was sent\)$/)
      })
    }

    it("unknown keys are ignored (special operations carry their own options)", () => {
      assert.deepStrictEqual({ ...accepted({ pageSize: 3 }) }, { ...noCallOptions })
    })

    it("getters that throw are InvalidParameter, not a defect", () => {
      const options = {
        get timeout(): never {
          throw new Error("boom")
        }
      }
      assertRefused(options, "timeout", /could not be read/)
    })

    it("a Redacted value anywhere is refused without being revealed", () => {
      const error = refused({ headers: { "x-a": Redacted.make("top-secret-1") } })
      assert.notInclude(JSON.stringify(error) + error.message, "top-secret-1")
    })
  })
})
