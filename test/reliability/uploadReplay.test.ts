/**
 * A request body is re-sent only when it can be reproduced exactly: bytes in memory, a
 * file on disk. A one-shot source (an async iterator, a Node readable) is consumed by the
 * first attempt, so after a retryable answer (a `429`) the call fails with that answer's
 * typed error, saying why it was not retried, instead of uploading an empty file and
 * reporting success.
 */
import * as NodeFs from "node:fs/promises"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { Readable } from "node:stream"
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Exit, Stream } from "effect"
import { HttpClient } from "effect/http"
import { Flashduty } from "../../src/generated/Flashduty.js"
import * as NodeFileSystem from "../../src/node/NodeFileSystem.js"
import * as Retry from "../../src/Retry.js"
import * as UploadFile from "../../src/streaming/UploadFile.js"
import { loopback, parseMultipart } from "../streaming/support/loopbackServer.js"
import { failureOf } from "../support/exits.js"
import { sdkLayer } from "./support/client.js"

const skillItem = { skill_id: "skill_1", skill_name: "k8s-triage" }
const payload = new TextEncoder().encode("PK\u0003\u0004 an archive of some bytes")

const server = { count: 0 }

/** Answers the first request with a 429 (`Retry-After: 0`), every later one with success. */
const rateLimitedOnce = () =>
  loopback((_request, response) => {
    if (server.count++ === 0) {
      response.writeHead(429, { "content-type": "application/json", "retry-after": "0" })
      response.end(
        JSON.stringify({
          request_id: "req_429",
          error: { code: "RequestTooFrequently", message: "slow down" }
        })
      )
      return
    }
    response.writeHead(200, { "content-type": "application/json" })
    response.end(JSON.stringify({ request_id: "req_ok", data: skillItem }))
  })
const fastRetry = Retry.backoff({ base: "1 millis", jitter: "none", maxRetries: 3 })

/** A one-shot async iterator over `bytes`, like a socket or a generator. */
const oneShot = (bytes: Uint8Array) =>
  Stream.fromAsyncIterable(
    (async function* () {
      yield bytes.subarray(0, 10)
      yield bytes.subarray(10)
    })(),
    (e) => e
  )

const fileBytesOf = async (body: Buffer, contentType: string, part: string) => {
  const form = await parseMultipart({
    method: "POST",
    url: "/",
    headers: { "content-type": contentType },
    body
  })
  const file = form.get(part) as File
  return new Uint8Array(await file.arrayBuffer())
}

describe("a body that cannot be replayed is never re-sent", () => {
  const sources = {
    "an async iterator": () => oneShot(payload),
    "a Node readable": () => Stream.fromAsyncIterable(Readable.from([Buffer.from(payload)]), (e) => e)
  }
  for (const [label, source] of Object.entries(sources)) {
    it.live(`skills.upload from ${label}: the 429 is returned (with retryAfter), sent once`, () =>
      Effect.gen(function* () {
        server.count = 0
        const api = yield* rateLimitedOnce()
        const exit = yield* Effect.flatMap(Flashduty, (fd) =>
          fd.skills.upload({ file: UploadFile.fromStream(source(), { fileName: "a.zip" }) })
        ).pipe(Effect.provide(sdkLayer(api.url, { retry: fastRetry })), Effect.exit)
        const error = failureOf(exit)
        assert.strictEqual(error._tag, "RateLimited")
        assert.isTrue(
          error._tag === "RateLimited" &&
            error.retryAfter !== undefined &&
            Duration.toMillis(error.retryAfter) === 0
        )
        assert.match(error.message, /could not be replayed/)
        assert.strictEqual(api.requests.length, 1, "the body was sent once")
        const sent = yield* Effect.promise(() =>
          fileBytesOf(api.requests[0]!.body, String(api.requests[0]!.headers["content-type"]), "file")
        )
        assert.deepStrictEqual(sent, payload)
      }).pipe(Effect.scoped)
    )
  }

  it.live("incidents.createWithAttachments with a one-shot image: the 429 is returned, sent once", () =>
    Effect.gen(function* () {
      server.count = 0
      const api = yield* rateLimitedOnce()
      const exit = yield* Effect.flatMap(Flashduty, (fd) =>
        fd.incidents.createWithAttachments({ title: "Disk full", incident_severity: "Critical" }, [
          UploadFile.fromStream(oneShot(payload), { fileName: "disk.png" })
        ])
      ).pipe(Effect.provide(sdkLayer(api.url, { retry: fastRetry })), Effect.exit)
      const error = failureOf(exit)
      assert.strictEqual(error._tag, "RateLimited")
      assert.match(error.message, /could not be replayed/)
      assert.strictEqual(api.requests.length, 1)
    }).pipe(Effect.scoped)
  )
})

describe("a one-shot body is not re-sent by a retry underneath the SDK either", () => {
  it.live(
    "transformClient adds HttpClient.retryTransient: the second run of the stream fails, nothing empty is uploaded",
    () =>
      Effect.gen(function* () {
        server.count = 0
        const api = yield* rateLimitedOnce()
        const exit = yield* Effect.flatMap(Flashduty, (fd) =>
          fd.skills.upload({ file: UploadFile.fromStream(oneShot(payload), { fileName: "a.zip" }) })
        ).pipe(
          Effect.provide(
            sdkLayer(api.url, {
              retry: false,
              transformClient: (client) =>
                HttpClient.retryTransient(client, { times: 2 }) as HttpClient.HttpClient
            })
          ),
          Effect.exit
        )
        assert.isTrue(
          Exit.isFailure(exit),
          "the call fails instead of reporting an empty upload as a success"
        )
        for (const request of api.requests) {
          const sent = yield* Effect.promise(() =>
            fileBytesOf(request.body, String(request.headers["content-type"]), "file").catch(
              () => new Uint8Array(0)
            )
          )
          if (request !== api.requests[0])
            assert.notStrictEqual(sent.length, 0, "no empty file reached the server")
        }
        assert.isAtMost(api.requests.filter((r) => r.body.length > 0).length, 2)
      }).pipe(Effect.scoped)
  )
})

