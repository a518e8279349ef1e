/**
 * Comparing a secret a caller presents with the configured one without telling the caller,
 * through the time it takes, how much of it was right. Plain TypeScript over bytes (the SDK's
 * main entry imports no `node:` module, so `crypto.timingSafeEqual` is not an option).
 */

const encoder = new TextEncoder()

/**
 * `true` when `given` equals `expected`, byte for byte (UTF-8). The loop runs over every byte of
 * `given` whatever the bytes are, with no early exit: its time depends on the length of what the
 * caller sent, not on where the first difference is, nor on the secret's content. A length
 * difference is folded into the result, not returned early.
 *
 * @example
 * ```ts
 * timingSafeEqual(headerValue, Redacted.value(secret))
 * ```
 */
export const timingSafeEqual = (given: string, expected: string): boolean => {
  const a = encoder.encode(given)
  const b = encoder.encode(expected)
  // Two different lengths XOR to a non-zero number.
  let diff = a.length ^ b.length
  const n = b.length
  for (let i = 0; i < a.length; i++) {
    // Against the secret's bytes cyclically, so the work is the same whatever `given`'s length.
    diff |= a[i]! ^ (n === 0 ? 0 : b[i % n]!)
  }
  return diff === 0
}

/**
 * `true` when `given` equals any of `expected` (e.g. the current secret and the one being rotated
 * out), each compared in full: no short-circuit tells which one matched.
 */
export const matchesAny = (given: string, expected: ReadonlyArray<string>): boolean => {
  let matched = 0
  for (const secret of expected) matched |= timingSafeEqual(given, secret) ? 1 : 0
  return matched === 1
}
