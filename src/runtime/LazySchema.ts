/**
 * Schemas built on first use. A generated module declares every schema this way, so that
 * importing it builds nothing: 290 operations' schemas would otherwise be built at import.
 */
import * as Schema from "effect/Schema"

/** A schema as the generated code handles it. */
type Any = Schema.Top

// Effect's schema objects share one prototype (`pipe`, `annotate`, `check`, `rebuild`, …) whose
// methods only read `this.ast`: an object with that prototype and an `ast` built on first read
// behaves as the schema it builds. `Schema.suspend` would defer too, but a `Suspend` node stops
// the Schema JIT from inlining whatever contains it (codegen treats it as unsupported).
const schemaPrototype: object = Object.getPrototypeOf(Schema.Unknown)

/**
 * A schema whose AST is built on first read. Its prototype chain ends in Effect's schema
 * prototype, so every method (`pipe`, `annotate`, `check`, `rebuild`, …) works on the built AST.
 */
class LazySchema {
  #build: (() => Any) | undefined
  #built: Any | undefined
  constructor(build: () => Any) {
    this.#build = build
  }
  /** The schema this one stands for, built on the first call. */
  force(): Any {
    if (this.#built === undefined) {
      this.#built = this.#build!()
      this.#build = undefined
    }
    return this.#built
  }
  get ast(): Any["ast"] {
    const ast = this.force().ast
    // An own data property from now on, as on Effect's schemas: later reads are plain loads.
    Object.defineProperty(this, "ast", { value: ast, writable: true, enumerable: true, configurable: true })
    return ast
  }
}
Object.setPrototypeOf(LazySchema.prototype, schemaPrototype)

/** The schema a {@link lazy} one stands for (built now if needed); any other schema as it is. */
export const resolveLazy = (schema: Any): Any => (schema instanceof LazySchema ? schema.force() : schema)

/**
 * A schema built on first use: `build` runs once, the first time the schema's AST is needed
 * (decoding, encoding, `annotate`, being referenced by a schema under construction). The
 * result behaves exactly as `build()`'s schema; only the import stays cheap.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import * as Tolerant from "./Tolerant.js" // runtime of the generated modules
 *
 * const Ids = Tolerant.lazy<ReadonlyArray<number>>(() => Tolerant.array(Schema.Number))
 * Schema.decodeUnknownSync(Ids)(null) // => [] (built here, on first use)
 * ```
 */
export const lazy = <A>(build: () => Any): Schema.Codec<A, unknown> =>
  new LazySchema(build) as unknown as Schema.Codec<A, unknown>
