/**
 * A consumer's program, compiled against the installed package (see `../check.ts`): model types
 * and `ErrorCode` from the root, a service and its schemas from a subpath, optional fields given
 * as `undefined`, required ids used without `!`. It runs against the stand-in and exits non-zero
 * when what it reads is not what it should be.
 */
import { Effect, Layer, Schema, Stream } from "effect"
import { FetchHttpClient } from "effect/http"
import {
  ErrorCode,
  Flashduty,
  FlashdutyClient,
  type IncidentInfo,
  type ListIncidentsRequest,
  type TimeInput
} from "effect-flashduty"
import { IncidentInfo as IncidentInfoSchema, Incidents } from "effect-flashduty/incidents"

// What a form or a CLI hands over: possibly undefined.
const progress: string | undefined = process.env.CONSUMER_PROGRESS
const since: TimeInput | undefined = undefined

// Optional fields given as `undefined` compile with and without exactOptionalPropertyTypes.
const request: ListIncidentsRequest = { progress, start_time: since, limit: 5 }

// A required response field is a plain `string`: no `!`, no `?? ""`.
const idOf = (incident: IncidentInfo): string => incident.incident_id

const isLocked = (error: { readonly code?: string }): boolean => error.code === ErrorCode.RequestLocked

const check = (condition: boolean, what: string) =>
  condition ? Effect.void : Effect.die(new Error(`consumer check failed: ${what}`))

const program = Effect.gen(function* () {
  const fd = yield* Flashduty
  const { data } = yield* fd.incidents.list(request)
  yield* check(data.items.length > 0, "the stand-in lists incidents")
  const ids = data.items.map(idOf)
  yield* check(
    ids.every((id) => typeof id === "string" && id.length > 0),
    "every incident has an id"
  )

  // Ids straight from a stream into a write.
  const streamed = yield* fd.incidents.listStream({ progress, limit: 2 }).pipe(
    Stream.map((incident) => incident.incident_id),
    Stream.take(3),
    Stream.runCollect
  )
  yield* fd.incidents.ack({ incident_ids: [...streamed], custom_fields: undefined })

  // The service on its own, from its subpath.
  const incidents = yield* Incidents
  const one = yield* incidents.info({ incident_id: ids[0]! })
  yield* check(one.data.incident_id === ids[0], "info returns the incident asked for")

  // A schema from the subpath decodes stored JSON; a field the store lacks gets Go's zero value.
  const stored = Schema.decodeUnknownSync(IncidentInfoSchema)({ incident_id: "stored-1" })
  yield* check(stored.incident_id === "stored-1" && stored.title === "", "stored JSON decodes with zeros")

  // A fraction where a whole number belongs is refused before anything is sent.
  const refused = yield* Effect.flip(fd.incidents.list({ start_time: 1711929600.7 }))
  yield* check(refused._tag === "InvalidParameter", "a fraction of a second is refused")
  yield* check(!isLocked(refused), "ErrorCode constants compare with error codes")

  console.log(`consumer: ${ids.length} incidents listed, ${streamed.length} acknowledged from a stream`)
})

const live = Layer.mergeAll(Flashduty.layerFromClient, Incidents.layer).pipe(
  Layer.provideMerge(FlashdutyClient.layerConfig()),
  Layer.provide(FetchHttpClient.layer)
)

Effect.runPromise(Effect.provide(program, live)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
