/**
 * Uploads, file exports and replay segments end to end: the real client (fetch) against a
 * loopback server that parses what it receives.
 */
import * as NodeCrypto from "node:crypto"
import * as NodeFs from "node:fs/promises"
import * as NodeOs from "node:os"
import * as NodePath from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Exit, Stream } from "effect"
import * as NodeFileSystem from "../../src/node/NodeFileSystem.js"
import { downloadExport } from "../../src/nonJsonOperations/downloadExportById.js"
import * as UploadFile from "../../src/streaming/UploadFile.js"
import { withFlashduty } from "./support/flashdutyAt.js"
import { loopback, parseMultipart, type ReceivedRequest } from "./support/loopbackServer.js"

const pathOf = (request: ReceivedRequest) => new URL(request.url, "http://x").pathname

const skillItem = {
  skill_id: "skill_8s7Hn2kLpQ3xYbVc4Wd2m",
  account_id: 10023,
  team_id: 0,
  skill_name: "k8s-triage",
  status: "enabled",
  can_edit: true,
  created: true
}

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  const reason = Exit.isFailure(exit) ? exit.cause.reasons.find((r) => r._tag === "Fail") : undefined
  if (reason === undefined || reason._tag !== "Fail")
    throw new Error(`expected a typed failure, got ${String(exit)}`)
  return reason.error
}

describe("skills.upload", () => {
  it.live("uploads an archive from disk; the server receives the bytes and fields intact", () =>
    Effect.gen(function* () {
      const dir = yield* Effect.promise(() => NodeFs.mkdtemp(NodePath.join(NodeOs.tmpdir(), "fd-skill-")))
      yield* Effect.addFinalizer(() => Effect.promise(() => NodeFs.rm(dir, { recursive: true, force: true })))
      const archive = NodeCrypto.randomBytes(2 * 1024 * 1024 + 3)
      const path = NodePath.join(dir, "k8s-triage.zip")
      yield* Effect.promise(() => NodeFs.writeFile(path, archive))

      const server = yield* loopback((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" })
        res.end(JSON.stringify({ request_id: "req_up", data: skillItem }))
      })
      const { data, meta } = yield* withFlashduty(server.url, (fd) =>
        Effect.gen(function* () {
          const file = yield* UploadFile.fromPath(path)
          return yield* fd.skills.upload({ file, team_id: 0, replace: true })
        })
      ).pipe(Effect.provide(NodeFileSystem.layer))
      assert.strictEqual(data.skill_id, skillItem.skill_id)
      assert.strictEqual(meta.requestId, "req_up")

      const received = server.requests[0]!
      assert.strictEqual(pathOf(received), "/safari/skill/upload")
      assert.strictEqual(
        new URL(received.url, server.url).searchParams.get("app_key"),
        "streaming-test-app-key"
      )
      assert.match(String(received.headers["content-type"]), /^multipart\/form-data; boundary=/)
      const form = yield* Effect.promise(() => parseMultipart(received))
      assert.deepStrictEqual([...form.keys()].sort(), ["file", "replace", "team_id"])
      assert.strictEqual(form.get("team_id"), "0")
      assert.strictEqual(form.get("replace"), "true")
      const file = form.get("file") as File
      assert.strictEqual(file.name, "k8s-triage.zip")
      assert.strictEqual(file.type, "application/zip")
      assert.isTrue(Buffer.from(yield* Effect.promise(() => file.arrayBuffer())).equals(archive))
    }).pipe(Effect.scoped)
  )

  it.live("an error answer is the usual tagged error; an oversized archive fails before sending", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) => {
        res.writeHead(403, { "content-type": "application/json" })
        res.end(
          JSON.stringify({ request_id: "req_403", error: { code: "AccessDenied", message: "Skill Manage" } })
        )
      })
      const denied = yield* withFlashduty(server.url, (fd) =>
        fd.skills.upload({ file: UploadFile.fromBytes(new Uint8Array([1, 2, 3]), "a.zip") })
      ).pipe(Effect.exit)
      assert.strictEqual(failureOf(denied)._tag, "AccessDenied")

      const tooBig = yield* withFlashduty(server.url, (fd) =>
        fd.skills.upload({
          file: UploadFile.fromStream(Stream.empty, { fileName: "huge.zip", size: 101 * 1024 * 1024 })
        })
      ).pipe(Effect.exit)
      assert.strictEqual(failureOf(tooBig)._tag, "InvalidParameter")
      assert.lengthOf(server.requests, 1, "the oversized upload was not sent")
    }).pipe(Effect.scoped)
  )
})

