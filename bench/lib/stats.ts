/**
 * Summaries of repeated measurements. Every figure is reported as min / median / max over
 * several runs, and as a ratio against its baseline measured in the same run (the bench
 * machines are shared and noisy, so absolute numbers alone mean little).
 */

/** min / median / max (and p99 when asked) of a sample, in the sample's unit. */
export interface Summary {
  readonly min: number
  readonly median: number
  readonly max: number
  readonly p99: number
  readonly n: number
}

/** The `q`-quantile (0..1) of an already sorted sample, nearest rank. */
const quantile = (sorted: ReadonlyArray<number>, q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN

/**
 * Summarises a sample.
 *
 * @example
 * ```ts
 * summarize([3, 1, 2]) // { min: 1, median: 2, max: 3, p99: 3, n: 3 }
 * ```
 */
export const summarize = (sample: ReadonlyArray<number>): Summary => {
  const sorted = [...sample].sort((a, b) => a - b)
  return {
    min: sorted[0] ?? Number.NaN,
    median: quantile(sorted, 0.5),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    p99: quantile(sorted, 0.99),
    n: sorted.length
  }
}

/** A number rounded to `digits` significant-ish decimals for tables. */
export const fmt = (value: number, digits = 2): string =>
  Number.isFinite(value) ? value.toFixed(value >= 100 ? Math.min(digits, 1) : digits) : String(value)

/** `"min / median / max"` of a summary. */
export const triple = (s: Summary, digits = 2): string =>
  `${fmt(s.min, digits)} / ${fmt(s.median, digits)} / ${fmt(s.max, digits)}`

/** `"met"` or `"MISSED"` for a goal. */
export const verdict = (met: boolean): string => (met ? "met" : "MISSED")
