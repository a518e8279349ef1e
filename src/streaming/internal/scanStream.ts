/**
 * A stateful, batch-wise stream transformer whose step may reject an element.
 *
 * Why not `Stream.mapAccum`: it cannot fail. Why not `Stream.mapEffect`: one effect per
 * element is needless overhead on a million-line transcript. Here the elements accepted
 * before a rejection are still emitted, and the stream fails on the following pull, so a
 * consumer sees every good line that arrived before the bad one.
 */
import type * as Arr from "effect/Array"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Pull from "effect/Pull"
import * as Stream from "effect/Stream"

/**
 * @param init fresh state for each run of the stream
 * @param step handles one element, pushing outputs to `out`; returns an error to stop
 * @param finish runs once when the upstream ends, may push final outputs to `out`; returns an
 *   error to fail instead of ending (after those outputs)
 */
export const scanStream = <A, B, E, R, F, S>(
  self: Stream.Stream<A, E, R>,
  init: () => S,
  step: (state: S, input: A, out: Array<B>) => F | undefined,
  finish: (state: S, out: Array<B>) => F | undefined
): Stream.Stream<B, E | F, R> =>
  Stream.transformPull(self, (upstream) =>
    Effect.sync(() => {
      const state = init()
      let failure: { readonly error: F } | undefined
      let ended = false
      const pull: Pull.Pull<Arr.NonEmptyReadonlyArray<B>, E | F> = Effect.suspend(() => {
        if (failure !== undefined) return Effect.fail(failure.error)
        if (ended) return Cause.done()
        return Pull.matchEffect(upstream, {
          onSuccess: (batch) => {
            const out: Array<B> = []
            for (const input of batch) {
              const error = step(state, input, out)
              if (error !== undefined) {
                failure = { error }
                break
              }
            }
            if (out.length > 0) return Effect.succeed(out as unknown as Arr.NonEmptyReadonlyArray<B>)
            return failure !== undefined ? Effect.fail(failure.error) : pull
          },
          onFailure: Effect.failCause,
          onDone: (): Pull.Pull<Arr.NonEmptyReadonlyArray<B>, F> => {
            ended = true
            const out: Array<B> = []
            const error = finish(state, out)
            if (error !== undefined) failure = { error }
            if (out.length > 0) return Effect.succeed(out as unknown as Arr.NonEmptyReadonlyArray<B>)
            return error === undefined ? Cause.done() : Effect.fail(error)
          }
        })
      })
      return pull
    })
  )
