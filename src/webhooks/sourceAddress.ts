/**
 * Source-address allow-lists: addresses (`203.0.113.7`, `2001:db8::1`) and CIDR ranges
 * (`203.0.113.0/24`, `2001:db8::/32`), IPv4 and IPv6. An IPv4-mapped IPv6 address (Node's
 * `::ffff:203.0.113.7` on a dual-stack socket) is the IPv4 address it maps. Plain TypeScript, no
 * `node:net`.
 */

/** One allowed range: the address's bytes (4 or 16) and how many leading bits must match. */
export interface SourceRange {
  readonly bytes: Uint8Array
  readonly prefix: number
}

const parseIpv4 = (text: string): Uint8Array | undefined => {
  const parts = text.split(".")
  if (parts.length !== 4) return undefined
  const bytes = new Uint8Array(4)
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!
    if (!/^\d{1,3}$/.test(part)) return undefined
    const n = Number(part)
    if (n > 255) return undefined
    bytes[i] = n
  }
  return bytes
}

/** The 16 bytes of an IPv6 address (`::` and a trailing dotted IPv4 part allowed). */
const parseIpv6 = (text: string): Uint8Array | undefined => {
  const halves = text.split("::")
  if (halves.length > 2) return undefined
  const groupsOf = (half: string): Array<number> | undefined => {
    if (half === "") return []
    const out: Array<number> = []
    const parts = half.split(":")
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!
      if (i === parts.length - 1 && part.includes(".")) {
        const v4 = parseIpv4(part)
        if (v4 === undefined) return undefined
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!)
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return undefined
        out.push(Number.parseInt(part, 16))
      }
    }
    return out
  }
  const head = groupsOf(halves[0]!)
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : []
  if (head === undefined || tail === undefined) return undefined
  const missing = 8 - head.length - tail.length
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail]
  const bytes = new Uint8Array(16)
  groups.forEach((group, i) => {
    bytes[2 * i] = group >> 8
    bytes[2 * i + 1] = group & 0xff
  })
  return bytes
}

const isIpv4Mapped = (bytes: Uint8Array): boolean =>
  bytes.length === 16 &&
  bytes.subarray(0, 10).every((b) => b === 0) &&
  bytes[10] === 0xff &&
  bytes[11] === 0xff

/**
 * The bytes of an address as a socket reports it (brackets and an IPv6 zone such as `%eth0`
 * ignored): 4 for IPv4 (also an IPv4-mapped IPv6 address), 16 for IPv6; `undefined` for anything
 * else.
 */
export const parseAddress = (text: string): Uint8Array | undefined => {
  const bare = text
    .trim()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/%.*$/, "")
  const bytes = bare.includes(":") ? parseIpv6(bare) : parseIpv4(bare)
  if (bytes === undefined) return undefined
  return isIpv4Mapped(bytes) ? bytes.subarray(12) : bytes
}

/** An address or a CIDR range; `undefined` when `text` is neither. */
export const parseRange = (text: string): SourceRange | undefined => {
  const [address, prefixText, extra] = text.trim().split("/")
  if (address === undefined || extra !== undefined) return undefined
  const bytes = parseAddress(address)
  if (bytes === undefined) return undefined
  const max = bytes.length * 8
  if (prefixText === undefined) return { bytes, prefix: max }
  if (!/^\d{1,3}$/.test(prefixText)) return undefined
  // A mapped range (`::ffff:10.0.0.0/104`) counts its prefix over the IPv6 address.
  const mapped = address.includes(":") && bytes.length === 4
  const prefix = Number(prefixText) - (mapped ? 96 : 0)
  if (prefix < 0 || prefix > max) return undefined
  return { bytes, prefix }
}

/** Whether `address` (bytes from {@link parseAddress}) is inside `range`. */
export const inRange = (range: SourceRange, address: Uint8Array): boolean => {
  if (range.bytes.length !== address.length) return false
  const whole = Math.floor(range.prefix / 8)
  for (let i = 0; i < whole; i++) if (range.bytes[i] !== address[i]) return false
  const rest = range.prefix % 8
  if (rest === 0) return true
  const mask = (0xff << (8 - rest)) & 0xff
  return (range.bytes[whole]! & mask) === (address[whole]! & mask)
}

/** Whether `address` (as a socket reports it) is inside any of `ranges`. */
export const isAllowed = (ranges: ReadonlyArray<SourceRange>, address: string): boolean => {
  const bytes = parseAddress(address)
  return bytes !== undefined && ranges.some((range) => inRange(range, bytes))
}
