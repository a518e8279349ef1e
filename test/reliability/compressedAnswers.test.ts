/**
 * `maxResponseBytes` bounds the *decoded* bytes of an answer, whatever its `Content-Encoding`
 * says: fetch inflates gzip, br and deflate bodies itself, so a small, honest
 * `Content-Length` can stand for gigabytes of text. Every path that holds a body in memory
 * (a JSON call, an export read as text, an upload's answer) stops reading as soon as the
 * cap is passed and fails with `BodyTooLarge`, once (never retried); a streamed line cap
 * (`maxLineBytes`) counts decoded bytes too.
 *
 * The bombs here inflate to 64 MiB of valid JSON: without the cap on decoded bytes, the
 * calls would succeed. (Peak memory for a 600 MiB bomb is measured in `bench/`.)
 */
import * as Zlib from "node:zlib"
import { assert, describe, it } from "@effect/vitest"
import { Effect, type Exit, Layer, Stream } from "effect"
import { HttpClient, HttpClientResponse } from "effect/http"
import type { FlashdutyError } from "../../src/Errors.js"
import { Flashduty } from "../../src/generated/Flashduty.js"
import * as UploadFile from "../../src/streaming/UploadFile.js"
import { failureOf } from "../support/exits.js"
import { sdkLayer } from "./support/client.js"
import { rawServer } from "./support/rawServer.js"

const INFLATED = 64 * 1024 * 1024
const CAP = 1024 * 1024

/** A success envelope whose `data` carries `size` bytes of padding: valid JSON, only big. */
const bigEnvelope = (size: number, data: Record<string, unknown> = {}) => {
  const head = Buffer.from(
    `{"request_id":"req-bomb","data":${JSON.stringify(data).slice(0, -1)}${Object.keys(data).length === 0 ? "" : ","}"pad":"`
  )
  const tail = Buffer.from(`"}}`)
  return Buffer.concat([head, Buffer.alloc(size - head.length - tail.length, 0x20), tail])
}

const encodings = {
  gzip: (body: Buffer) => Zlib.gzipSync(body, { level: 9 }),
  deflate: (body: Buffer) => Zlib.deflateSync(body, { level: 9 }),
  br: (body: Buffer) =>
    Zlib.brotliCompressSync(body, { params: { [Zlib.constants.BROTLI_PARAM_QUALITY]: 5 } })
} as const

type Encoding = keyof typeof encodings

// Compressed once per encoding: 64 MiB of spaces shrink to ~65 KiB (gzip) or a few hundred bytes (br).
const bombs = new Map<Encoding, Buffer>()
const bombOf = (encoding: Encoding) => {
  let bomb = bombs.get(encoding)
  if (bomb === undefined) {
    bomb = encodings[encoding](bigEnvelope(INFLATED))
    bombs.set(encoding, bomb)
  }
  return bomb
}

/** A server answering every request with the bomb, an honest `Content-Length` and the encoding. */
const bombServer = (encoding: Encoding, contentType = "application/json") =>
  rawServer((_request, response) => {
    const bomb = bombOf(encoding)
    response.writeHead(200, {
      "content-type": contentType,
      "content-encoding": encoding,
      "content-length": String(bomb.length)
    })
    response.end(bomb)
  })

const assertTooLarge = (exit: Exit.Exit<unknown, unknown>) => {
  const error = failureOf(exit) as FlashdutyError
  assert.strictEqual(error._tag, "TransportError")
  assert.strictEqual(error._tag === "TransportError" ? error.reason : undefined, "BodyTooLarge")
}

const run = <A, E>(url: string, call: (fd: Flashduty["Service"]) => Effect.Effect<A, E, any>) =>
  Effect.flatMap(Flashduty, call).pipe(
    Effect.provide(sdkLayer(url, { maxResponseBytes: CAP })),
    Effect.scoped,
    Effect.exit
  )

