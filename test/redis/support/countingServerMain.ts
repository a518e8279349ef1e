/**
 * The counting server (`countingServer.ts`) in a process of its own, so that its arrival times
 * are not delayed by the test runner's event loop: `node --import tsx countingServerMain.ts
 * <perSecond> [<perMinute>]` prints `LISTENING <url>`; `GET /__arrivals` answers the arrivals so far as JSON and
 * forgets them.
 */
import { startCountingServer } from "./countingServer.js"

const perMinute =
  process.argv[3] === undefined || process.argv[3] === "" ? undefined : Number(process.argv[3])
const server = await startCountingServer({
  limit: Number(process.argv[2] ?? 20),
  ...(perMinute === undefined ? {} : { perMinute }),
  control: true
})
process.stdout.write(`LISTENING ${server.url}\n`)
process.on("SIGTERM", () => void server.stop().then(() => process.exit(0)))
