/**
 * Finding newlines fast. `Uint8Array.prototype.indexOf` is a generic element loop; Node's
 * `Buffer#indexOf` (also in Bun and Deno) is `memchr`, several times faster per newline on
 * transcript chunks (figure 3 in `bench/RESULTS.md`). Where `Buffer` is missing (a
 * browser) the chunk itself is searched.
 */

interface BufferConstructorLike {
  from(arrayBuffer: ArrayBufferLike, byteOffset: number, length: number): Uint8Array
}

const NodeBuffer = (globalThis as { readonly Buffer?: BufferConstructorLike }).Buffer

/**
 * A view of `chunk`'s bytes (no copy) whose `indexOf`/`lastIndexOf` are fastest here. Use it
 * only to search; keep emitting and slicing the original chunk.
 *
 * @example
 * ```ts
 * const newline = searchable(chunk).indexOf(0x0a, start)
 * ```
 */
export const searchable: (chunk: Uint8Array) => Uint8Array =
  NodeBuffer === undefined
    ? (chunk) => chunk
    : (chunk) => NodeBuffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
