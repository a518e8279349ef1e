/**
 * The redaction rules of `src/internal/redact.ts`, one by one: secrets of any length where
 * they stand as a value, sensitive key names on both sides of the false-positive line,
 * `env`/`headers` containers, header maps, and the size cap on logged bodies.
 */
import { assert, describe, it } from "@effect/vitest"
import {
  logBody,
  preview,
  redactJson,
  scrubHeaders,
  scrubText,
  scrubValue,
  sensitiveKey
} from "../../src/pipeline/redact.js"

const R = "<redacted>"
const LONG = "k9QzW2xYp7Lm-0042"
const SHORT = "abc"
const secrets = [LONG, SHORT]

describe("scrubText", () => {
  it("replaces a long secret anywhere, also URL-encoded", () => {
    const out = scrubText(`failed: key=${LONG}; x${LONG}y; ${encodeURIComponent("p@ss+word/1")}`, [
      LONG,
      "p@ss+word/1"
    ])
    assert.strictEqual(out, `failed: key=${R}; x${R}y; ${R}`)
  })

  it("scrubs a short secret as the whole value", () => {
    assert.strictEqual(scrubText(`  ${SHORT}\n`, secrets), R)
  })

  it("scrubs a short secret as a query value, whatever the parameter's name", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      [`https://h/x?app_key=${SHORT}`, `https://h/x?app_key=${R}`],
      [`https://h/x?a=1&token=${SHORT}#top`, `https://h/x?a=1&token=${R}#top`],
      [`GET /x?k=${SHORT}&q=1 failed`, `GET /x?k=${R}&q=1 failed`],
      [`"url":"/x?id=${SHORT}"`, `"url":"/x?id=${R}"`]
    ]
    for (const [input, expected] of cases) assert.strictEqual(scrubText(input, secrets), expected)
  })

  it("scrubs a short secret as a header line's value or a JSON string value", () => {
    assert.strictEqual(
      scrubText(`GET /x\nAuthorization: ${SHORT}\nX-Custom:${SHORT}  \nAccept: */*`, secrets),
      `GET /x\nAuthorization: ${R}\nX-Custom:${R}  \nAccept: */*`
    )
    assert.strictEqual(
      scrubText(`{"x":"${SHORT}","y" : "${SHORT}","z":"${SHORT}d"}`, secrets),
      `{"x":"${R}","y" : "${R}","z":"${SHORT}d"}`
    )
  })

  it("leaves a short secret inside ordinary words and values alone", () => {
    const text = `abcdef, xabc; ?q=abcdef&r=xabc; Label: abc_def; "k":"abcd ef"`
    assert.strictEqual(scrubText(text, secrets), text)
  })

  it("scrubs a short secret where it stands as a word of its own", () => {
    assert.strictEqual(
      scrubText(`token abc expired; <p>key abc</p>; (abc)`, secrets),
      `token ${R} expired; <p>key ${R}</p>; (${R})`
    )
  })

  it("redacts by name: sensitive query parameters, JSON pairs, credential headers, bearer tokens", () => {
    assert.strictEqual(
      scrubText(`/x?password=hunter2&X-Amz-Signature=f00&page=2`, []),
      `/x?password=${R}&X-Amz-Signature=${R}&page=2`
    )
    assert.strictEqual(
      scrubText(`{"client_secret":"s","max_tokens":"100","author":"ann"}`, []),
      `{"client_secret":"${R}","max_tokens":"100","author":"ann"}`
    )
    assert.strictEqual(
      scrubText(`Cookie: sid=1; x=2\nAuthorization: Bearer t.k`, []),
      `Cookie: ${R}\nAuthorization: ${R}`
    )
    assert.strictEqual(scrubText(`sent Bearer eyJ.abc-1`, []), `sent Bearer ${R}`)
  })

  it("keeps preview's shape: collapsed, scrubbed, cut", () => {
    assert.strictEqual(preview(`<p>\n ${LONG}  </p>`, secrets), `<p> ${R} </p>`)
    assert.strictEqual(preview("x".repeat(300), secrets, 10), `${"x".repeat(10)}…`)
  })
})

describe("scrubValue", () => {
  it("blanks a value equal to a secret of any length, else scrubs it as text", () => {
    assert.strictEqual(scrubValue(SHORT, secrets), R)
    assert.strictEqual(scrubValue(` ${SHORT} `, secrets), R)
    assert.strictEqual(scrubValue("a", ["a"]), R)
    // A short secret as a word of its own (here after a hyphen) is scrubbed; inside a word it is not.
    assert.strictEqual(scrubValue(`req-${SHORT}`, secrets), `req-${R}`)
    assert.strictEqual(scrubValue(`req${SHORT}`, secrets), `req${SHORT}`)
    assert.strictEqual(scrubValue(`req-${LONG}`, secrets), `req-${R}`)
    assert.strictEqual(scrubValue("anything", [""]), "anything")
  })
})

