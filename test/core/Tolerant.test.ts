import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Schema, SchemaParser } from "effect"
import { endpoints as dataQueryEndpoints, RumDataQueryResponse } from "../../src/generated/DataQuery.js"
import { examples } from "../../src/generated/examples.js"
import { decoderOf } from "../../src/pipeline/schemaCodec.js"
import { firstProblem } from "../../src/pipeline/schemaIssue.js"
import { resolveLazy } from "../../src/runtime/LazySchema.js"
import { normalFormOf } from "../../src/runtime/normalForm.js"
import { compilesWhole } from "../../src/runtime/structPreparer.js"
import * as Tolerant from "../../src/runtime/Tolerant.js"
import { type Timestamp, Timestamp as TimestampSchema } from "../../src/Timestamp.js"
import { ok } from "./fakeHttp.js"
import { withClient } from "./harness.js"

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

describe("Tolerant.struct prepares its whole tree in one pass (times, nested objects, their items)", () => {
  interface Person {
    readonly person_id?: number
    readonly assigned_at?: Timestamp
  }
  interface Incident {
    readonly start_time?: Timestamp
    readonly owner?: Person
    readonly responders: ReadonlyArray<Person>
    readonly by_team: { readonly [key: string]: Person }
  }
  const Person = Tolerant.struct<Person>(() => ({
    person_id: Schema.optionalKey(Schema.Number),
    assigned_at: Schema.optionalKey(TimestampSchema)
  }))
  const Incident = Tolerant.struct<Incident>(() => ({
    start_time: Schema.optionalKey(TimestampSchema),
    owner: Tolerant.optional(Person),
    responders: Tolerant.requiredArray(Person),
    by_team: Tolerant.requiredRecord(Person)
  }))
  const Page = Tolerant.lazy<ReadonlyArray<Incident>>(() => Tolerant.array(Incident))
  const compiled = (input: unknown) =>
    Effect.runSyncExit(decoderOf(Page as Schema.Codec<unknown, unknown>)(input))
  const interpreted = Schema.decodeUnknownExit(Page)
  const wire = [
    {
      start_time: 1712000000,
      owner: { person_id: 1, assigned_at: null, x: 1 },
      responders: [{ person_id: 2, assigned_at: "2024-04-01T00:00:00Z" }],
      by_team: { a: { assigned_at: 0 } }
    },
    { start_time: null, owner: null, responders: null }
  ]

  it("decodes nested times and repairs nested nulls, compiled or not, without touching the input", () => {
    const copy = structuredClone(wire)
    const decoders: ReadonlyArray<(input: unknown) => Exit.Exit<unknown, unknown>> = [compiled, interpreted]
    for (const decode of decoders) {
      const exit = decode(wire)
      assert.isTrue(Exit.isSuccess(exit))
      const [first, second] = (exit as Exit.Success<ReadonlyArray<Incident>>).value
      assert.strictEqual(first!.start_time?.epoch, 1712000000)
      assert.isTrue(first!.owner?.assigned_at?.isUnset)
      assert.deepStrictEqual(Object.keys(first!.owner!), ["person_id", "assigned_at"])
      assert.strictEqual(first!.responders[0]!.assigned_at?.epoch, 1711929600)
      assert.isTrue(first!.by_team.a!.assigned_at?.isUnset)
      assert.isTrue(second!.start_time?.isUnset)
      assert.deepStrictEqual([second!.owner, second!.responders, second!.by_team], [undefined, [], {}])
      assert.isFalse("owner" in second!)
    }
    assert.deepStrictEqual(wire, copy)
  })

  it("encodes back to the wire values", () => {
    const decoded = Schema.decodeUnknownSync(Page)(wire)
    const encoded = Schema.encodeUnknownSync(Page)(decoded) as ReadonlyArray<Record<string, unknown>>
    assert.strictEqual(encoded[0]!.start_time, 1712000000)
    assert.deepStrictEqual(encoded[0]!.responders, [{ person_id: 2, assigned_at: "2024-04-01T00:00:00Z" }])
    assert.deepStrictEqual(encoded[1], { start_time: null, responders: [], by_team: {} })
  })

  it("a bad nested value fails with its path and a time's message", () => {
    const issueOf = [
      (input: unknown) => decoderOf(Page as Schema.Codec<unknown, unknown>)(input),
      (input: unknown) => SchemaParser.decodeUnknownEffect(Page)(input)
    ]
    for (const bad of [true, "not a date", {}, Number.POSITIVE_INFINITY]) {
      const input = [{ responders: [{ person_id: 1 }, { assigned_at: bad }] }]
      for (const decode of issueOf) {
        const problem = firstProblem(Effect.runSync(Effect.flip(decode(input))))
        assert.strictEqual(problem.path, "0.responders.1.assigned_at", String(bad))
        assert.match(problem.message, /an epoch number/)
      }
    }
  })
})

