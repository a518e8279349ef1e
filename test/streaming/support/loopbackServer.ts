/**
 * A real HTTP server on 127.0.0.1 for the streaming tests: real sockets, so that chunked
 * bodies, connection closes and multipart framing behave as they do in production.
 */
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { Effect } from "effect"

export interface ReceivedRequest {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: Buffer
}

export interface Loopback {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** Requests received, with their full bodies (when the handler read them through `readBody`). */
  readonly requests: Array<ReceivedRequest>
  /** Resolves when the client closed a response before it was finished. */
  readonly clientAborted: Promise<void>
}

export type Handler = (
  request: Http.IncomingMessage,
  response: Http.ServerResponse,
  body: Buffer
) => void | Promise<void>

/** Starts a server for the scope; every request body is read fully before `handler` runs. */
export const loopback = (handler: Handler) =>
  Effect.acquireRelease(
    Effect.promise(
      () =>
        new Promise<{ server: Http.Server; loopback: Loopback }>((resolve) => {
          const requests: Array<ReceivedRequest> = []
          let aborted!: () => void
          const clientAborted = new Promise<void>((r) => {
            aborted = r
          })
          const server = Http.createServer((request, response) => {
            const chunks: Array<Buffer> = []
            request.on("data", (chunk: Buffer) => chunks.push(chunk))
            request.on("end", () => {
              const body = Buffer.concat(chunks)
              requests.push({
                method: request.method ?? "",
                url: request.url ?? "",
                headers: request.headers,
                body
              })
              response.on("close", () => {
                if (!response.writableFinished) aborted()
              })
              void handler(request, response, body)
            })
          })
          server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as AddressInfo
            resolve({ server, loopback: { url: `http://127.0.0.1:${port}`, requests, clientAborted } })
          })
        })
    ),
    ({ server }) =>
      Effect.promise(
        () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections()
            server.close(() => resolve())
          })
      )
  ).pipe(Effect.map(({ loopback }) => loopback))

/** Writes `chunks` one by one, honouring back-pressure, then ends the response. */
export const writeAll = async (
  response: Http.ServerResponse,
  chunks: Iterable<string | Uint8Array>,
  end = true
): Promise<void> => {
  for (const chunk of chunks) {
    if (response.destroyed) return
    if (!response.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          response.off("drain", done)
          response.off("close", done)
          resolve()
        }
        response.on("drain", done)
        response.on("close", done)
      })
    }
  }
  if (end && !response.destroyed) response.end()
}

/** Parses a multipart body the way a server would (undici's parser). */
export const parseMultipart = (request: ReceivedRequest): Promise<FormData> =>
  new Response(new Uint8Array(request.body), {
    headers: { "content-type": String(request.headers["content-type"]) }
  }).formData()