describe("scrubHeaders", () => {
  it("blanks credential headers and scrubs the others, on a copy", () => {
    const headers = {
      Authorization: "Bearer x",
      "proxy-authorization": "Basic y",
      cookie: "sid=1",
      "Set-Cookie": "sid=2",
      "x-api-key": "k",
      "X-App-Key": "k",
      "x-flashduty-app-key": "k",
      "x-csrf-token": "t",
      "x-request-id": SHORT,
      "x-echo": `key ${LONG}`,
      "content-type": "application/json",
      "www-authenticate": 'Bearer realm="api"'
    }
    assert.deepStrictEqual(scrubHeaders(headers, secrets), {
      Authorization: R,
      "proxy-authorization": R,
      cookie: R,
      "Set-Cookie": R,
      "x-api-key": R,
      "X-App-Key": R,
      "x-flashduty-app-key": R,
      "x-csrf-token": R,
      "x-request-id": R,
      "x-echo": `key ${R}`,
      "content-type": "application/json",
      "www-authenticate": 'Bearer realm="api"'
    })
    assert.strictEqual(headers.Authorization, "Bearer x")
  })
})

describe("sensitiveKey", () => {
  const sensitive = [
    ["api key", "api_key", "x-api-key", "apiKey", "APIKEY", "x-flashduty-app-key", "app_key"],
    ["access key", "access_key", "accessKey", "aws_secret_access_key"],
    ["password", "pwd", "tls_key_pwd", "passwd", "password", "basic_auth_password", "new.password"],
    ["auth", "auth", "AUTH", "auth_header", "authConfig", "basic_auth", "proxyAuth", "x-auth"],
    ["authorization", "authorization", "Proxy-Authorization"],
    ["token", "token", "access_token", "refresh_token", "id_token", "sessionToken", "verify_token"],
    ["bearer", "bearer", "bearer_token"],
    ["secret", "secret", "client_secret", "secret_key", "sign_secret", "webhookSecret"],
    ["keys", "private_key", "signing_key", "tls_key"],
    ["other", "credential", "credentials", "cookie", "set-cookie", "signature", "X-Amz-Signature"]
  ]
  const innocent = [
    "author",
    "author_ids",
    "authority",
    "oauth_metadata",
    "token_count",
    "tokens_used",
    "max_tokens",
    "input_tokens",
    "token_usage",
    "auth_mode",
    "auth_type",
    "secret_schema",
    "basic_auth_enabled",
    "basic_auth_username",
    "dedup_key",
    "alert_key",
    "bypass_window",
    "environment_id",
    "www-authenticate",
    "keyword"
  ]
  for (const [group, ...keys] of sensitive) {
    it(`flags ${group} keys`, () => {
      for (const key of keys) assert.isTrue(sensitiveKey.test(key!), key)
    })
  }
  it("keeps look-alikes that are not credentials", () => {
    for (const key of innocent) assert.isFalse(sensitiveKey.test(key), key)
  })
})

describe("redactJson", () => {
  it("redacts sensitive fields, keeps the rest, scrubs strings and keys", () => {
    const body = {
      title: `echo ${LONG}`,
      [LONG]: 1,
      auth_config: { api_key: "k", url: "https://x" },
      auth_mode: "per_user_secret",
      usage: { input_tokens: 12, max_tokens: 100 },
      author: "ann",
      items: [{ token: "t", id: 1 }]
    }
    assert.deepStrictEqual(redactJson(body, secrets), {
      title: `echo ${R}`,
      [R]: 1,
      auth_config: R,
      auth_mode: "per_user_secret",
      usage: { input_tokens: 12, max_tokens: 100 },
      author: "ann",
      items: [{ token: R, id: 1 }]
    })
  })

  it("redacts every value under env and headers, keeping the keys", () => {
    const body = {
      env: { DB_URL: "postgres://u:p@h/db", MODE: "prod", nested: { A: 1, list: ["x", true] } },
      transport: { headers: { "X-Custom": "v", Accept: "json" }, request_headers: "X-Sig: v" },
      Headers: ["a", "b"],
      labels: { service: "api" }
    }
    assert.deepStrictEqual(redactJson(body, []), {
      env: { DB_URL: R, MODE: R, nested: { A: R, list: [R, R] } },
      transport: { headers: { "X-Custom": R, Accept: R }, request_headers: R },
      Headers: [R, R],
      labels: { service: "api" }
    })
  })

  it("keeps the depth and item bounds", () => {
    const long = Array.from({ length: 25 }, (_, i) => i)
    assert.deepStrictEqual((redactJson(long, []) as Array<unknown>).slice(19), [19, "… 5 more"])
    let deep: unknown = "leaf"
    for (let i = 0; i < 12; i++) deep = { d: deep }
    assert.include(JSON.stringify(redactJson(deep, [])), '"…"')
  })
})