describe("a struct with a field the JIT cannot compile whole (a union with a tolerant member)", () => {
  interface Mixed {
    readonly to?: string | ReadonlyArray<string>
    readonly at?: Timestamp
    readonly ids: ReadonlyArray<number>
  }
  const Mixed = Tolerant.struct<Mixed>(() => ({
    to: Tolerant.optional(Tolerant.union([Schema.String, Tolerant.array(Schema.String)])),
    at: Schema.optionalKey(TimestampSchema),
    ids: Tolerant.requiredArray(Schema.Number)
  }))
  const decoders = [
    (input: unknown) => decoderOf(Mixed as Schema.Codec<unknown, unknown>)(input),
    (input: unknown) => SchemaParser.decodeUnknownEffect(Mixed)(input)
  ]

  it("still repairs nulls, converts times and reports a bad value's path", () => {
    for (const decode of decoders) {
      const value = Effect.runSync(decode({ to: ["a"], at: 1712000000, ids: null })) as Mixed
      assert.deepStrictEqual([value.to, value.at?.epoch, value.ids], [["a"], 1712000000, []])
      assert.isFalse("to" in (Effect.runSync(decode({ to: null })) as Mixed))
      const problem = firstProblem(Effect.runSync(Effect.flip(decode({ at: true }))))
      assert.strictEqual(problem.path, "at")
    }
  })
})

describe("Tolerant.union of plain members and tolerant collections", () => {
  interface U {
    readonly a?: string | ReadonlyArray<string>
    readonly b?: string | null | ReadonlyArray<string>
  }
  const U = Tolerant.struct<U>(() => ({
    a: Schema.optionalKey(Tolerant.union([Schema.String, Tolerant.array(Schema.String)])),
    b: Schema.optionalKey(
      Tolerant.union([Tolerant.union([Schema.NullOr(Schema.String)]), Tolerant.array(Schema.String)])
    )
  }))

  it("decodes null as the union would: to the first member that takes it", () => {
    for (const decode of [
      (input: unknown) => decoderOf(U as Schema.Codec<unknown, unknown>)(input),
      (input: unknown) => SchemaParser.decodeUnknownEffect(U)(input)
    ]) {
      assert.deepStrictEqual(Effect.runSync(decode({ a: null, b: null })), { a: [], b: null })
      assert.deepStrictEqual(Effect.runSync(decode({ a: "x", b: ["y"] })), { a: "x", b: ["y"] })
      assert.strictEqual(firstProblem(Effect.runSync(Effect.flip(decode({ a: 1 })))).path, "a")
    }
  })
})