describe("a body that can be reproduced exactly is re-sent, byte for byte", () => {
  it.live("bytes in memory: retried after the 429, the second upload identical", () =>
    Effect.gen(function* () {
      server.count = 0
      const api = yield* rateLimitedOnce()
      const { data } = yield* Effect.flatMap(Flashduty, (fd) =>
        fd.skills.upload({ file: UploadFile.fromBytes(payload, "a.zip") })
      ).pipe(Effect.provide(sdkLayer(api.url, { retry: fastRetry })))
      assert.strictEqual(data.skill_id, "skill_1")
      assert.strictEqual(api.requests.length, 2)
      const [first, second] = api.requests
      for (const request of [first!, second!]) {
        const sent = yield* Effect.promise(() =>
          fileBytesOf(request.body, String(request.headers["content-type"]), "file")
        )
        assert.deepStrictEqual(sent, payload)
      }
    }).pipe(Effect.scoped)
  )

  it.live("a file on disk: retried after the 429, the file read again", () =>
    Effect.gen(function* () {
      const dir = yield* Effect.promise(() => NodeFs.mkdtemp(NodePath.join(NodeOs.tmpdir(), "fd-replay-")))
      yield* Effect.addFinalizer(() => Effect.promise(() => NodeFs.rm(dir, { recursive: true, force: true })))
      const path = NodePath.join(dir, "a.zip")
      yield* Effect.promise(() => NodeFs.writeFile(path, payload))
      server.count = 0
      const api = yield* rateLimitedOnce()
      const { data } = yield* Effect.flatMap(Flashduty, (fd) =>
        Effect.flatMap(UploadFile.fromPath(path), (file) => fd.skills.upload({ file }))
      ).pipe(Effect.provide(sdkLayer(api.url, { retry: fastRetry })), Effect.provide(NodeFileSystem.layer))
      assert.strictEqual(data.skill_id, "skill_1")
      assert.strictEqual(api.requests.length, 2)
      const sent = yield* Effect.promise(() =>
        fileBytesOf(api.requests[1]!.body, String(api.requests[1]!.headers["content-type"]), "file")
      )
      assert.deepStrictEqual(sent, payload)
    }).pipe(Effect.scoped)
  )

  it.live("a file that changed between the 429 and the retry is not re-sent with other bytes", () =>
    Effect.gen(function* () {
      const dir = yield* Effect.promise(() => NodeFs.mkdtemp(NodePath.join(NodeOs.tmpdir(), "fd-replay-")))
      yield* Effect.addFinalizer(() => Effect.promise(() => NodeFs.rm(dir, { recursive: true, force: true })))
      const path = NodePath.join(dir, "a.zip")
      yield* Effect.promise(() => NodeFs.writeFile(path, payload))
      server.count = 0
      const api = yield* loopback((_request, response) => {
        if (server.count++ === 0) {
          // The file changes while the client waits to retry.
          void NodeFs.appendFile(path, "and some more bytes").then(() => {
            response.writeHead(429, { "content-type": "application/json", "retry-after": "0" })
            response.end(
              JSON.stringify({ request_id: "r", error: { code: "RequestTooFrequently", message: "slow" } })
            )
          })
          return
        }
        response.writeHead(200, { "content-type": "application/json" })
        response.end(JSON.stringify({ request_id: "ok", data: skillItem }))
      })
      const exit = yield* Effect.flatMap(Flashduty, (fd) =>
        Effect.flatMap(UploadFile.fromPath(path), (file) => fd.skills.upload({ file }))
      ).pipe(
        Effect.provide(sdkLayer(api.url, { retry: fastRetry })),
        Effect.provide(NodeFileSystem.layer),
        Effect.exit
      )
      assert.isTrue(Exit.isFailure(exit), "a changed file is not uploaded as if it were the same")
      assert.isAtMost(api.requests.length, 2)
      if (api.requests.length === 2) {
        const sent = yield* Effect.promise(() =>
          fileBytesOf(api.requests[1]!.body, String(api.requests[1]!.headers["content-type"]), "file").catch(
            () => new Uint8Array(0)
          )
        )
        assert.notDeepEqual(
          sent,
          new Uint8Array(Buffer.concat([Buffer.from(payload), Buffer.from("and some more bytes")]))
        )
      }
    }).pipe(Effect.scoped)
  )

  it.live("a stream its caller declares replayable: retried", () =>
    Effect.gen(function* () {
      server.count = 0
      const api = yield* rateLimitedOnce()
      yield* Effect.flatMap(Flashduty, (fd) =>
        fd.skills.upload({
          file: UploadFile.fromStream(Stream.make(payload), { fileName: "a.zip", replayable: true })
        })
      ).pipe(Effect.provide(sdkLayer(api.url, { retry: fastRetry })))
      assert.strictEqual(api.requests.length, 2)
    }).pipe(Effect.scoped)
  )
})
