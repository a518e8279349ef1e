/**
 * `toJsonText` and `toQueryParams` (src/internal/jsonText.ts): the JSON text of an encoded
 * request, byte-identical to `JSON.stringify` for what JSON can carry, and a problem naming
 * the field (never a throw) for what it would lose or corrupt.
 */
import { assert, describe, it } from "@effect/vitest"
import { Arbitrary, Effect, Result, Schema } from "effect"
import { type JsonProblem, toJsonText, toQueryParams } from "../../src/pipeline/jsonText.js"

// ---- helpers ---------------------------------------------------------------------------

const text = (value: unknown): string => {
  const result = toJsonText(value)
  if (Result.isFailure(result)) assert.fail(`unexpected problem: ${JSON.stringify(result.failure)}`)
  return result.success
}

const problem = (value: unknown): JsonProblem => {
  const result = toJsonText(value)
  if (Result.isSuccess(result)) assert.fail(`expected a problem, got ${result.success}`)
  return result.failure
}

/** Asserts the text equals `JSON.stringify` byte for byte. */
const sameAsStringify = (value: unknown) => assert.strictEqual(text(value), JSON.stringify(value))

const queryProblem = (value: unknown): JsonProblem => {
  const result = toQueryParams(value)
  if (Result.isSuccess(result)) assert.fail(`expected a problem, got ${JSON.stringify(result.success)}`)
  return result.failure
}

/** `toQueryParams` as buildRequest.ts had it before this module: the reference for valid input. */
const legacyQueryParams = (encoded: unknown): Array<readonly [string, string]> => {
  const scalar = (value: unknown): string =>
    typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value)
  const params: Array<readonly [string, string]> = []
  if (typeof encoded !== "object" || encoded === null) return params
  for (const [key, value] of Object.entries(encoded)) {
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) {
      for (const item of value) if (item !== undefined && item !== null) params.push([key, scalar(item)])
    } else {
      params.push([key, scalar(value)])
    }
  }
  return params
}

/** A seeded PRNG (mulberry32), so the hand-written generators below are reproducible. */
const prng = (seed: number) => {
  let state = seed >>> 0
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

class Point {
  readonly kind = "point"
  constructor(
    readonly x: number,
    readonly y: number
  ) {
    Object.defineProperty(this, "hidden", { value: "not enumerable", enumerable: false })
  }
  get norm() {
    return Math.hypot(this.x, this.y)
  }
}

const defineOwn = (target: object, key: string, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })

const strings = [
  "",
  "a",
  "é",
  'q"uote\\',
  "\u0000\u001f",
  "\u2028\u2029",
  "\ud800",
  "\udc00x",
  "😀",
  "</script>"
]
const numbers = [0, -0, 1, -1.5, 123.456, 1e21, 1e-7, 5e-324, Number.MAX_SAFE_INTEGER, -Number.MAX_VALUE]
const keys = ["a", "b", "10", "2", "0", "-1", "1.5", "__proto__", "a.b", "", "é", 'k"', "toJSON_"]

/** A JSON-safe value with the shapes JSON.stringify treats specially (toJSON, boxes, classes, undefined, sharing). */
const richValue = (random: () => number, depth: number, shared: Array<object>): unknown => {
  const pick = <A>(items: ReadonlyArray<A>): A => items[Math.floor(random() * items.length)]!
  const leaf = depth <= 0 || random() < 0.35
  if (leaf) {
    switch (Math.floor(random() * 9)) {
      case 0:
        return pick(strings)
      case 1:
        return pick(numbers)
      case 2:
        return random() < 0.5
      case 3:
        return null
      case 4:
        return new Date(Math.floor(random() * 4e12))
      case 5:
        return pick([new Number(pick(numbers)), new String(pick(strings)), new Boolean(random() < 0.5)])
      case 6:
        return { toJSON: (key: string) => `key:${key}` }
      case 7:
        return new Point(pick(numbers), pick(numbers))
      default:
        return shared.length > 0 ? pick(shared) : pick(strings)
    }
  }
  const size = Math.floor(random() * 5)
  if (random() < 0.4) {
    const array = Array.from({ length: size }, () => richValue(random, depth - 1, shared))
    shared.push(array)
    return array
  }
  const object: Record<string, unknown> = random() < 0.2 ? Object.create(null) : {}
  for (let i = 0; i < size; i++) {
    defineOwn(object, pick(keys), random() < 0.15 ? undefined : richValue(random, depth - 1, shared))
  }
  shared.push(object)
  return object
}

type Container = { readonly node: object; readonly path: ReadonlyArray<string> }

