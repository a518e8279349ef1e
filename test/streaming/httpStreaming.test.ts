/**
 * The streaming building blocks over real HTTP (Effect's fetch client against a loopback
 * server): multipart uploads, file downloads, writing to a file. (Transcripts: sessionExport.test.ts.)
 */
import * as NodeCrypto from "node:crypto"
import * as NodeFs from "node:fs/promises"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Stream } from "effect"
import { FetchHttpClient, type HttpBody, HttpClient, HttpClientRequest } from "effect/http"
import * as NodeFileSystem from "../../src/node/NodeFileSystem.js"
import { multipartBody } from "../../src/streaming/MultipartBody.js"
import * as UploadFile from "../../src/streaming/UploadFile.js"
import { writeStreamToFile } from "../../src/streaming/WriteToFile.js"
import { withFlashduty } from "./support/flashdutyAt.js"
import { loopback, parseMultipart } from "./support/loopbackServer.js"

const MiB = 1024 * 1024

const post = (url: string, body?: HttpBody.HttpBody) =>
  HttpClient.execute(
    body === undefined
      ? HttpClientRequest.post(url)
      : HttpClientRequest.post(url).pipe(HttpClientRequest.setBody(body))
  ).pipe(Effect.provide(FetchHttpClient.layer))

describe("multipart uploads", () => {
  const respondOk = (_req: unknown, res: import("node:http").ServerResponse) => {
    res.writeHead(200, { "content-type": "application/json" })
    res.end('{"request_id":"r","data":{}}')
  }

  it.live("in-memory files go as platform FormData, received intact", () =>
    Effect.gen(function* () {
      const server = yield* loopback(respondOk)
      const zip = NodeCrypto.randomBytes(200_000)
      const body = multipartBody({
        fields: [
          ["team_id", 0],
          ["replace", true],
          ["skill_id", undefined]
        ],
        files: [["file", UploadFile.fromBytes(zip, "k8s-triage.zip")]]
      })
      assert.strictEqual(body._tag, "FormData")
      yield* post(`${server.url}/safari/skill/upload`, body)
      const received = server.requests.at(-1)!
      const form = yield* Effect.promise(() => parseMultipart(received))
      assert.strictEqual(form.get("team_id"), "0")
      assert.strictEqual(form.get("replace"), "true")
      assert.isFalse(form.has("skill_id"))
      const file = form.get("file") as File
      assert.strictEqual(file.name, "k8s-triage.zip")
      assert.strictEqual(file.type, "application/zip")
      assert.isTrue(Buffer.from(yield* Effect.promise(() => file.arrayBuffer())).equals(zip))
    }).pipe(Effect.scoped)
  )

  it.live("a file from a path is streamed from disk with its length, and arrives byte for byte", () =>
    Effect.gen(function* () {
      const dir = yield* Effect.promise(() => NodeFs.mkdtemp(NodePath.join(NodeOs.tmpdir(), "fd-up-")))
      yield* Effect.addFinalizer(() => Effect.promise(() => NodeFs.rm(dir, { recursive: true, force: true })))
      const path = NodePath.join(dir, "big skill.zip")
      const content = NodeCrypto.randomBytes(3 * MiB + 17)
      yield* Effect.promise(() => NodeFs.writeFile(path, content))
      const image = NodeCrypto.randomBytes(1000)

      const server = yield* loopback(respondOk)
      const file = yield* UploadFile.fromPath(path).pipe(Effect.provide(NodeFileSystem.layer))
      assert.strictEqual(file.size, content.length)
      const body = multipartBody({
        fields: [["data", JSON.stringify({ title: "disk full", incident_severity: "Critical" })]],
        files: [
          ["images", file],
          [
            "images",
            UploadFile.fromStream(Stream.make(image.subarray(0, 400), image.subarray(400)), {
              fileName: "b.png"
            })
          ]
        ]
      })
      assert.strictEqual(body._tag, "Stream")
      if (body._tag === "Stream") assert.isUndefined(body.contentLength) // one stream has no known size
      yield* post(`${server.url}/incident/create`, body)
      const received = server.requests.at(-1)!
      assert.match(String(received.headers["content-type"]), /^multipart\/form-data; boundary=/)
      const form = yield* Effect.promise(() => parseMultipart(received))
      assert.deepStrictEqual(JSON.parse(String(form.get("data"))), {
        title: "disk full",
        incident_severity: "Critical"
      })
      const [first, second] = form.getAll("images") as Array<File>
      assert.strictEqual(first?.name, "big skill.zip")
      assert.isTrue(Buffer.from(yield* Effect.promise(() => first!.arrayBuffer())).equals(content))
      assert.strictEqual(second?.name, "b.png")
      assert.strictEqual(second?.type, "image/png")
      assert.isTrue(Buffer.from(yield* Effect.promise(() => second!.arrayBuffer())).equals(image))
    }).pipe(Effect.scoped)
  )

  it("declares the exact length when every size is known", async () => {
    const body = multipartBody({
      fields: [["a", "1"]],
      files: [["f", UploadFile.fromStream(Stream.make(new Uint8Array(10)), { fileName: "x.bin", size: 10 })]]
    })
    assert.strictEqual(body._tag, "Stream")
    if (body._tag !== "Stream") return
    const bytes = await Effect.runPromise(Stream.runCollect(body.stream))
    assert.strictEqual(
      body.contentLength,
      bytes.reduce((n, c) => n + (c as Uint8Array).length, 0)
    )
  })
})

