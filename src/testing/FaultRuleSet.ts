/**
 * The live set of fault rules with their counters. Deciding which faults hit a
 * request is synchronous and deterministic for a given seed and request order.
 */
import type * as Random from "effect/Random"
import type { Fault, FaultRule } from "./Fault.js"

interface LiveRule {
  readonly rule: FaultRule
  matched: number
  fired: number
}

/** The faults chosen for one request: delays to wait, then at most one fault that changes the answer. */
export interface FaultDecision {
  readonly latencies: ReadonlyArray<Extract<Fault, { _tag: "Latency" }>>
  readonly fault: Exclude<Fault, { _tag: "Latency" }> | undefined
}

const matches = (rule: FaultRule, operationId: string | undefined, path: string): boolean => {
  if (rule.operationId !== undefined) {
    const ids = typeof rule.operationId === "string" ? [rule.operationId] : rule.operationId
    if (operationId === undefined || !ids.includes(operationId)) return false
  }
  if (rule.path !== undefined) {
    if (typeof rule.path === "string" ? rule.path !== path : !rule.path.test(path)) return false
  }
  return true
}

export class FaultRuleSet {
  private rules: Array<LiveRule> = []

  constructor(
    private readonly random: Random.Random,
    initial: ReadonlyArray<FaultRule> = []
  ) {
    for (const rule of initial) this.add(rule)
  }

  add(rule: FaultRule): void {
    this.rules.push({ rule, matched: 0, fired: 0 })
  }

  clear(): void {
    this.rules = []
  }

  /** Rules are tried in the order they were added; every firing latency applies, the first other fault wins. */
  decide(operationId: string | undefined, path: string): FaultDecision {
    const latencies: Array<Extract<Fault, { _tag: "Latency" }>> = []
    let fault: FaultDecision["fault"]
    for (const live of this.rules) {
      if (fault !== undefined && live.rule.fault._tag !== "Latency") continue
      if (!matches(live.rule, operationId, path)) continue
      live.matched++
      if (live.matched <= (live.rule.skip ?? 0)) continue
      if (live.rule.times !== undefined && live.fired >= live.rule.times) continue
      const probability = live.rule.probability ?? 1
      // Draw only for partial probabilities so that adding a certain rule never shifts the sequence.
      if (probability < 1 && this.random.nextDoubleUnsafe() >= probability) continue
      live.fired++
      if (live.rule.fault._tag === "Latency") latencies.push(live.rule.fault)
      else fault = live.rule.fault
    }
    return { latencies, fault }
  }
}