/** Every array and object of a JSON value, with its path. */
const containers = (root: unknown): Array<Container> => {
  const out: Array<Container> = []
  const walk = (node: unknown, path: ReadonlyArray<string>) => {
    if (node === null || typeof node !== "object") return
    out.push({ node, path })
    for (const [key, value] of Object.entries(node)) walk(value, [...path, key])
  }
  walk(root, [])
  return out
}

const poisons = [
  "NaN",
  "Infinity",
  "BigInt",
  "function",
  "Symbol",
  "Map",
  "Uint8Array",
  "cycle",
  "undefined"
] as const

const poisonValue = (kind: (typeof poisons)[number], container: object): unknown => {
  switch (kind) {
    case "NaN":
      return Number.NaN
    case "Infinity":
      return Number.NEGATIVE_INFINITY
    case "BigInt":
      return 7n
    case "function":
      return () => 1
    case "Symbol":
      return Symbol("s")
    case "Map":
      return new Map([["k", 1]])
    case "Uint8Array":
      return new Uint8Array([1])
    case "cycle":
      return container
    case "undefined":
      return undefined
  }
}

// ---- toJsonText: what JSON carries -------------------------------------------------------

describe("toJsonText: byte-identical to JSON.stringify", () => {
  it("primitives, strings that need escaping, and numbers in every notation", () => {
    for (const value of [...strings, ...numbers, true, false, null]) sameAsStringify(value)
    assert.strictEqual(text(-0), "0")
    assert.strictEqual(text("\ud800"), '"\\ud800"', "a lone surrogate is escaped, as JSON.stringify does")
  })

  it("keeps property order, integer-like keys first, as JSON.stringify does", () => {
    sameAsStringify({ b: 1, 10: "ten", a: [3, 2, 1], 2: "two", "-1": null, "1.5": true })
    assert.strictEqual(text({ b: 1, 2: 2, a: 3 }), '{"2":2,"b":1,"a":3}')
  })

  it("empty and nested containers", () => {
    for (const value of [{}, [], [[]], { a: {} }, [{}, [], { b: [[{ c: null }]] }]]) sameAsStringify(value)
  })

  it("omits undefined properties, as JSON.stringify does", () => {
    assert.strictEqual(text({ a: undefined, b: 1, c: undefined }), '{"b":1}')
    assert.strictEqual(text({ a: undefined }), "{}")
  })

  it("honours toJSON: a Date becomes its ISO string; toJSON gets the key and its result is walked", () => {
    const at = new Date(Date.UTC(2024, 3, 1, 19, 33, 20))
    assert.strictEqual(text({ at }), '{"at":"2024-04-01T19:33:20.000Z"}')
    const keyed = { toJSON: (key: string) => `key:${key}` }
    sameAsStringify({ a: keyed, list: [keyed, keyed] })
    assert.strictEqual(text(keyed), '"key:"')
    sameAsStringify({ wrapped: { toJSON: () => ({ inner: [1, { toJSON: () => "deep" }] }) } })
    assert.strictEqual(
      text({ a: { toJSON: () => undefined }, b: 1 }),
      '{"b":1}',
      "omitted, as JSON.stringify"
    )
  })

  it("a class instance is its own enumerable string keys (no getters, no hidden fields)", () => {
    assert.strictEqual(text(new Point(3, 4)), '{"x":3,"y":4,"kind":"point"}', "constructor order")
    sameAsStringify({ p: new Point(1, 2) })
  })

  it("null-prototype objects, boxed primitives and a Buffer (which has toJSON)", () => {
    const bare = Object.assign(Object.create(null), { z: 1, a: 2 })
    sameAsStringify(bare)
    sameAsStringify([new Number(2.5), new String("s"), new Boolean(false), new Number(-0)])
    sameAsStringify({ bytes: Buffer.from("hi") })
  })

  it("a shared (non-cyclic) reference is sent at each place", () => {
    const shared = { a: 1, list: [1, 2] }
    const value = { p: shared, q: shared, r: [shared, [shared]] }
    sameAsStringify(value)
  })

  it("a non-enumerable Symbol key is ignored", () => {
    const value = { a: 1 }
    Object.defineProperty(value, Symbol("meta"), { value: 1, enumerable: false })
    assert.strictEqual(text(value), '{"a":1}')
  })

  it("512 levels of nesting are fine", () => {
    let deep: unknown = 1
    for (let i = 0; i < 512; i++) deep = [deep]
    sameAsStringify(deep)
  })

  it.effect("property: any JSON value (Schema.Json) gives JSON.stringify's text, which parses back", () =>
    Effect.gen(function* () {
      const result = yield* Arbitrary.checkEffect(
        Arbitrary.schema(Schema.Json),
        (json) => {
          const out = toJsonText(json)
          return (
            Result.isSuccess(out) &&
            out.success === JSON.stringify(json) &&
            JSON.stringify(JSON.parse(out.success)) === out.success
          )
        },
        { runs: 300, size: 40, seed: "jsonText/schema-json" }
      )
      assert.isUndefined(Arbitrary.formatCheckFailure(result))
    })
  )

  it("property: values with toJSON, boxes, classes, Dates, undefined properties and shared references", () => {
    for (let seed = 1; seed <= 500; seed++) {
      const value = richValue(prng(seed), 5, [])
      const out = toJsonText(value)
      assert.isTrue(Result.isSuccess(out), `seed ${seed}`)
      if (Result.isSuccess(out)) assert.strictEqual(out.success, JSON.stringify(value), `seed ${seed}`)
    }
  })
})

