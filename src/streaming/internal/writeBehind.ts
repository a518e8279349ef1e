/**
 * A byte sink that writes behind the stream: chunks are gathered into batches of at least
 * `batchBytes`, and each batch is written while the next one is being read.
 *
 * Why: a file write awaited per chunk (64 KiB from `fetch`) stalls the read for every
 * write, and each write is a thread-pool round trip; `Stream.buffer` in front of the sink
 * overlaps them but pays a fiber hand-off per chunk. Here the reading fiber only waits for
 * a write when the next batch is ready and the previous write is still running, so at most
 * one write is in flight and about two batches are held.
 */
import type * as Arr from "effect/Array"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Pull from "effect/Pull"
import * as Sink from "effect/Sink"

/**
 * A failed write fails the sink when the next batch is ready or the stream ends (the bytes
 * after it are not written); an interrupted sink interrupts the write in flight.
 *
 * @param write writes one batch, in order, completely (called with at most one batch at a time)
 * @param batchBytes a batch is written once it holds at least this many bytes; the rest is
 *   written when the stream ends
 *
 * @example
 * ```ts
 * const sink = writeBehindSink((chunks) => attempt(() => handle.writev(chunks)), 256 * 1024)
 * ```
 */
export const writeBehindSink = <E, R>(
  write: (chunks: Arr.NonEmptyReadonlyArray<Uint8Array>) => Effect.Effect<void, E, R>,
  batchBytes: number
): Sink.Sink<void, Uint8Array, never, E, R> =>
  Sink.fromTransform((upstream, scope) => {
    let batch: Array<Uint8Array> = []
    let batchSize = 0
    let inFlight: Fiber.Fiber<void, E> | undefined

    /** Waits for the write in flight (failing with its error), then starts writing the batch. */
    const writeBatch = Effect.suspend(() => {
      const chunks = batch as unknown as Arr.NonEmptyReadonlyArray<Uint8Array>
      batch = []
      batchSize = 0
      const previous = inFlight
      inFlight = undefined
      const start = Effect.flatMap(Effect.forkIn(write(chunks), scope), (fiber) =>
        Effect.sync(() => {
          inFlight = fiber
        })
      )
      return previous === undefined ? start : Effect.andThen(Fiber.join(previous), start)
    })

    const onChunks = (chunks: Arr.NonEmptyReadonlyArray<Uint8Array>) => {
      for (const chunk of chunks) {
        if (chunk.length === 0) continue
        batch.push(chunk)
        batchSize += chunk.length
      }
      return batchSize >= batchBytes ? writeBatch : Effect.void
    }

    /** The stream ended: the last write, then what is left, both awaited. */
    const finish = Effect.suspend(() => {
      const previous = inFlight
      inFlight = undefined
      const rest =
        batch.length === 0 ? Effect.void : write(batch as unknown as Arr.NonEmptyReadonlyArray<Uint8Array>)
      batch = []
      batchSize = 0
      return Effect.as(previous === undefined ? rest : Effect.andThen(Fiber.join(previous), rest), [
        undefined
      ] as const)
    })

    return upstream.pipe(
      Effect.flatMap(onChunks),
      Effect.forever({ disableYield: true }),
      Pull.catchDone(() => finish)
    )
  })