describe("file downloads", () => {
  it.live("a CSV answer is returned raw with its type and file name", () =>
    Effect.gen(function* () {
      const csv = "Method,Recipient,Components,Subscribe All,Locale\nemail,alice@example.com,,true,zh-CN\n"
      const server = yield* loopback((_req, res) => {
        res.writeHead(200, {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="subscribers.csv"; filename*=UTF-8''%E8%AE%A2%E9%98%85%E8%80%85.csv`
        })
        res.end(csv)
      })
      const file = yield* withFlashduty(server.url, (fd) =>
        Effect.scoped(
          Effect.flatMap(fd.statusPages.subscriberExportDownload({ page_id: 1 }), (answer) =>
            answer._tag === "File"
              ? Effect.map(Stream.mkString(Stream.decodeText(answer.file.stream)), (text) => ({
                  ...answer.file,
                  text
                }))
              : Effect.die("expected a file")
          )
        )
      )
      assert.strictEqual(file.contentType, "text/csv; charset=utf-8")
      assert.strictEqual(file.fileName, "订阅者.csv")
      const text = file.text
      assert.strictEqual(text, csv)
    }).pipe(Effect.scoped)
  )

  it.live("a body cut by the server fails the byte stream with a TransportError", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) => {
        res.writeHead(200, { "content-type": "text/csv", "content-length": "1000" })
        res.write("a,b\n1,2\n")
        setTimeout(() => res.destroy(), 20)
      })
      const exit = yield* withFlashduty(server.url, (fd) =>
        Effect.scoped(
          Effect.flatMap(fd.statusPages.subscriberExportDownload({ page_id: 1 }), (answer) =>
            answer._tag === "File" ? Stream.runDrain(answer.file.stream) : Effect.die("expected a file")
          )
        )
      ).pipe(Effect.exit)
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isFailure(exit)) {
        const error = exit.cause.reasons.find((r) => r._tag === "Fail")
        assert.strictEqual(error?._tag === "Fail" ? error.error._tag : undefined, "TransportError")
      }
    }).pipe(Effect.scoped)
  )
})

describe("writeStreamToFile", () => {
  it.live("writes the bytes and reports progress; a failed stream leaves no file", () =>
    Effect.gen(function* () {
      const dir = yield* Effect.promise(() => NodeFs.mkdtemp(NodePath.join(NodeOs.tmpdir(), "fd-dl-")))
      yield* Effect.addFinalizer(() => Effect.promise(() => NodeFs.rm(dir, { recursive: true, force: true })))
      const path = NodePath.join(dir, "t.ndjson")
      const progress: Array<number> = []
      const written = yield* Stream.make(new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])).pipe(
        writeStreamToFile(path, {
          onProgress: ({ bytesWritten }) => Effect.sync(() => progress.push(bytesWritten))
        })
      )
      assert.deepStrictEqual(written, { path, bytesWritten: 5 })
      assert.deepStrictEqual(progress, [3, 5])
      assert.deepStrictEqual([...(yield* Effect.promise(() => NodeFs.readFile(path)))], [1, 2, 3, 4, 5])

      const failedPath = NodePath.join(dir, "failed.ndjson")
      const exit = yield* Stream.make(new Uint8Array([1])).pipe(
        Stream.concat(Stream.fail("boom" as const)),
        writeStreamToFile(failedPath),
        Effect.exit
      )
      assert.deepStrictEqual(exit, Exit.fail("boom"))
      assert.deepStrictEqual(yield* Effect.promise(() => NodeFs.readdir(dir)), ["t.ndjson"])
    }).pipe(Effect.scoped, Effect.provide(NodeFileSystem.layer))
  )
})