// ---- toJsonText: what it refuses -----------------------------------------------------------

describe("toJsonText: problems name the field", () => {
  it("NaN and ±Infinity (JSON.stringify would send null)", () => {
    assert.deepStrictEqual(problem({ a: { b: Number.NaN } }), {
      path: "a.b",
      message: "NaN cannot be sent as JSON"
    })
    assert.deepStrictEqual(problem([1, Number.POSITIVE_INFINITY]), {
      path: "1",
      message: "Infinity cannot be sent as JSON"
    })
    assert.deepStrictEqual(problem(Number.NEGATIVE_INFINITY), {
      path: "",
      message: "-Infinity cannot be sent as JSON"
    })
    assert.strictEqual(problem({ n: new Number(Number.NaN) }).path, "n")
  })

  it("a BigInt (JSON.stringify would throw)", () => {
    const found = problem({ ids: [1, 2n] })
    assert.strictEqual(found.path, "ids.1")
    assert.include(found.message, "BigInt cannot be sent as JSON")
    assert.strictEqual(problem({ id: Object(3n) }).path, "id")
  })

  it("a function or a Symbol as a property value (JSON.stringify would drop it)", () => {
    const fn = problem({ labels: { env: "prod", check: () => true } })
    assert.strictEqual(fn.path, "labels.check")
    assert.include(fn.message, "function cannot be sent as JSON")
    const sym = problem({ labels: { env: Symbol("prod") } })
    assert.strictEqual(sym.path, "labels.env")
    assert.include(sym.message, "Symbol cannot be sent as JSON")
    assert.include(problem({ a: { toJSON: () => Symbol("x") } }).message, "Symbol")
  })

  it("undefined, a function or a Symbol as an array item (JSON.stringify would send null)", () => {
    const hole = problem({ items: [{ title: "a" }, undefined] })
    assert.strictEqual(hole.path, "items.1")
    assert.include(hole.message, "undefined")
    const sparse: Array<number> = new Array(3)
    sparse[0] = 1
    sparse[2] = 3
    assert.strictEqual(problem({ items: sparse }).path, "items.1", "a hole in a sparse array")
    assert.strictEqual(problem([() => 1]).path, "0")
    assert.strictEqual(problem([[Symbol("x")]]).path, "0.0")
    assert.strictEqual(problem([{ toJSON: () => undefined }]).path, "0")
  })

  it("undefined, a function or a Symbol at the root", () => {
    assert.strictEqual(problem(undefined).path, "")
    assert.include(problem(undefined).message, "undefined")
    assert.strictEqual(problem(() => 1).path, "")
    assert.strictEqual(problem(Symbol("x")).path, "")
  })

  it("a Symbol key (JSON.stringify would drop it)", () => {
    const found = problem({ labels: { env: "prod", [Symbol("team")]: "sre" } })
    assert.strictEqual(found.path, "labels.Symbol(team)")
    assert.include(found.message, "Symbol key")
  })

  it("a cycle, at the path where it closes; never a throw", () => {
    const root: Record<string, unknown> = { a: 1 }
    root.self = root
    assert.deepStrictEqual(problem(root), {
      path: "self",
      message: "refers back to an enclosing object, so it cannot be sent as JSON"
    })
    const inner: Record<string, unknown> = {}
    const outer = { x: { y: inner } }
    inner.back = outer.x
    assert.strictEqual(problem({ outer }).path, "outer.x.y.back")
    const list: Array<unknown> = [1]
    list.push([list])
    assert.strictEqual(problem({ list }).path, "list.1.0")
    const viaToJSON: Record<string, unknown> = {}
    viaToJSON.next = { toJSON: () => viaToJSON }
    assert.strictEqual(problem(viaToJSON).path, "next")
  })

  it("deeper than 512 levels: a problem, never a stack overflow", () => {
    let deep: unknown = 1
    for (let i = 0; i < 513; i++) deep = [deep]
    const found = problem(deep)
    assert.include(found.message, "512")
    assert.strictEqual(found.path, Array.from({ length: 512 }, () => "0").join("."))
    let huge: unknown = {}
    for (let i = 0; i < 100_000; i++) huge = { next: huge }
    assert.include(problem(huge).message, "512")
    const endless = { toJSON: (): unknown => ({ again: endless }) }
    assert.include(problem(endless).message, "512", "a toJSON that never bottoms out")
  })

  it("a Map, a Set and friends (JSON.stringify would send {}), unless they have a toJSON", () => {
    const map = problem({ labels: new Map([["env", "prod"]]) })
    assert.strictEqual(map.path, "labels")
    assert.include(map.message, "Map cannot be sent as JSON")
    assert.include(problem({ tags: new Set(["a"]) }).message, "Set cannot be sent as JSON")
    for (const value of [new WeakMap(), new WeakSet(), /re/g, new Error("boom"), Promise.resolve(1)]) {
      assert.strictEqual(problem({ v: value }).path, "v", String(value))
    }
    class JsonMap extends Map<string, number> {
      toJSON() {
        return Object.fromEntries(this)
      }
    }
    assert.strictEqual(text({ m: new JsonMap([["a", 1]]) }), '{"m":{"a":1}}')
  })

  it("typed arrays, DataView and ArrayBuffer", () => {
    assert.include(problem({ bytes: new Uint8Array([1, 2]) }).message, "Uint8Array cannot be sent as JSON")
    assert.include(problem({ v: new Float64Array(1) }).message, "Float64Array")
    assert.strictEqual(problem({ v: new DataView(new ArrayBuffer(2)) }).path, "v")
    assert.include(problem({ v: new ArrayBuffer(2) }).message, "ArrayBuffer")
  })

  it("an invalid Date (JSON.stringify would send null)", () => {
    assert.deepStrictEqual(problem({ at: new Date("not a date") }), {
      path: "at",
      message: "an invalid Date cannot be sent as JSON"
    })
  })

  it("a throwing toJSON: its message, truncated, never the value", () => {
    const found = problem({
      list: [
        {
          secret: "s3cr3t-value",
          toJSON: () => {
            throw new Error(`bad ${"x".repeat(1000)}`)
          }
        }
      ]
    })
    assert.strictEqual(found.path, "list.0")
    assert.include(found.message, "toJSON")
    assert.include(found.message, "bad xxxx")
    assert.isBelow(found.message.length, 200)
    assert.notInclude(found.message, "s3cr3t")
    const odd = problem({
      a: {
        toJSON: () => {
          throw "plain string"
        }
      }
    })
    assert.include(odd.message, "plain string")
  })

  it("a throwing getter or Proxy: a problem at that path, never a throw", () => {
    const getter = {
      get broken(): unknown {
        throw new Error("getter boom")
      }
    }
    const found = problem({ a: getter })
    assert.strictEqual(found.path, "a.broken")
    assert.include(found.message, "getter boom")
    const proxy = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("no keys")
        }
      }
    )
    assert.strictEqual(problem({ p: proxy }).path, "p")
    assert.include(problem({ p: proxy }).message, "no keys")
    const unprintable = {
      toJSON: () => {
        throw {
          toString: () => {
            throw new Error("again")
          }
        }
      }
    }
    assert.strictEqual(problem({ u: unprintable }).path, "u")
  })

  it("the first problem in document order", () => {
    assert.strictEqual(problem({ a: 1, b: Number.NaN, c: 2n }).path, "b")
    assert.strictEqual(problem([[1, 2n], Number.NaN]).path, "0.1")
  })

  it.effect("property: one poisoned value anywhere in any JSON value is reported at its path", () =>
    Effect.gen(function* () {
      const result = yield* Arbitrary.checkEffect(
        Arbitrary.all({
          json: Arbitrary.schema(Schema.Json),
          pick: Arbitrary.schema(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 1_000_000 }))),
          poison: Arbitrary.schema(Schema.Literals(poisons))
        }),
        ({ json, pick, poison }) => {
          const root = structuredClone(json) as unknown
          const places = containers(root)
          if (places.length === 0) {
            if (poison === "cycle") return true
            const found = toJsonText(poisonValue(poison, {}))
            return Result.isFailure(found) && found.failure.path === ""
          }
          const { node, path } = places[pick % places.length]!
          let key: string
          if (Array.isArray(node)) {
            const index = pick % (node.length + 1)
            node.splice(index, 0, poisonValue(poison, node))
            key = String(index)
          } else {
            // undefined is omitted from an object: it is not a problem there.
            if (poison === "undefined") return Result.isSuccess(toJsonText(root))
            key = `poison${pick}`
            ;(node as Record<string, unknown>)[key] = poisonValue(poison, node)
          }
          const found = toJsonText(root)
          return Result.isFailure(found) && found.failure.path === [...path, key].join(".")
        },
        { runs: 300, size: 30, seed: "jsonText/poison" }
      )
      assert.isUndefined(Arbitrary.formatCheckFailure(result))
    })
  )
})

