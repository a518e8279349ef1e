import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Schema, SchemaParser } from "effect"
import { decoderOf } from "../../src/internal/schemaCodec.js"
import * as Tolerant from "../../src/Tolerant.js"

interface Inner {
  readonly name?: string
}
const Inner = Tolerant.struct<Inner>({ name: Schema.optionalKey(Schema.String) })

interface Outer {
  readonly ids: ReadonlyArray<number>
  readonly labels: { readonly [key: string]: string }
  readonly tags?: ReadonlyArray<string>
  readonly extra?: { readonly [key: string]: unknown }
  readonly owner?: Inner
  readonly title?: string
}
const Outer = Tolerant.struct<Outer>({
  ids: Tolerant.requiredArray(Schema.Number),
  labels: Tolerant.requiredRecord(Schema.String),
  tags: Schema.optionalKey(Tolerant.array(Schema.String)),
  extra: Schema.optionalKey(Tolerant.record(Schema.Unknown)),
  owner: Tolerant.optional(Inner),
  title: Schema.optionalKey(Schema.String)
})

// The generated modules' form: every declaration built on first use, a list response as a
// lazy collection used as a field.
const LazyInner = Tolerant.struct<Inner>(() => ({ name: Schema.optionalKey(Schema.String) }))
const LazyTags = Tolerant.lazy<ReadonlyArray<string>>(() => Tolerant.array(Schema.String))
const LazyOuter = Tolerant.struct<Outer>(() => ({
  ids: Tolerant.requiredArray(Schema.Number),
  labels: Tolerant.requiredRecord(Schema.String),
  tags: Schema.optionalKey(LazyTags),
  extra: Schema.optionalKey(Tolerant.record(Schema.Unknown)),
  owner: Tolerant.optional(LazyInner),
  title: Schema.optionalKey(Schema.String)
}))

// The plain decoder and the executor's JIT-compiled one must agree, eager or lazy.
const decoders: Record<string, (input: unknown) => Exit.Exit<unknown, unknown>> = {
  interpreted: Schema.decodeUnknownExit(Outer),
  compiled: (input) => Effect.runSyncExit(decoderOf(Outer as Schema.Codec<unknown, unknown>)(input)),
  "lazy, interpreted": Schema.decodeUnknownExit(LazyOuter),
  "lazy, compiled": (input) =>
    Effect.runSyncExit(decoderOf(LazyOuter as Schema.Codec<unknown, unknown>)(input))
}

for (const [name, decodeExit] of Object.entries(decoders)) {
  const decode = (input: unknown) => {
    const exit = decodeExit(input)
    if (Exit.isFailure(exit))
      throw new Error(`expected success for ${JSON.stringify(input)}: ${String(exit)}`)
    return exit.value
  }

  describe(`Tolerant.struct (${name})`, () => {
    it("Go's nulls and missing keys decode to empty collections or absent keys", () => {
      const input = { ids: null, labels: null, tags: null, extra: null, owner: null, title: "t", unknown: 1 }
      assert.deepStrictEqual(decode(input), { ids: [], labels: {}, tags: [], extra: {}, title: "t" })
      assert.deepStrictEqual(decode({}), { ids: [], labels: {} })
    })

    it("present values decode as usual, unknown fields are dropped", () => {
      const input = {
        ids: [1, 2],
        labels: { a: "b" },
        tags: ["x"],
        extra: { k: 1 },
        owner: { name: "n", x: 1 }
      }
      assert.deepStrictEqual(decode(input), {
        ids: [1, 2],
        labels: { a: "b" },
        tags: ["x"],
        extra: { k: 1 },
        owner: { name: "n" }
      })
    })

    it("never modifies the caller's input", () => {
      const input = { ids: null, labels: null, owner: null }
      decode(input)
      assert.deepStrictEqual(input, { ids: null, labels: null, owner: null })
    })

    it("wrong types still fail", () => {
      for (const bad of [
        { ids: "1" },
        { ids: [1, "2"] },
        { labels: [] },
        { owner: 1 },
        { tags: 1 },
        null,
        [],
        "x"
      ]) {
        assert.isTrue(Exit.isFailure(decodeExit(bad)), JSON.stringify(bad))
      }
    })
  })
}