describe("logBody", () => {
  it("returns the redacted value when its JSON is at most 2 KiB", () => {
    assert.deepStrictEqual(logBody({ password: "p", note: LONG }, secrets), { password: R, note: R })
  })

  it("returns a 2 KiB preview of the redacted JSON with the full size beyond that", () => {
    const body = { app_key: LONG, notes: Array.from({ length: 20 }, () => `${LONG} ${"x".repeat(200)}`) }
    const full = JSON.stringify(redactJson(body, secrets))
    const out = logBody(body, secrets)
    assert.isString(out)
    const text = out as string
    assert.isTrue(text.startsWith(full.slice(0, 2048)))
    assert.isTrue(text.endsWith(`… (${new TextEncoder().encode(full).length} bytes in all)`))
    assert.isBelow(text.length, 2048 + 40)
    assert.notInclude(text, LONG)
    const wide = logBody("é".repeat(1500), secrets) as string
    assert.isAtMost(new TextEncoder().encode(wide.slice(0, wide.indexOf("…"))).length, 2048)
    assert.isTrue(wide.endsWith("… (3002 bytes in all)"))
  })
})

describe("the reviewer's gaps", () => {
  const KEY = "REVIEWKEY-5f3a9c0e1b7d2468ace0"
  const SHORT_KEY = "q7x4"

  describe("preview scrubs before it cuts", () => {
    it("a secret straddling the old 4×max window never leaks, however much whitespace precedes it", () => {
      for (let at = 760; at <= 830; at++) {
        const html = `<html>\n${" ".repeat(at - 7)}upstream: ${KEY} </html>`
        const out = preview(html, [KEY])
        assert.notInclude(out, "REVIEWKEY", `key at ${at}`)
        assert.include(out, "upstream:")
        const dense = `${"x".repeat(at)}${KEY}`
        assert.notInclude(preview(dense, [KEY], 1000), "REVIEWKEY", `dense key at ${at}`)
      }
    })

    it("a value redacted by name is never cut apart from its name", () => {
      const page = `<pre>${" ".repeat(760)}"password":"${"hunter2".repeat(20)}"</pre>`
      assert.notInclude(preview(page, []), "hunter2")
      const line = `<pre>${" ".repeat(760)}password=${"hunter2".repeat(20)}</pre>`
      assert.notInclude(preview(line, []), "hunter2")
    })

    it("collapsing whitespace cannot form a secret that contains whitespace", () => {
      const secret = "two words-0042"
      assert.notInclude(preview("say two\n\t words-0042 now", [secret]), "words-0042")
      assert.notInclude(scrubText("say two\n\t words-0042 now", [secret]), "words-0042")
    })
  })

  describe("logBody scrubs the JSON text before it cuts", () => {
    it("a numeric secret echoed as a JSON number is redacted, whole or cut", () => {
      assert.deepStrictEqual(redactJson({ id: 12345, n: 12, ok: true, list: [12345] }, ["12345"]), {
        id: R,
        n: 12,
        ok: true,
        list: [R]
      })
      assert.deepStrictEqual(logBody({ id: 12345 }, ["12345"]), { id: R })
      for (let pad = 2020; pad <= 2040; pad++) {
        const out = JSON.stringify(logBody({ pad: "x".repeat(pad), id: 123456789012 }, ["123456789012"]))
        assert.notInclude(out, "1234567", `pad ${pad}`)
      }
    })

    it("in free text, a JSON number is a value too: a short secret, or under a sensitive name", () => {
      assert.strictEqual(scrubText('{"id":12345,"n":1}', ["12345"]), `{"id":"${R}","n":1}`)
      assert.strictEqual(
        scrubText('{"app_key":98765,"max_tokens":5}', []),
        `{"app_key":"${R}","max_tokens":5}`
      )
    })

    it("a numeric secret too long for a double is still recognised", () => {
      const secret = "12345678901234567890123456789012"
      const echoed = JSON.parse(`{"echo":${secret},"other":12345678901234000000000000000000}`)
      assert.deepStrictEqual(redactJson(echoed, [secret]), { echo: R, other: 1.2345678901234e31 })
    })

    it("a secret spanning values in the JSON text is scrubbed from that text", () => {
      const secret = "7,8,9,10,11"
      const out = logBody({ list: [7, 8, 9, 10, 11] }, [secret])
      assert.notInclude(JSON.stringify(out), secret)
    })
  })

  describe("scrubHeaders scrubs names", () => {
    it("a name containing a secret loses the secret (any case), names stay unique", () => {
      const hex = "0123456789abcdef0123456789abcdef"
      const hex2 = "fedcba9876543210fedcba9876543210"
      // Header names arrive lower-cased, whatever the case of the key.
      const out = scrubHeaders(
        {
          [`x-${hex}`]: "1",
          [`x-${hex2}`]: "2",
          [hex]: "3",
          [`x-${hex}-b`]: "4",
          "x-<redacted>": "already",
          [`x-${SHORT_KEY}`]: "5",
          [SHORT_KEY]: "6",
          "content-type": "text/plain"
        },
        [hex.toUpperCase(), hex2, SHORT_KEY]
      )
      const names = Object.keys(out)
      for (const name of names) {
        assert.notInclude(name, hex)
        assert.notInclude(name, hex2)
        assert.notInclude(name, SHORT_KEY)
      }
      assert.strictEqual(new Set(names).size, names.length)
      assert.strictEqual(names.length, 8)
      assert.strictEqual(out["x-<redacted>"], "already")
      assert.strictEqual(out["x-<redacted>-b"], "4")
      assert.strictEqual(out["content-type"], "text/plain")
      assert.sameMembers(Object.values(out), ["1", "2", "3", "4", "already", "5", "6", "text/plain"])
    })

    it("a short secret inside a longer name segment is left alone", () => {
      assert.deepStrictEqual(Object.keys(scrubHeaders({ "x-q7x4z": "1" }, [SHORT_KEY])), ["x-q7x4z"])
    })
  })

  describe("a sensitive parameter is scrubbed at any word start", () => {
    it("after the start, whitespace, quotes, punctuation or ?&;,", () => {
      const cases: ReadonlyArray<readonly [string, string]> = [
        ["bad app_key=q7x4", `bad app_key=${R}`],
        ["app_key=q7x4", `app_key=${R}`],
        ["appkey=q7x4 and more", `appkey=${R} and more`],
        [`"access_token=abc.def"`, `"access_token=${R}"`],
        ["(token=zz; next)", `(token=${R}; next)`],
        // A value runs to whitespace or a separator: a password may hold `)`.
        ["(token=zz) next", `(token=${R} next`],
        ["a=1,token=zz,b=2", `a=1,token=${R},b=2`],
        ["x; password=p4ss; y", `x; password=${R}; y`],
        ['cd: x; secret="a b c"; y', `cd: x; secret="${R}"; y`],
        ["url /x?page=1&X-Amz-Signature=f00", `url /x?page=1&X-Amz-Signature=${R}`]
      ]
      for (const [input, expected] of cases) assert.strictEqual(scrubText(input, []), expected, input)
      assert.strictEqual(scrubValue("app_key=q7x4", []), `app_key=${R}`)
      assert.strictEqual(scrubText(`bad app_key=NOT-${KEY}-listed`, [KEY]), `bad app_key=${R}`)
      assert.deepStrictEqual(scrubHeaders({ "x-echo": "app_key=q7x4" }, []), { "x-echo": `app_key=${R}` })
    })

    it("not a parameter whose name only contains a credential word", () => {
      const text = "max_tokens=5 tokens=3 token_count=2 author=ann auth_mode=basic keyword=x"
      assert.strictEqual(scrubText(text, []), text)
    })
  })

  describe("a short secret as a parameter's whole value", () => {
    it("quoted or not, ending at ; , & a quote, whitespace or the end", () => {
      const cases: ReadonlyArray<readonly [string, string]> = [
        [`attachment; filename="${SHORT_KEY}"`, `attachment; filename="${R}"`],
        [`attachment; filename='${SHORT_KEY}'; size=1`, `attachment; filename='${R}'; size=1`],
        [`filename=${SHORT_KEY}`, `filename=${R}`],
        [`x; token=${SHORT_KEY}`, `x; token=${R}`],
        [`a=${SHORT_KEY}, b=${SHORT_KEY}&c=1`, `a=${R}, b=${R}&c=1`],
        [`v = ${SHORT_KEY} ok`, `v = ${R} ok`]
      ]
      for (const [input, expected] of cases)
        assert.strictEqual(scrubText(input, [SHORT_KEY]), expected, input)
    })

    it("not when the value only starts or ends with it", () => {
      const text = `filename=${SHORT_KEY}_v2 x=a${SHORT_KEY} y="${SHORT_KEY}z"`
      assert.strictEqual(scrubText(text, [SHORT_KEY]), text)
    })
  })
})
