/**
 * Credentials in responses are secrets: the generator's secret fields decode to
 * `Redacted<string>` (`Tolerant.secret`), which no printing shows, while `Redacted.value` gives
 * the string back and encoding gives the wire value; the struct holding one still compiles whole.
 */
import { readFileSync } from "node:fs"
import { inspect } from "node:util"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Formatter, Inspectable, Redacted, Schema } from "effect"
import { secretFieldWhy } from "../../scripts/generator/secretFields.js"
import {
  type AutomationRuleItem,
  AutomationRuleItem as AutomationRuleItemSchema
} from "../../src/generated/Automations.js"
import { endpoints } from "../../src/generated/endpoints.js"
import { examples } from "../../src/generated/examples.js"
import { decoderOf } from "../../src/pipeline/schemaCodec.js"
import { resolveLazy } from "../../src/runtime/LazySchema.js"
import { normalFormOf } from "../../src/runtime/normalForm.js"
import { compilesWhole } from "../../src/runtime/structPreparer.js"
import * as Tolerant from "../../src/runtime/Tolerant.js"

const TOKEN = "fdtrig_s3cr3t_value_123"
const rule = { rule_id: "arule_1", name: "nightly", http_post_trigger_id: "trig_abc", http_post_token: TOKEN }
const decodeRule = Schema.decodeUnknownSync(
  endpoints["automation-rule-read-get"]!.response as Schema.Codec<AutomationRuleItem, unknown>
)

describe("a secret field of a response", () => {
  it("decodes to Redacted<string>: never printed, given back by Redacted.value", () => {
    const decoded = decodeRule(rule)
    // The type: `Redacted<string>` (a plain string would not compile here).
    const token: Redacted.Redacted<string> | undefined = decoded.http_post_token
    assert.isTrue(Redacted.isRedacted(token))
    assert.strictEqual(Redacted.value(token!), TOKEN)
    assert.strictEqual(String(token), "<redacted>")
    for (const printed of [
      JSON.stringify(decoded),
      Inspectable.toStringUnknown(decoded),
      Inspectable.toJson(decoded.http_post_token) as string,
      Formatter.format(decoded),
      inspect(decoded, { depth: 10 }),
      `${token}`
    ]) {
      assert.notInclude(printed, TOKEN)
      assert.include(printed, "redacted")
    }
    assert.strictEqual(decoded.name, "nightly")
  })

  it.effect("through the client's compiled decoder as well; the struct still compiles whole", () =>
    Effect.gen(function* () {
      const decode = decoderOf(AutomationRuleItemSchema as Schema.Codec<unknown, unknown>)
      const decoded = (yield* decode(rule)) as AutomationRuleItem
      assert.strictEqual(Redacted.value(decoded.http_post_token!), TOKEN)
      const form = normalFormOf(resolveLazy(AutomationRuleItemSchema))
      assert.isDefined(form, "the struct registered its normal form")
      assert.isTrue(compilesWhole(form!.plain))
    })
  )

  it("null or missing decode as absent; another type fails with its path", () => {
    assert.notProperty(decodeRule({ ...rule, http_post_token: null }), "http_post_token")
    assert.notProperty(decodeRule({ rule_id: "arule_1" }), "http_post_token")
    const exit = Schema.decodeUnknownExit(endpoints["automation-rule-read-get"]!.response)({
      ...rule,
      http_post_token: 42
    })
    assert.isTrue(Exit.isFailure(exit))
    assert.include(String(Exit.isFailure(exit) ? exit.cause : ""), "http_post_token")
  })

  it("encodes back to the wire string", () => {
    const schema = endpoints["automation-rule-read-get"]!.response as Schema.Codec<
      AutomationRuleItem,
      unknown
    >
    const encoded = Schema.encodeUnknownSync(schema)(decodeRule(rule)) as Record<string, unknown>
    assert.strictEqual(encoded.http_post_token, TOKEN)
  })

  it("inside lists and nested objects too (list of rules, schedule IM webhooks, data source payloads)", () => {
    const list = Schema.decodeUnknownSync(endpoints["automation-rule-read-list"]!.response)({
      rules: [rule]
    }) as any
    assert.strictEqual(Redacted.value(list.rules[0].http_post_token), TOKEN)
    assert.notInclude(JSON.stringify(list), TOKEN)
    const ds = Schema.decodeUnknownSync(endpoints["monit-datasource-read-info"]!.response)({
      id: 1,
      payload: { mysql: { password: "pw-1", tls_key_pwd: "pw-2" }, elasticsearch: { api_key: "k-1" } }
    }) as any
    assert.notInclude(JSON.stringify(ds), "pw-1")
    assert.strictEqual(Redacted.value(ds.payload.mysql.password), "pw-1")
    assert.strictEqual(Redacted.value(ds.payload.elasticsearch.api_key), "k-1")
  })

  it("every spec example with a secret still decodes and prints nothing of it", () => {
    for (const id of [
      "automation-rule-write-create",
      "monit-datasource-read-info",
      "channelCreate",
      "scheduleInfo"
    ]) {
      const data = (examples[id]?.response as { data?: unknown } | undefined)?.data
      const decoded = Schema.decodeUnknownSync(endpoints[id]!.response)(data)
      assert.isDefined(decoded, id)
    }
  })

  it("request fields stay plain strings (what a caller sends)", () => {
    const request = endpoints["monit-datasource-write-update"]!.request as Schema.Codec<unknown, unknown>
    const input = {
      type_ident: "mysql",
      name: "db",
      edge_cluster_name: "e",
      payload: { mysql: { password: "pw" } }
    }
    assert.isTrue(Exit.isSuccess(Schema.decodeUnknownExit(request)(input)))
  })
})