describe("Tolerant combinators on their own", () => {
  it("array and record accept null outside a struct (a response that is a list)", () => {
    assert.deepStrictEqual(Schema.decodeUnknownSync(Tolerant.array(Schema.String))(null), [])
    assert.deepStrictEqual(Schema.decodeUnknownSync(Tolerant.record(Schema.String))(null), {})
    assert.deepStrictEqual(Schema.decodeUnknownSync(Tolerant.array(Schema.String))(["a"]), ["a"])
  })

  it("a struct field wrapped in optionalKey repairs null but leaves a missing key missing", () => {
    const S = Tolerant.struct<{ readonly ids?: ReadonlyArray<number> }>({
      ids: Schema.optionalKey(Tolerant.requiredArray(Schema.Number))
    })
    assert.deepStrictEqual(Schema.decodeUnknownSync(S)({ ids: null }), { ids: [] })
    assert.deepStrictEqual(Schema.decodeUnknownSync(S)({}), {})
  })

  it("where new Function is refused (a strict Content-Security-Policy), the repair is the same", () => {
    const original = globalThis.Function
    globalThis.Function = function refused() {
      throw new EvalError("refused by the test")
    } as unknown as FunctionConstructor
    try {
      const S = Tolerant.struct<Outer>({
        ids: Tolerant.requiredArray(Schema.Number),
        labels: Tolerant.requiredRecord(Schema.String),
        tags: Schema.optionalKey(Tolerant.array(Schema.String)),
        owner: Tolerant.optional(Inner)
      })
      const input = { ids: null, tags: null, owner: null }
      assert.deepStrictEqual(Schema.decodeUnknownSync(S)(input), { ids: [], labels: {}, tags: [] })
      assert.deepStrictEqual(Schema.decodeUnknownSync(S)({ ids: [1], labels: { a: "b" } }), {
        ids: [1],
        labels: { a: "b" }
      })
      assert.deepStrictEqual(input, { ids: null, tags: null, owner: null })
    } finally {
      globalThis.Function = original
    }
  })
})

describe("Tolerant.lazy (and struct / strictStruct given a function of their fields)", () => {
  it("builds nothing until the schema is used, then builds once", () => {
    let builds = 0
    const Lazy = Tolerant.struct<{ readonly n?: number }>(() => {
      builds++
      return { n: Schema.optionalKey(Schema.Number) }
    })
    const Holder = Tolerant.struct<{ readonly inner?: { readonly n?: number } }>(() => ({
      inner: Tolerant.optional(Lazy)
    }))
    assert.strictEqual(builds, 0)
    assert.deepStrictEqual(Schema.decodeUnknownSync(Holder)({ inner: { n: 1, x: 2 } }), { inner: { n: 1 } })
    assert.deepStrictEqual(Schema.decodeUnknownSync(Lazy)({ n: 2 }), { n: 2 })
    assert.strictEqual(builds, 1)
  })

  it("is the schema it builds: same AST, same annotations, same failures with their path", () => {
    const Request = Tolerant.strictStruct<{ readonly limit: number }>(() => ({ limit: Schema.Int }))
    const eager = Tolerant.strictStruct<{ readonly limit: number }>({ limit: Schema.Int })
    assert.isTrue(Schema.isSchema(Request))
    assert.strictEqual(Request.ast, Request.ast)
    assert.strictEqual(Request.ast._tag, eager.ast._tag)
    assert.strictEqual(Request.annotate({ title: "Request" }).ast.annotations?.title, "Request")
    const failure = (schema: Schema.Codec<unknown, unknown>): string => {
      const exit = Effect.runSyncExit(SchemaParser.encodeUnknownEffect(schema)({ limit: 1.5 }))
      assert.isTrue(Exit.isFailure(exit))
      return String(exit)
    }
    const lazyFailure = failure(Request as Schema.Codec<unknown, unknown>)
    assert.include(lazyFailure, '["limit"]')
    assert.strictEqual(lazyFailure, failure(eager as Schema.Codec<unknown, unknown>))
  })

  it("a lazy collection used as a required field is repaired by the enclosing struct", () => {
    const Ids = Tolerant.lazy<ReadonlyArray<number>>(() => Tolerant.array(Schema.Number))
    const S = Tolerant.struct<{ readonly ids?: ReadonlyArray<number> }>(() => ({
      ids: Schema.optionalKey(Ids)
    }))
    const decode = (input: unknown) => Effect.runSync(decoderOf(S as Schema.Codec<unknown, unknown>)(input))
    assert.deepStrictEqual(decode({ ids: null }), { ids: [] })
    assert.deepStrictEqual(decode({}), {})
    assert.deepStrictEqual(Schema.decodeUnknownSync(Ids)(null), [])
  })
})
