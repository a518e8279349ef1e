/** The SDK's version, sent in the default `User-Agent` (`effect-flashduty/<version>`). */
export const version = "0.1.0"