describe("Tolerant.secret on its own", () => {
  it("string ⇄ Redacted<string>", () => {
    const secret = Schema.decodeUnknownSync(Tolerant.secret)("abc")
    assert.strictEqual(Redacted.value(secret), "abc")
    assert.strictEqual(Schema.encodeSync(Tolerant.secret)(secret), "abc")
    assert.isTrue(Exit.isFailure(Schema.decodeUnknownExit(Tolerant.secret)(1)))
  })
})

describe("which fields are secrets", () => {
  const list = readFileSync(new URL("../../src/generated/SECRET_FIELDS.md", import.meta.url), "utf8")

  it("SECRET_FIELDS.md lists the credentials of the API's answers", () => {
    for (const [owner, field] of [
      ["AutomationRuleItem", "http_post_token"],
      ["ChannelItem", "external_report_token"],
      ["UpdateChannelResponse", "external_report_token"],
      ["DSMySQLConfig", "password"],
      ["DSPrometheusConfig", "basic_auth_password"],
      ["DSClickHouseConfig", "tls_key"],
      ["DSClickHouseConfig", "tls_key_pwd"],
      ["DSElasticSearchConfig", "api_key"],
      ["DSElasticSearchConfig", "service_token"],
      ["DSSLSConfig", "access_key_secret"],
      ["ScheduleImNotifySettings", "token"],
      ["ScheduleImNotifySettings", "verify_token"],
      ["ScheduleImNotifySettings", "sign_secret"],
      ["RumApplicationItem", "client_token"],
      ["WarRoomDataSourceItem", "integration_key"]
    ]) {
      assert.match(list, new RegExp(`\\| \`${owner}\` \\| \`${field}\` \\| `), `${owner}.${field}`)
    }
    assert.notInclude(list, "`access_key_id`")
    assert.notInclude(list, "| `Image` | `src` |")
  })

  it("the rule: names and descriptions of strings; not counters, IDs, flags or enums", () => {
    const str = (description = "") => ({ type: "string", description })
    assert.strictEqual(secretFieldWhy("X", "http_post_token", str()), "name")
    assert.strictEqual(secretFieldWhy("X", "tls_key_pwd", str()), "name")
    assert.strictEqual(secretFieldWhy("X", "hmac", str("The signing key of the webhook.")), "description")
    assert.isUndefined(secretFieldWhy("X", "access_key_id", str("Access Key ID.")))
    assert.isUndefined(secretFieldWhy("X", "token_count", { type: "integer" }))
    assert.isUndefined(secretFieldWhy("X", "is_token_set", { type: "boolean" }))
    assert.isUndefined(secretFieldWhy("X", "token_type", str("Token type.")))
    assert.isUndefined(
      secretFieldWhy("X", "auth_config", { type: "object", description: "secret values masked" })
    )
    assert.isUndefined(secretFieldWhy("X", "token", { type: "string", enum: ["a"] }))
  })
})
