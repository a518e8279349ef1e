/** The README's code snippets, kept compiling by `npm run typecheck` (not run: they need an account). */
import { Effect, Layer, Redacted, Schema, Stream } from "effect"
import { FetchHttpClient } from "effect/http"
import { Flashduty, FlashdutyClient, Incidents, Retry } from "effect-flashduty"
import { FlashdutyTest } from "effect-flashduty/testing"

const program = Effect.gen(function* () {
  const fd = yield* Flashduty
  const { data, meta } = yield* fd.incidents.list({ progress: "Triggered", limit: 20 })
  for (const incident of data.items) console.log(`[${incident.incident_severity}] ${incident.title}`)
  console.log(meta.requestId, meta.total, meta.hasNextPage)
  const titles = yield* fd.incidents.listStream({ progress: "Triggered", limit: 100 }).pipe(
    Stream.map((incident) => incident.title),
    Stream.take(500),
    Stream.runCollect
  )
  const r = yield* fd.incidents
    .info({ incident_id: "missing" })
    .pipe(Effect.catchTag("NotFound", (e) => Effect.succeed(`no such incident (request ${e.requestId})`)))
  const token = Redacted.make("sat_…")
  const fired = yield* fd.automations.triggerFire({ trigger_id: "atrig_2bLq4x", text: "disk full" }, token)
  const client = yield* FlashdutyClient
  const packs = yield* client.request({
    method: "POST",
    path: "/safari/knowledge/pack/list",
    body: { p: 1, limit: 20 },
    response: Schema.Struct({ items: Schema.Array(Schema.Unknown) }),
    access: "read"
  })
  return [titles, r, fired.data.session_id, packs.data.items]
})
export const run = program.pipe(
  Effect.provide(Flashduty.layer({ appKey: Redacted.make(process.env.FLASHDUTY_APP_KEY ?? "") })),
  Effect.provide(FetchHttpClient.layer),
  Effect.runPromise
)
const appKey = "x"
export const IncidentsLive = Incidents.layer.pipe(Layer.provide(FlashdutyClient.layer({ appKey })))
export const live = Flashduty.layer({
  appKey: Redacted.make(process.env.FLASHDUTY_APP_KEY ?? ""),
  retry: Retry.defaultPolicy,
  rateLimit: { perSecond: 50, perMinute: 1000 },
  maxResponseBytes: 10 * 1024 * 1024
}).pipe(Layer.provide(FetchHttpClient.layer))
export const fromEnv = Flashduty.layerConfig.pipe(Layer.provide(FetchHttpClient.layer))
export const TestLayer = Flashduty.layer({ appKey: FlashdutyTest.appKey }).pipe(
  Layer.provideMerge(FlashdutyTest.layer({ incidents: { count: 50 } }))
)
