/**
 * The caller's input as an outside tester wrote it (adapted from an independent review): a
 * `Proxy` that throws from every trap, getters and `toString`s that throw, missing or
 * malformed arguments, files whose part headers would inject lines. On every kind of
 * operation each ends in a typed `InvalidParameter`, never a defect, and nothing reaches
 * the server.
 */
import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Stream } from "effect"
import { Flashduty } from "../../src/generated/Flashduty.js"
import * as UploadFile from "../../src/streaming/UploadFile.js"
import { SENTINEL_KEY, sdkLayer } from "../reliability/support/client.js"
import { envelope, rawServer } from "../reliability/support/rawServer.js"

/** A value on which every reflective operation throws. */
const trapAll = new Proxy(
  {},
  {
    ownKeys() {
      throw new Error("ownKeys trap")
    },
    get() {
      throw new Error("get trap")
    },
    has() {
      throw new Error("has trap")
    },
    getOwnPropertyDescriptor() {
      throw new Error("getOwnPropertyDescriptor trap")
    },
    getPrototypeOf() {
      throw new Error("getPrototypeOf trap")
    }
  }
)

const bytes = () => UploadFile.fromBytes(new Uint8Array([1]), "a.zip")
const window = { start_time: 0, end_time: 1 }

type Loose = (fd: any) => Effect.Effect<unknown, unknown, any>

const cases: ReadonlyArray<readonly [string, Loose]> = [
  [
    "a JSON call: a getter that throws on a typed field",
    (fd) =>
      fd.incidents.list({
        start_time: 0,
        get end_time(): number {
          throw new Error("boom")
        }
      })
  ],
  ["a JSON call: the request is a Proxy", (fd) => fd.incidents.list(trapAll)],
  ["a JSON call: the options are a Proxy", (fd) => fd.incidents.list(window, trapAll)],
  ["a JSON call: options.headers is a Proxy", (fd) => fd.incidents.list(window, { headers: trapAll })],
  ["a GET call: the request is a Proxy", (fd) => fd.incidents.postMortemInfo(trapAll)],
  [
    "a JSON call: an unknown-typed field is a Proxy",
    (fd) => fd.incidents.create({ incident_severity: "Info", fields: trapAll })
  ],
  [
    "createWithAttachments: the request is a Proxy",
    (fd) => fd.incidents.createWithAttachments(trapAll, [bytes()])
  ],
  [
    "createWithAttachments: the images are a Proxy",
    (fd) => fd.incidents.createWithAttachments({ incident_severity: "Info" }, trapAll)
  ],
  [
    "createWithAttachments: the images are null",
    (fd) => fd.incidents.createWithAttachments({ incident_severity: "Info" }, null)
  ],
  [
    "createWithAttachments: an image is null",
    (fd) => fd.incidents.createWithAttachments({ incident_severity: "Info" }, [null])
  ],
  ["skills.upload: the request is a Proxy", (fd) => fd.skills.upload(trapAll)],
  ["skills.upload: no file", (fd) => fd.skills.upload({})],
  ["skills.upload: the file is a Proxy", (fd) => fd.skills.upload({ file: trapAll })],
  [
    "skills.upload: a field getter that throws",
    (fd) =>
      fd.skills.upload({
        file: bytes(),
        get team_id(): number {
          throw new Error("t")
        }
      })
  ],
  ["skills.upload: team_id NaN", (fd) => fd.skills.upload({ file: bytes(), team_id: Number.NaN })],
  ["skills.upload: replace is a string", (fd) => fd.skills.upload({ file: bytes(), replace: "yes" })],
  ["skills.upload: skill_id is a number", (fd) => fd.skills.upload({ file: bytes(), skill_id: 12 })],
  [
    "skills.upload: the bytes are not a Uint8Array",
    (fd) =>
      fd.skills.upload({
        file: { _tag: "Bytes", fileName: "a.zip", contentType: "application/zip", bytes: "x" }
      })
  ],
  [
    "skills.upload: a content type that would inject a header line (bytes)",
    (fd) =>
      fd.skills.upload({
        file: UploadFile.fromBytes(new Uint8Array([1]), "a.zip", "application/zip\r\nX-Injected: 1")
      })
  ],
  [
    "skills.upload: a content type that would inject a header line (stream)",
    (fd) =>
      fd.skills.upload({
        file: UploadFile.fromStream(Stream.make(new Uint8Array([1])), {
          fileName: "a.zip",
          contentType: "application/zip\r\nX-Injected: 1"
        })
      })
  ],
  [
    "skills.upload: a file name with a line break",
    (fd) =>
      fd.skills.upload({ file: UploadFile.fromBytes(new Uint8Array([1]), "a\r\nX-Injected: 1\r\n.zip") })
  ],
  [
    "skills.upload: a size that is not a whole number",
    (fd) =>
      fd.skills.upload({
        file: UploadFile.fromStream(Stream.make(new Uint8Array([1])), { fileName: "a.zip", size: Number.NaN })
      })
  ],
  ["sessions.export: the request is a Proxy", (fd) => Stream.runCollect(fd.sessions.export(trapAll))],
  ["sessionReplay.segments: the request is a Proxy", (fd) => fd.sessionReplay.segments(trapAll)],
  ["sessionReplay.segmentUrls: the request is a Proxy", (fd) => fd.sessionReplay.segmentUrls(trapAll)],
  [
    "sessionReplay.segmentsStream: the request is a Proxy",
    (fd) => Stream.runCollect(fd.sessionReplay.segmentsStream(trapAll))
  ],
  ["listStream: the request is a Proxy", (fd) => Stream.runCollect(fd.incidents.listStream(trapAll))],
  ["an export: the request is a Proxy", (fd) => fd.statusPages.subscriberExport(trapAll)],
  ["an export download: the request is a Proxy", (fd) => fd.statusPages.subscriberExportDownload(trapAll)]
]

describe("hostile caller input: a typed InvalidParameter, nothing sent", () => {
  for (const [label, call] of cases) {
    it.live(label, () =>
      Effect.gen(function* () {
        const server = yield* rawServer((_request, response) => {
          response.writeHead(200, { "content-type": "application/json" })
          response.end(envelope({ items: [], skill_id: "s", incident_id: "i" }))
        })
        const exit = yield* Effect.suspend(() => Effect.flatMap(Flashduty, call)).pipe(
          Effect.provide(sdkLayer(server.url)),
          Effect.scoped,
          Effect.exit
        )
        assert.isTrue(Exit.isFailure(exit), "refused")
        if (Exit.isSuccess(exit)) return
        assert.isFalse(Cause.hasDies(exit.cause), `a defect: ${Cause.pretty(exit.cause)}`)
        const failure = exit.cause.reasons.find((reason) => reason._tag === "Fail")
        assert.strictEqual(
          (failure as { error: { _tag: string } } | undefined)?.error._tag,
          "InvalidParameter"
        )
        assert.notInclude(Cause.pretty(exit.cause), SENTINEL_KEY)
        assert.strictEqual(server.hits(), 0, "nothing was sent")
      }).pipe(Effect.scoped)
    )
  }
})