// ---- toQueryParams -------------------------------------------------------------------------

describe("toQueryParams", () => {
  it("arrays repeated, undefined/null omitted, objects as JSON text: as before", () => {
    const at = new Date(Date.UTC(2024, 3, 1))
    const input = {
      q: "a b&c",
      n: 3,
      f: 1.5,
      yes: true,
      none: null,
      missing: undefined,
      ids: [1, null, 2, undefined, "x"],
      filter: { labels: { env: "prod" }, list: [1, 2] },
      nested: [{ a: 1 }, [2, 3]],
      at,
      big: 12345678901234567890n,
      empty: []
    }
    const params = toQueryParams(input)
    assert.isTrue(Result.isSuccess(params))
    if (Result.isSuccess(params)) {
      assert.deepStrictEqual(params.success, legacyQueryParams(input))
      assert.deepStrictEqual(params.success.slice(0, 7), [
        ["q", "a b&c"],
        ["n", "3"],
        ["f", "1.5"],
        ["yes", "true"],
        ["ids", "1"],
        ["ids", "2"],
        ["ids", "x"]
      ])
    }
  })

  it("no input: no parameters", () => {
    assert.deepStrictEqual(toQueryParams(undefined), Result.succeed([]))
    assert.deepStrictEqual(toQueryParams(null), Result.succeed([]))
    assert.deepStrictEqual(toQueryParams({}), Result.succeed([]))
  })

  it("NaN and ±Infinity, as a value or an item (they used to be sent as the text NaN)", () => {
    assert.deepStrictEqual(queryProblem({ count: Number.NaN }), {
      path: "count",
      message: "NaN cannot be sent as a query parameter"
    })
    assert.strictEqual(queryProblem({ ids: [1, Number.POSITIVE_INFINITY] }).path, "ids.1")
  })

  it("a function or a Symbol (they used to be sent as their source text or description)", () => {
    assert.strictEqual(queryProblem({ cb: () => 1 }).path, "cb")
    assert.strictEqual(queryProblem({ tags: ["a", Symbol("b")] }).path, "tags.1")
    assert.strictEqual(queryProblem({ a: 1, [Symbol("k")]: 1 }).path, "Symbol(k)")
  })

  it("a problem inside an object value names the full path", () => {
    assert.strictEqual(queryProblem({ filter: { labels: { env: Number.NaN } } }).path, "filter.labels.env")
    assert.strictEqual(queryProblem({ items: [{ id: 1n }] }).path, "items.0.id")
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    assert.strictEqual(queryProblem({ filter: cyclic }).path, "filter.self")
    assert.strictEqual(queryProblem({ m: new Map() }).path, "m")
  })

  it("an input that is not an object", () => {
    for (const input of ["text", 1, true, [1, 2]]) {
      assert.strictEqual(queryProblem(input).path, "", JSON.stringify(input))
    }
  })

  it("a throwing getter: a problem, never a throw", () => {
    const input = {
      get q(): string {
        throw new Error("boom")
      }
    }
    assert.strictEqual(queryProblem(input).path, "q")
  })

  it.effect("property: any object of JSON values gives the same parameters as before", () =>
    Effect.gen(function* () {
      const result = yield* Arbitrary.checkEffect(
        Arbitrary.schema(Schema.Record(Schema.String, Schema.Json)),
        (input) => {
          const params = toQueryParams(input)
          return (
            Result.isSuccess(params) &&
            JSON.stringify(params.success) === JSON.stringify(legacyQueryParams(input))
          )
        },
        { runs: 300, size: 30, seed: "jsonText/query" }
      )
      assert.isUndefined(Arbitrary.formatCheckFailure(result))
    })
  )
})
