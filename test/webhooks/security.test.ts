/**
 * The receiver's two checks of the caller, in plain TypeScript: the constant-time comparison of
 * the shared secret (equal only when equal byte for byte, UTF-8; no early exit), and the
 * source-address allow-list (IPv4, IPv6, CIDR ranges, IPv4-mapped IPv6 addresses as their IPv4).
 */
import { assert, describe, it } from "@effect/vitest"
import { inRange, isAllowed, parseAddress, parseRange } from "../../src/webhooks/sourceAddress.js"
import { matchesAny, timingSafeEqual } from "../../src/webhooks/timingSafeEqual.js"

describe("timingSafeEqual", () => {
  it("equal strings only", () => {
    const secret = "whsec-3f9a1c-ünï✓"
    assert.isTrue(timingSafeEqual(secret, secret))
    for (const other of [
      "",
      "whsec-3f9a1c-ünï",
      `${secret}x`,
      "Whsec-3f9a1c-ünï✓",
      "whsec-3f9a1c-uni✓",
      secret.repeat(2),
      "x".repeat(secret.length)
    ]) {
      assert.isFalse(timingSafeEqual(other, secret), other)
    }
    assert.isTrue(timingSafeEqual("", ""))
    assert.isFalse(timingSafeEqual("a", ""))
  })

  it("a value repeating the secret is not it (the cyclic comparison folds the length in)", () => {
    assert.isFalse(timingSafeEqual("abcabc", "abc"))
    assert.isFalse(timingSafeEqual("abc", "abcabc"))
  })

  it("matchesAny: any of the secrets (a rotation), none otherwise", () => {
    assert.isTrue(matchesAny("new", ["old", "new"]))
    assert.isTrue(matchesAny("old", ["old", "new"]))
    assert.isFalse(matchesAny("neither", ["old", "new"]))
    assert.isFalse(matchesAny("", []))
  })
})

describe("source addresses", () => {
  it("parses IPv4, IPv6 (with ::, a dotted tail, brackets, a zone) and maps ::ffff:a.b.c.d to IPv4", () => {
    assert.deepStrictEqual([...parseAddress("203.0.113.7")!], [203, 0, 113, 7])
    assert.strictEqual(parseAddress("2001:db8::1")?.length, 16)
    assert.deepStrictEqual([...parseAddress("::ffff:203.0.113.7")!], [203, 0, 113, 7])
    assert.deepStrictEqual([...parseAddress("::ffff:cb00:7107")!], [203, 0, 113, 7])
    assert.deepStrictEqual([...parseAddress("[::1]")!], [...new Array(15).fill(0), 1])
    assert.deepStrictEqual([...parseAddress("fe80::1%eth0")!].slice(0, 2), [0xfe, 0x80])
    assert.strictEqual(parseAddress("1:2:3:4:5:6:7:8")?.length, 16)
    assert.strictEqual(parseAddress("::")?.length, 16)
    for (const bad of [
      "",
      "256.0.0.1",
      "1.2.3",
      "1.2.3.4.5",
      "01234.1.1.1",
      "1::2::3",
      "1:2:3:4:5:6:7:8:9",
      "g::1",
      "host"
    ])
      assert.isUndefined(parseAddress(bad), bad)
  })

  it("ranges: whole addresses, prefixes on any bit, IPv6, mapped ranges", () => {
    const range = (text: string) => parseRange(text)!
    assert.isTrue(isAllowed([range("10.0.0.0/8")], "10.255.1.2"))
    assert.isFalse(isAllowed([range("10.0.0.0/8")], "11.0.0.1"))
    assert.isTrue(isAllowed([range("192.168.4.0/22")], "192.168.7.255"))
    assert.isFalse(isAllowed([range("192.168.4.0/22")], "192.168.8.0"))
    assert.isTrue(isAllowed([range("203.0.113.7")], "203.0.113.7"))
    assert.isFalse(isAllowed([range("203.0.113.7")], "203.0.113.8"))
    assert.isTrue(isAllowed([range("0.0.0.0/0")], "8.8.8.8"))
    assert.isFalse(isAllowed([range("0.0.0.0/0")], "::1"), "an IPv4 range holds no IPv6 address")
    assert.isTrue(isAllowed([range("2001:db8::/32")], "2001:db8:ffff::1"))
    assert.isFalse(isAllowed([range("2001:db8::/32")], "2001:db9::1"))
    assert.isTrue(isAllowed([range("::ffff:10.0.0.0/104")], "10.1.2.3"))
    assert.isTrue(isAllowed([range("10.0.0.0/8")], "::ffff:10.1.2.3"))
    assert.isFalse(isAllowed([range("10.0.0.0/8")], "garbage"))
    assert.isTrue(inRange(range("1.2.3.4/31"), parseAddress("1.2.3.5")!))
    for (const bad of [
      "10.0.0.0/33",
      "10.0.0.0/-1",
      "10.0.0.0/8/8",
      "2001:db8::/129",
      "10.0.0.0/x",
      "example.com"
    ])
      assert.isUndefined(parseRange(bad), bad)
  })
})