describe("incidents.createWithAttachments", () => {
  it.live("sends the incident as JSON in `data` and each image as an `images` part", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" })
        res.end(JSON.stringify({ request_id: "req_inc", data: { incident_id: "inc_1", title: "Disk full" } }))
      })
      const png = NodeCrypto.randomBytes(50_000)
      const jpeg = NodeCrypto.randomBytes(70_000)
      const request = {
        title: "Disk full",
        incident_severity: "Critical" as const,
        channel_id: 2551105804131,
        assigned_to: { person_ids: [2476444212131] }
      }
      const { data } = yield* withFlashduty(server.url, (fd) =>
        fd.incidents.createWithAttachments(request, [
          UploadFile.fromBytes(png, "disk.png"),
          UploadFile.fromStream(Stream.make(jpeg.subarray(0, 1000), jpeg.subarray(1000)), {
            fileName: "graph.jpg",
            size: jpeg.length
          })
        ])
      )
      assert.strictEqual(data.incident_id, "inc_1")
      const received = server.requests[0]!
      assert.strictEqual(pathOf(received), "/incident/create")
      const form = yield* Effect.promise(() => parseMultipart(received))
      assert.deepStrictEqual(JSON.parse(String(form.get("data"))), request)
      const images = form.getAll("images") as Array<File>
      assert.deepStrictEqual(
        images.map((f) => [f.name, f.type]),
        [
          ["disk.png", "image/png"],
          ["graph.jpg", "image/jpeg"]
        ]
      )
      assert.isTrue(Buffer.from(yield* Effect.promise(() => images[0]!.arrayBuffer())).equals(png))
      assert.isTrue(Buffer.from(yield* Effect.promise(() => images[1]!.arrayBuffer())).equals(jpeg))
    }).pipe(Effect.scoped)
  )

  it.live("an invalid request fails with InvalidParameter and sends nothing", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) => {
        res.end()
      })
      const exit = yield* withFlashduty(server.url, (fd) =>
        fd.incidents.createWithAttachments({ title: 42 } as never, [])
      ).pipe(Effect.exit)
      assert.strictEqual(failureOf(exit)._tag, "InvalidParameter")
      assert.lengthOf(server.requests, 0)
    }).pipe(Effect.scoped)
  )
})

describe("alertEnrichment.mappingDataUpload", () => {
  const csv = "host,team\nweb-1,payments\nweb-2,search\n"

  it.live(
    "sends the CSV as the multipart `file` part, schema_id and do_not_truncate_first in the query",
    () =>
      Effect.gen(function* () {
        const server = yield* loopback((_req, res) => {
          res.writeHead(200, { "content-type": "application/json" })
          res.end(JSON.stringify({ request_id: "RID-UP", data: {} }))
        })
        const { meta } = yield* withFlashduty(server.url, (fd) =>
          fd.alertEnrichment.mappingDataUpload({
            schema_id: "665f1c2e9b1d4a0012345678",
            do_not_truncate_first: "TRUE",
            file: UploadFile.fromStream(Stream.make(new TextEncoder().encode(csv)), {
              fileName: "mapping.csv",
              contentType: "text/csv"
            })
          })
        )
        assert.strictEqual(meta.requestId, "RID-UP")
        const received = server.requests[0]!
        const url = new URL(received.url, server.url)
        assert.strictEqual(url.pathname, "/enrichment/mapping/data/upload")
        assert.strictEqual(url.searchParams.get("schema_id"), "665f1c2e9b1d4a0012345678")
        assert.strictEqual(url.searchParams.get("do_not_truncate_first"), "TRUE")
        assert.strictEqual(url.searchParams.get("app_key"), "streaming-test-app-key")
        assert.match(String(received.headers["content-type"]), /^multipart\/form-data; boundary=/)
        const form = yield* Effect.promise(() => parseMultipart(received))
        assert.deepStrictEqual([...form.keys()], ["file"])
        const file = form.get("file") as File
        assert.strictEqual(file.name, "mapping.csv")
        assert.strictEqual(yield* Effect.promise(() => file.text()), csv)
      }).pipe(Effect.scoped)
  )

  it.live("a missing schema_id or file is refused before anything is sent", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) => {
        res.end()
      })
      for (const [request, path] of [
        [
          { schema_id: "", file: UploadFile.fromBytes(new TextEncoder().encode(csv), "mapping.csv") },
          "schema_id"
        ],
        [{ schema_id: "s1" }, "file"]
      ] as const) {
        const exit = yield* withFlashduty(server.url, (fd) =>
          fd.alertEnrichment.mappingDataUpload(request as never)
        ).pipe(Effect.exit)
        const error = failureOf(exit)
        assert.strictEqual(error._tag, "InvalidParameter")
        assert.strictEqual((error as { path?: string }).path, path)
      }
      assert.lengthOf(server.requests, 0)
    }).pipe(Effect.scoped)
  )
})