describe("compressed answers are capped on their decoded size", () => {
  for (const encoding of Object.keys(encodings) as Array<Encoding>) {
    it.live(`${encoding}: a JSON call (a read, default retry policy) fails with BodyTooLarge, once`, () =>
      Effect.gen(function* () {
        const server = yield* bombServer(encoding)
        const exit = yield* run(server.url, (fd) => fd.incidents.list({ start_time: 0, end_time: 86_400 }))
        assertTooLarge(exit)
        assert.strictEqual(server.hits(), 1, "an answer over the cap is not retried")
      }).pipe(Effect.scoped)
    )
  }

  it.live("gzip: an export the server answers as a file is capped when read as text", () =>
    Effect.gen(function* () {
      const server = yield* bombServer("gzip", "text/csv")
      const exit = yield* run(server.url, (fd) => fd.statusPages.subscriberExport({ page_id: 42 }))
      assertTooLarge(exit)
    }).pipe(Effect.scoped)
  )

  it.live("gzip: an export's JSON envelope is capped by the client-wide maxResponseBytes", () =>
    Effect.gen(function* () {
      const server = yield* bombServer("gzip")
      const exit = yield* run(server.url, (fd) => fd.statusPages.subscriberExport({ page_id: 42 }))
      assertTooLarge(exit)
    }).pipe(Effect.scoped)
  )

  it.live("br: an upload's answer is capped by the client-wide maxResponseBytes", () =>
    Effect.gen(function* () {
      const server = yield* bombServer("br")
      const exit = yield* run(server.url, (fd) =>
        fd.skills.upload({ file: UploadFile.fromBytes(new Uint8Array([1, 2, 3]), "a.zip") })
      )
      assertTooLarge(exit)
    }).pipe(Effect.scoped)
  )

  it.live("gzip: a transcript line counts decoded bytes against maxLineBytes", () =>
    Effect.gen(function* () {
      const line = Buffer.concat([
        Buffer.from('{"type":"session_meta","pad":"'),
        Buffer.alloc(8 * CAP, 0x20),
        Buffer.from('"}\n')
      ])
      const bomb = Zlib.gzipSync(line)
      const server = yield* rawServer((_request, response) => {
        response.writeHead(200, {
          "content-type": "application/x-ndjson",
          "content-encoding": "gzip",
          "content-length": String(bomb.length)
        })
        response.end(bomb)
      })
      const exit = yield* run(server.url, (fd) =>
        Stream.runDrain(fd.sessions.export({ session_id: "s" }, { maxLineBytes: CAP }))
      )
      const error = failureOf(exit as Exit.Exit<unknown, FlashdutyError>) as unknown as {
        _tag: string
        reason: string
      }
      assert.strictEqual(error._tag, "NdjsonLineError")
      assert.strictEqual(error.reason, "LineTooLong")
    }).pipe(Effect.scoped)
  )
})

describe("the read stops as soon as the cap is passed", () => {
  /** A body that never ends, counting the bytes handed out, behind an honest-looking small Content-Length. */
  const endless = () => {
    let produced = 0
    let cancelled = false
    const chunk = new Uint8Array(64 * 1024).fill(0x20)
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        produced += chunk.length
        controller.enqueue(
          produced === chunk.length ? new TextEncoder().encode('{"request_id":"r","data":{"pad":"') : chunk
        )
      },
      cancel() {
        cancelled = true
      }
    })
    return { body, produced: () => produced, cancelled: () => cancelled }
  }

  it.live("an endless decoded body behind Content-Length: 100 fails with BodyTooLarge near the cap", () =>
    Effect.gen(function* () {
      const source = endless()
      const client = HttpClient.make((request) =>
        Effect.succeed(
          HttpClientResponse.fromWeb(
            request,
            new Response(source.body, {
              status: 200,
              headers: {
                "content-type": "application/json",
                "content-encoding": "gzip",
                "content-length": "100"
              }
            })
          )
        )
      )
      const layer = Flashduty.layer({ appKey: "k", rateLimit: false, maxResponseBytes: CAP }).pipe(
        Layer.provide(Layer.succeed(HttpClient.HttpClient, client)),
        Layer.orDie
      )
      const exit = yield* Effect.flatMap(Flashduty, (fd) =>
        fd.incidents.list({ start_time: 0, end_time: 1 })
      ).pipe(Effect.provide(layer), Effect.exit)
      assertTooLarge(exit)
      assert.isAtMost(source.produced(), CAP + 4 * 64 * 1024, "reading stopped right after the cap")
      assert.isTrue(source.cancelled(), "the body was cancelled")
    })
  )
})