describe("Go maps of pointers: a null value in a map decodes to the empty value of its type", () => {
  // Go encodes a nil entry of a `map[string]*T` (or `map[string][]T`) as `null`; its zero value is
  // the empty object (array), decoded through the value's own tolerant schema, the key kept.
  interface Item {
    readonly ids: ReadonlyArray<number>
    readonly labels: { readonly [key: string]: string }
    readonly name?: string
    readonly at?: Timestamp
  }
  const Item = Tolerant.struct<Item>(() => ({
    ids: Tolerant.requiredArray(Schema.Number),
    labels: Tolerant.requiredRecord(Schema.String),
    name: Schema.optionalKey(Schema.String),
    at: Schema.optionalKey(TimestampSchema)
  }))
  // A struct with nothing to prepare (no collection, no time): a plain `Schema.Struct` inside.
  const Plain = Tolerant.struct<{ readonly name?: string }>({ name: Schema.optionalKey(Schema.String) })
  interface Holder {
    readonly by_id: { readonly [key: string]: Item }
    readonly plain?: { readonly [key: string]: { readonly name?: string } }
    readonly lists?: { readonly [key: string]: ReadonlyArray<number> }
  }
  const Holder = Tolerant.struct<Holder>(() => ({
    by_id: Tolerant.requiredRecord(Item),
    plain: Schema.optionalKey(Tolerant.record(Plain)),
    lists: Schema.optionalKey(Tolerant.record(Tolerant.array(Schema.Number)))
  }))
  // The same fields in a struct the JIT cannot compile whole (a union with a tolerant member):
  // each field then decodes with its own schema, which must repair the same nulls.
  const Mixed = Tolerant.struct<Holder & { readonly to?: string | ReadonlyArray<string> }>(() => ({
    by_id: Tolerant.requiredRecord(Item),
    plain: Schema.optionalKey(Tolerant.record(Plain)),
    lists: Schema.optionalKey(Tolerant.record(Tolerant.array(Schema.Number))),
    to: Tolerant.optional(Tolerant.union([Schema.String, Tolerant.array(Schema.String)]))
  }))
  const ItemMap = Tolerant.lazy<{ readonly [key: string]: Item }>(() => Tolerant.record(Item))
  const PlainMap = Tolerant.record<{ readonly name?: string }>(Plain)
  const ItemPage = Tolerant.array<Item>(Item)

  // The executor's JIT-compiled decoder and the plain one must agree.
  const both = (schema: unknown) => {
    const codec = schema as Schema.Codec<unknown, unknown>
    return [(input: unknown) => decoderOf(codec)(input), SchemaParser.decodeUnknownEffect(codec)]
  }
  const decodeAll = (schema: unknown, input: unknown): Array<unknown> =>
    both(schema).map((decode) => {
      const exit = Effect.runSyncExit(decode(input))
      if (Exit.isFailure(exit))
        throw new Error(`expected success for ${JSON.stringify(input)}: ${String(exit)}`)
      return exit.value
    })
  const problemsOf = (schema: unknown, input: unknown) =>
    both(schema).map((decode) => firstProblem(Effect.runSync(Effect.flip(decode(input)))))
  const emptyItem = { ids: [], labels: {} }

  it("the generated RumDataQueryResponse: a nil query result decodes to an empty result, key kept", () => {
    const input = {
      errors_by_type: null,
      ok: { data: { fields: [{ name: "n", type: "UInt64", nullable: false }], values: [[1]] } }
    }
    const copy = structuredClone(input)
    for (const value of decodeAll(RumDataQueryResponse, input)) {
      const result = value as Record<string, unknown>
      assert.deepStrictEqual(Object.keys(result), ["errors_by_type", "ok"])
      assert.deepStrictEqual(result.errors_by_type, {})
      assert.deepStrictEqual(result.ok, input.ok)
    }
    assert.deepStrictEqual(input, copy)
    for (const value of decodeAll(RumDataQueryResponse, { a: null, b: { data: null, error: null } }))
      assert.deepStrictEqual(value, { a: {}, b: {} })
  })

  it.effect("rum-read-data-query answering {data: {errors_by_type: null}} succeeds through the client", () =>
    withClient(
      () => ok({ errors_by_type: null }),
      (client) =>
        Effect.gen(function* () {
          const { data } = yield* client.call(
            dataQueryEndpoints.query,
            examples["rum-read-data-query"]!.request as never
          )
          assert.deepStrictEqual(data, { errors_by_type: {} })
        })
    )
  )

  it("a map of objects: null decodes through the value's tolerant schema (required collections filled)", () => {
    for (const value of decodeAll(ItemMap, { a: null, b: { ids: [1], labels: null, x: 1 } }))
      assert.deepStrictEqual(value, { a: emptyItem, b: { ids: [1], labels: {} } })
    for (const value of decodeAll(PlainMap, { a: null, b: { name: "n", x: 1 } }))
      assert.deepStrictEqual(value, { a: {}, b: { name: "n" } })
    // A value the JIT cannot compile whole (its own fields decode one by one): the same repair.
    for (const value of decodeAll(Tolerant.record(Mixed), { a: null, b: { to: null, by_id: { c: null } } }))
      assert.deepStrictEqual(value, { a: { by_id: {} }, b: { by_id: { c: emptyItem } } })
  })

  it("as fields of a struct, compiled whole or not, eager or lazy, without touching the input", () => {
    const input = { by_id: { a: null, b: { ids: [2] } }, plain: { p: null }, lists: { l: null, m: [1] } }
    const copy = structuredClone(input)
    const expected = {
      by_id: { a: emptyItem, b: { ids: [2], labels: {} } },
      plain: { p: {} },
      lists: { l: [], m: [1] }
    }
    for (const schema of [Holder, Mixed]) {
      for (const value of decodeAll(schema, input)) {
        assert.deepStrictEqual(value, expected)
        assert.deepStrictEqual(Object.keys((value as Holder).by_id), ["a", "b"])
      }
    }
    assert.deepStrictEqual(input, copy)
  })

  it("a struct holding such a map still compiles whole (the JIT's fast path)", () => {
    for (const schema of [Holder, ItemMap, PlainMap, RumDataQueryResponse]) {
      const form = normalFormOf(resolveLazy(schema as Tolerant.Any))
      assert.isDefined(form)
      assert.isTrue(compilesWhole(form!.plain))
    }
  })

  it("the repaired value encodes as the empty value (never back to null)", () => {
    const decoded = Schema.decodeUnknownSync(Holder)({ by_id: { a: null }, plain: { p: null } })
    assert.deepStrictEqual(Schema.encodeUnknownSync(Holder)(decoded), {
      by_id: { a: emptyItem },
      plain: { p: {} }
    })
  })

  it("a bad value in a map still fails with its path", () => {
    for (const problem of problemsOf(Holder, { by_id: { a: { ids: ["x"] } } }))
      assert.strictEqual(problem.path, "by_id.a.ids.0")
    for (const problem of problemsOf(ItemMap, { a: 1 })) assert.strictEqual(problem.path, "a")
  })

  it("a null scalar in a map stays a failure (a `map[string]int` cannot send one); unknown keeps it", () => {
    for (const problem of problemsOf(Tolerant.record(Schema.Number), { a: 1, b: null }))
      assert.strictEqual(problem.path, "b")
    const Labels = Tolerant.struct<{ readonly labels: { readonly [key: string]: string } }>({
      labels: Tolerant.requiredRecord(Schema.String)
    })
    for (const problem of problemsOf(Labels, { labels: { a: null } }))
      assert.strictEqual(problem.path, "labels.a")
    for (const value of decodeAll(Tolerant.record(Schema.Unknown), { a: null }))
      assert.deepStrictEqual(value, { a: null })
  })

  it("null items of arrays stay as they are: an object item fails with its path, an array item is []", () => {
    for (const problem of problemsOf(ItemPage, [{ ids: [] }, null])) assert.strictEqual(problem.path, "1")
    for (const value of decodeAll(Tolerant.array(Tolerant.array(Schema.Number)), [null, [1]]))
      assert.deepStrictEqual(value, [[], [1]])
  })
})