describe("file exports", () => {
  const csv = "Method,Recipient,Components,Subscribe All,Locale\nemail,alice@example.com,,true,zh-CN\n"
  const csvServer = loopback((_req, res) => {
    res.writeHead(200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="subscribers-42.csv"`
    })
    res.end(csv)
  })

  it.live("downloadExport returns a CSV answer raw, with its content type and file name", () =>
    Effect.gen(function* () {
      const server = yield* csvServer
      const answer = yield* withFlashduty(server.url, () =>
        Effect.scoped(
          Effect.gen(function* () {
            const answer = yield* downloadExport("statusPageSubscriberExport", { page_id: 42 })
            if (answer._tag !== "File") return { tag: answer._tag }
            const text = yield* answer.file.stream.pipe(Stream.decodeText, Stream.mkString)
            return { tag: answer._tag, text, type: answer.file.contentType, name: answer.file.fileName }
          })
        )
      )
      assert.deepStrictEqual(answer, {
        tag: "File",
        text: csv,
        type: "text/csv; charset=utf-8",
        name: "subscribers-42.csv"
      })
      assert.strictEqual(pathOf(server.requests[0]!), "/status-page/subscriber/export")
    }).pipe(Effect.scoped)
  )

  it.live("the generated …Download companion hands over the CSV raw, and a JSON answer decoded", () =>
    Effect.gen(function* () {
      const server = yield* csvServer
      const file = yield* withFlashduty(server.url, (fd) =>
        Effect.scoped(
          Effect.gen(function* () {
            const answer = yield* fd.statusPages.subscriberExportDownload({ page_id: 42 })
            if (answer._tag !== "File") return { tag: answer._tag }
            const text = yield* answer.file.stream.pipe(Stream.decodeText, Stream.mkString)
            return { tag: answer._tag, text, name: answer.file.fileName }
          })
        )
      )
      assert.deepStrictEqual(file, { tag: "File", text: csv, name: "subscribers-42.csv" })

      const jsonServer = yield* loopback((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" })
        res.end(JSON.stringify({ request_id: "req_rules", data: [{ name: "CPU High" }] }))
      })
      const json = yield* withFlashduty(jsonServer.url, (fd) =>
        Effect.scoped(fd.alertRules.exportDownload({ ids: [1] }))
      )
      assert.strictEqual(json._tag, "Json")
      if (json._tag === "Json") {
        assert.strictEqual(json.meta.requestId, "req_rules")
        assert.strictEqual(json.data[0]?.name, "CPU High")
      }
    }).pipe(Effect.scoped)
  )

  it.live("the generated method returns the CSV text as data; a JSON answer is decoded as JSON", () =>
    Effect.gen(function* () {
      const server = yield* csvServer
      const { data } = yield* withFlashduty(server.url, (fd) =>
        fd.statusPages.subscriberExport({ page_id: 42 })
      )
      assert.strictEqual(data, csv)

      const rules = [{ name: "CPU High", ds_type: "prometheus", enabled: true, cron_pattern: "* * * * *" }]
      const jsonServer = yield* loopback((_req, res) => {
        res.writeHead(200, { "content-type": "application/json; charset=utf-8" })
        res.end(JSON.stringify({ request_id: "req_rules", data: rules }))
      })
      const exported = yield* withFlashduty(jsonServer.url, (fd) => fd.alertRules.export({ ids: [1] }))
      assert.strictEqual(exported.meta.requestId, "req_rules")
      assert.strictEqual(exported.data[0]?.name, "CPU High")
    }).pipe(Effect.scoped)
  )

  it.live("a file that the JSON schema cannot hold fails with DecodeError naming the file", () =>
    Effect.gen(function* () {
      const server = yield* csvServer
      const exit = yield* withFlashduty(server.url, (fd) => fd.alertRules.export({ ids: [1] })).pipe(
        Effect.exit
      )
      const error = failureOf(exit)
      assert.strictEqual(error._tag, "DecodeError")
      assert.include(error.message, "subscribers-42.csv")
    }).pipe(Effect.scoped)
  )
})

describe("sessionReplay segments", () => {
  const record = (i: number) => `${JSON.stringify({ segment: i, records: [{ type: 2, data: { i } }] })}\n`

  it.live("streaming mode: NDJSON records page after page, following X-Search-After-Ctx", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res, body) => {
        const cursor = (JSON.parse(body.toString()) as { search_after_ctx?: string }).search_after_ctx
        const page = cursor === undefined ? 0 : Number(cursor)
        const headers: Record<string, string> = { "content-type": "application/x-ndjson" }
        if (page < 2) headers["x-search-after-ctx"] = String(page + 1)
        res.writeHead(200, headers)
        res.end([0, 1, 2].map((i) => record(page * 3 + i)).join(""))
      })
      const records = yield* withFlashduty(server.url, (fd) =>
        Stream.runCollect(fd.sessionReplay.segmentsStream({ session_id: "sess_rum", limit: 3 }))
      )
      assert.deepStrictEqual(
        records.map((r) => (r as { segment: number }).segment),
        [0, 1, 2, 3, 4, 5, 6, 7, 8]
      )
      assert.deepStrictEqual(
        server.requests.map((r) => JSON.parse(r.body.toString())),
        [
          { session_id: "sess_rum", limit: 3, url_mode: false },
          { session_id: "sess_rum", limit: 3, url_mode: false, search_after_ctx: "1" },
          { session_id: "sess_rum", limit: 3, url_mode: false, search_after_ctx: "2" }
        ]
      )
    }).pipe(Effect.scoped)
  )

  it.live("streaming mode: a cursor that comes back (a loop of two pages) ends the walk", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res, body) => {
        const cursor = (JSON.parse(body.toString()) as { search_after_ctx?: string }).search_after_ctx
        // "a" → "b" → "a" → … forever, unless the client notices.
        res.writeHead(200, {
          "content-type": "application/x-ndjson",
          "x-search-after-ctx": cursor === "a" ? "b" : "a"
        })
        res.end(record(server.requests.length))
      })
      const records = yield* withFlashduty(server.url, (fd) =>
        Stream.runCollect(fd.sessionReplay.segmentsStream({ session_id: "sess_rum" }))
      )
      assert.strictEqual(records.length, 3, "pages: first, a, b; then a again ends it")
      assert.strictEqual(server.requests.length, 3)
    }).pipe(Effect.scoped)
  )

  it.live("streaming mode answered with the URL envelope: a DecodeError, not a quietly empty stream", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" })
        res.end(
          JSON.stringify({ request_id: "r", data: { items: ["https://s3/seg1"], search_after_ctx: "c2" } })
        )
      })
      const exit = yield* withFlashduty(server.url, (fd) =>
        Stream.runCollect(fd.sessionReplay.segmentsStream({ session_id: "sess_rum" }))
      ).pipe(Effect.exit)
      const error = failureOf(exit)
      assert.strictEqual(error._tag, "DecodeError")
      assert.include(error.message, "segmentUrls")
    }).pipe(Effect.scoped)
  )

  it.live("segments answers either shape: records with their cursor, or the URL envelope", () =>
    Effect.gen(function* () {
      const server = yield* loopback((_req, res, body) => {
        if ((JSON.parse(body.toString()) as { url_mode?: boolean }).url_mode === true) {
          res.writeHead(200, { "content-type": "application/json" })
          res.end(
            JSON.stringify({
              request_id: "req_urls",
              data: { items: ["https://a/1"], search_after_ctx: "c2" }
            })
          )
        } else {
          res.writeHead(200, { "content-type": "application/x-ndjson", "x-search-after-ctx": "c1" })
          res.end(record(0) + record(1))
        }
      })
      const [records, urls, direct] = yield* withFlashduty(server.url, (fd) =>
        Effect.scoped(
          Effect.gen(function* () {
            const page = yield* fd.sessionReplay.segments({ session_id: "s" })
            const records =
              page._tag === "Records"
                ? { cursor: page.searchAfterCtx, count: yield* Stream.runCount(page.records) }
                : page
            const urlPage = yield* fd.sessionReplay.segments({ session_id: "s", url_mode: true })
            const direct = yield* fd.sessionReplay.segmentUrls({ session_id: "s" })
            return [records, urlPage, direct] as const
          })
        )
      )
      assert.deepStrictEqual(records, { cursor: "c1", count: 2 })
      assert.strictEqual(urls._tag, "Urls")
      if (urls._tag === "Urls") assert.deepStrictEqual(urls.data.items, ["https://a/1"])
      assert.strictEqual(direct.data.search_after_ctx, "c2")
      assert.strictEqual(direct.meta.requestId, "req_urls")
    }).pipe(Effect.scoped)
  )
})
