/**
 * The webhook receiver's Redis dedup store (`Webhooks.redisStore`) against a real Redis
 * (`npm run test:redis`, which starts one and sets `REDIS_URL`): the store contract shared with the
 * memory store (`test/webhooks/storeContract.ts`), and two receivers standing for two replicas
 * behind one endpoint, sharing the store: a burst of deliveries of one event, spread over both,
 * is processed exactly once between them.
 */
import { NodeRedis } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Layer, Ref } from "effect"
import * as Webhooks from "../../src/webhooks/Webhooks.js"
import { storeContract } from "../webhooks/storeContract.js"
import { deliver, fixture, SECRET, SECRET_HEADER } from "../webhooks/support.js"

const url = process.env.REDIS_URL
if (url === undefined || url === "")
  throw new Error("REDIS_URL is not set: run this suite with npm run test:redis")

const RedisLive = NodeRedis.layer({ url, disableOfflineQueue: true })

/** A store over its own connection, with a prefix no other run shares. */
const freshStore = Effect.gen(function* () {
  const context = yield* Layer.build(RedisLive)
  return yield* Webhooks.redisStore({ prefix: `test:webhooks:${Date.now()}:${Math.random()}:` }).pipe(
    Effect.provideContext(context)
  )
})

describe("Webhooks.redisStore on a real Redis", () => {
  storeContract({
    name: "redis store (real server)",
    make: freshStore as Effect.Effect<Webhooks.SetIfAbsent, unknown, never>,
    wait: (duration) => Effect.sleep(duration),
    test: it.live,
    ttl: Duration.millis(300)
  })

  it.live("two replicas sharing the store: 40 concurrent deliveries of one event, processed once", () =>
    Effect.gen(function* () {
      const dedup = yield* freshStore
      const runs = yield* Ref.make(0)
      const replica = () =>
        Webhooks.makeReceiver({
          secret: { header: SECRET_HEADER, value: SECRET },
          dedup,
          handle: () => Ref.update(runs, (n) => n + 1)
        })
      const replicas = [yield* replica(), yield* replica()]
      const body = { ...fixture("incident-i_new"), event_id: `redis-${Date.now()}` }
      const answers = yield* Effect.all(
        Array.from({ length: 40 }, (_, i) => deliver(replicas[i % 2]!.handler, { body })),
        { concurrency: "unbounded" }
      )
      assert.isTrue(answers.every((answer) => answer.status === 200))
      for (const receiver of replicas) yield* receiver.drain
      assert.strictEqual(yield* Ref.get(runs), 1)
    })
  )
})
