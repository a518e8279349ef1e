/**
 * What a result was measured on: CPU, memory, Node, date and the load at that moment
 * (other engineers and CI share these machines; the load says how noisy a run was).
 */
import * as os from "node:os"

/** One line describing the machine and its current load. */
export const describeMachine = (): string => {
  const cpus = os.cpus()
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(", ")
  return [
    `${cpus.length} × ${cpus[0]?.model ?? "unknown CPU"}`,
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `Node ${process.version}`,
    new Date().toISOString(),
    `load average ${load}`
  ].join(" · ")
}
