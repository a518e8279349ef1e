/**
 * Calling an operation the spec does not have yet. The live API has more operations than
 * this SDK's spec (knowledge packs, service maps, dashboards, …); `FlashdutyClient.request`
 * calls any path through the same pipeline as the generated methods: credentials, rate
 * limit, retries (here as a read), timeout, caps, error mapping, spans and redaction, with
 * `data` decoded by your own `Schema`.
 *
 * Against the stand-in, the path is answered by an override (it answers unknown paths with
 * `RouteNotFound` otherwise), the way a test of your own would stub it.
 *
 *   npx tsx examples/raw-request.ts
 *   FLASHDUTY_APP_KEY=… npx tsx examples/raw-request.ts   # the real API
 */
import { Console, Effect, Schema } from "effect"
import { FlashdutyClient } from "effect-flashduty"
import { defineExample, runMain } from "./runtime.js"

/** A knowledge pack, as far as this program cares. */
const KnowledgePack = Schema.Struct({ pack_id: Schema.String, name: Schema.String })
const PackList = Schema.Struct({ items: Schema.Array(KnowledgePack), total: Schema.Number })

export const program = Effect.gen(function* () {
  const client = yield* FlashdutyClient
  const { data, meta } = yield* client.request({
    method: "POST",
    path: "/safari/knowledge/pack/list",
    body: { p: 1, limit: 20 },
    response: PackList,
    access: "read",
    operationId: "knowledge-pack-read-list"
  })
  yield* Console.log(`${data.total} knowledge packs (request ${meta.requestId}):`)
  for (const pack of data.items) yield* Console.log(`  ${pack.pack_id}  ${pack.name}`)
  return data.items
})

export const example = defineExample({
  title: "A path the spec lacks, through FlashdutyClient.request",
  program,
  client: (standIn) =>
    Effect.gen(function* () {
      // The stand-in does not know this path: stub its answer, as a test would.
      if (standIn !== undefined) {
        yield* standIn.override("POST /safari/knowledge/pack/list", {
          data: {
            total: 2,
            items: [
              { pack_id: "kp_runbooks", name: "Runbooks", files: 12 },
              { pack_id: "kp_postmortems", name: "Post-mortems", files: 48 }
            ]
          }
        })
      }
      return {}
    })
})

runMain(example, import.meta.url)
