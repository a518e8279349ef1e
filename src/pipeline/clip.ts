/**
 * Bounds a text copied out of an answer into an error, a log line or a span: a hostile or
 * broken server must not make each of them carry megabytes.
 */

/** `text` cut to `max` characters, saying how long it was. */
export const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters in all)`
