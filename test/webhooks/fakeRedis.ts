/**
 * A small in-memory stand-in for Effect's `Redis` service (`effect/persistence/Redis`): `SET`
 * (with `NX`, `PX` / `EX`), `GET`, `DEL`, `PTTL`, expiry on Effect's `Clock`. Enough for the Redis
 * dedup store's tests; each command is atomic, as in Redis. `failing` makes every command fail, as
 * an unreachable server would. The commands it received are kept, for assertions.
 */
import { Clock, Effect, Layer } from "effect"
import * as Redis from "effect/persistence/Redis"

export interface FakeRedis {
  readonly layer: Layer.Layer<Redis.Redis>
  readonly commands: Array<ReadonlyArray<string>>
  failing: boolean
}

export const makeFakeRedis = (): FakeRedis => {
  const values = new Map<string, { value: string; expiresAt: number | undefined }>()
  const commands: Array<ReadonlyArray<string>> = []
  const fake: FakeRedis = { layer: undefined as any, commands, failing: false }

  const live = (key: string, now: number) => {
    const entry = values.get(key)
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now) {
      values.delete(key)
      return undefined
    }
    return entry
  }

  const run = (command: string, args: ReadonlyArray<string>, now: number): unknown => {
    switch (command.toUpperCase()) {
      case "SET": {
        const [key, value, ...options] = args
        if (key === undefined || value === undefined)
          throw new Error("ERR wrong number of arguments for 'set'")
        let nx = false
        let expiresAt: number | undefined
        for (let i = 0; i < options.length; i++) {
          const option = options[i]!.toUpperCase()
          if (option === "NX") nx = true
          else if (option === "PX" || option === "EX") {
            const n = Number(options[++i])
            if (!Number.isInteger(n) || n <= 0) throw new Error("ERR invalid expire time in 'set' command")
            expiresAt = now + (option === "PX" ? n : n * 1000)
          } else throw new Error(`ERR syntax error (${option})`)
        }
        if (nx && live(key, now) !== undefined) return null
        values.set(key, { value, expiresAt })
        return "OK"
      }
      case "GET":
        return live(args[0] ?? "", now)?.value ?? null
      case "DEL":
        return args.filter((key) => live(key, now) !== undefined && values.delete(key)).length
      case "PTTL": {
        const entry = live(args[0] ?? "", now)
        return entry === undefined ? -2 : entry.expiresAt === undefined ? -1 : entry.expiresAt - now
      }
      default:
        throw new Error(`ERR unknown command '${command}'`)
    }
  }

  const send = <A = unknown>(
    command: string,
    ...args: ReadonlyArray<string>
  ): Effect.Effect<A, Redis.RedisError> =>
    Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Effect.suspend(() => {
        commands.push([command, ...args])
        if (fake.failing)
          return Effect.fail(
            new Redis.RedisError({ cause: new Error("connect ECONNREFUSED redis://:pw@10.0.0.9") })
          )
        try {
          return Effect.succeed(run(command, args, now) as A)
        } catch (cause) {
          return Effect.fail(new Redis.RedisError({ cause }))
        }
      })
    )

  const service: Redis.Redis["Service"] = {
    send,
    subscribe: () => Effect.die("the fake Redis has no pub/sub"),
    eval: () => () => Effect.die("the fake Redis has no scripts"),
    reserve: Effect.die("the fake Redis has no reserved connections")
  }
  ;(fake as { layer: Layer.Layer<Redis.Redis> }).layer = Layer.succeed(Redis.Redis, service)
  return fake
}
