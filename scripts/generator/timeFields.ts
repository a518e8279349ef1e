/**
 * Which integer fields are points in time, and in which unit.
 *
 * A field is a time field when it is a number and either its description speaks of a
 * Unix/epoch timestamp, or its name says so (`*_time`, `*_at`, `time`, `timestamp`…)
 * and its description does not describe a duration. Milliseconds when the description
 * says so (`millisecond`, `ms`), seconds otherwise. Durations such as `seconds_to_ack`,
 * `delay_seconds` or `*_duration` never are. Every decision is listed in
 * `src/generated/TIME_FIELDS.md` so that a reviewer can check it.
 */
import type { JsonSchema } from "./spec.js"

export type TimeUnit = "seconds" | "millis"

const isNumeric = (schema: JsonSchema): boolean => {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type]
  return types.includes("integer") || types.includes("number")
}

const timestampWords = /\b(unix|epoch)\b|timestamp/i
const durationWords =
  /\b(duration|elapsed|interval|timeout|ttl|how long|number of (seconds|milliseconds|minutes))\b/i
const timeName = /(^|_)(time|timestamp|at|ts)$|^(created|updated|deleted|start|end|since|until|before|after)$/
const durationName =
  /(^|_)(seconds?|secs?|ms|millis|minutes?|hours?|days?|duration|cnt|count|offset|ttl|interval)$|^seconds_to_/

export const timeUnitOf = (name: string, schema: JsonSchema): TimeUnit | undefined => {
  if (!isNumeric(schema) || schema.enum !== undefined) return undefined
  const description = schema.description ?? ""
  const saysTimestamp = timestampWords.test(description)
  const saysDuration = durationWords.test(description)
  const time = saysTimestamp
    ? !saysDuration || timeName.test(name)
    : timeName.test(name) && !saysDuration && !durationName.test(name)
  if (!time) return undefined
  return /millisecond|\bms\b/i.test(description) || /_ms$/.test(name) ? "millis" : "seconds"
}
