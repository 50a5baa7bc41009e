/**
 * The HTTP base every emulator shares: a server on 127.0.0.1 with a random port, a request log,
 * injected latency and fault injection. Emulators share nothing with `src/`, so they cannot
 * agree with the action by construction.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** One request as the emulator saw it, for tests to assert on. */
export interface LogEntry {
  time: number
  method: string
  path: string
  /** Emulator-specific name of the operation, e.g. `iam:CreateAccessKey` or `PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}`. */
  route: string
  status: number
  /** Who made the call (access key ID, token prefix), never a secret. */
  principal?: string
  /** True when the answer came from an injected fault. */
  injected?: boolean
}

/** A fault to inject into the next `count` requests whose route matches. */
export interface Fault {
  /** Exact route name, or a RegExp tested against it. */
  route: string | RegExp
  /** How many matching requests fail; default 1. */
  count?: number
  /** Let this many matching requests through before the fault starts; default 0. */
  after?: number
  /** Never answer (the socket stays open until the emulator closes). */
  hang?: boolean
  /** HTTP status to answer with (ignored when `hang`). */
  status?: number
  /** Response headers, e.g. `{ 'retry-after': '1' }`. */
  headers?: Record<string, string>
  /** Response body; when absent the emulator renders its own error shape with `code`/`message`. */
  body?: string
  /**
   * Called when the fault fires, before the answer (e.g. to kill the action's process at exactly
   * this request, to emulate a cancelled runner or a lost machine).
   */
  effect?: () => void
  /** Error code for the emulator's native error shape (AWS `Code`, GitHub `message`). */
  code?: string
  message?: string
}

/** What a route handler returns. */
export interface Reply {
  status: number
  headers?: Record<string, string>
  body?: string
}

export interface Request {
  method: string
  url: URL
  headers: IncomingMessage['headers']
  body: Buffer
}

/** A handler resolves the route name first (so faults can match it), then answers. */
export interface Handler {
  /** Name the operation this request targets (used for logging and fault matching). */
  route(req: Request): string
  /** Answer the request; `log` may be enriched (e.g. `principal`). */
  handle(req: Request, entry: LogEntry): Promise<Reply> | Reply
  /** Render an injected fault in the service's own error shape. */
  renderFault(fault: Fault, req: Request): Reply
}

export interface EmulatorServer {
  url: string
  log: LogEntry[]
  /** Inject a fault; returns a function that removes it. */
  inject(fault: Fault): () => void
  /** Remove every pending fault. */
  clearFaults(): void
  /** Milliseconds added before every response. */
  latencyMs: number
  close(): Promise<void>
}

interface PendingFault extends Fault {
  remaining: number
  skip: number
}

const matches = (pattern: string | RegExp, route: string): boolean =>
  typeof pattern === 'string' ? pattern === route : pattern.test(route)

/** Start an emulator server for `handler` on 127.0.0.1 and a random port. */
export async function startServer(
  handler: Handler,
  options: { latencyMs?: number } = {}
): Promise<EmulatorServer> {
  const log: LogEntry[] = []
  const faults: PendingFault[] = []
  const sockets = new Set<Socket>()
  const state = { latencyMs: options.latencyMs ?? 0 }

  const takeFault = (route: string): PendingFault | undefined => {
    const fault = faults.find((f) => f.remaining > 0 && matches(f.route, route))
    if (!fault) return undefined
    if (fault.skip > 0) {
      fault.skip -= 1
      return undefined
    }
    fault.remaining -= 1
    return fault
  }

  const server = createServer((incoming: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    incoming.on('data', (c: Buffer) => chunks.push(c))
    incoming.on('end', () => {
      void (async () => {
        const req: Request = {
          method: incoming.method ?? 'GET',
          url: new URL(incoming.url ?? '/', 'http://127.0.0.1'),
          headers: incoming.headers,
          body: Buffer.concat(chunks)
        }
        let route = 'unknown'
        try {
          route = handler.route(req)
        } catch {
          // an unroutable request is answered by handle() with the service's 404
        }
        const entry: LogEntry = {
          time: Date.now(),
          method: req.method,
          path: req.url.pathname,
          route,
          status: 0
        }
        log.push(entry)
        const fault = takeFault(route)
        fault?.effect?.()
        if (fault?.hang) {
          entry.injected = true
          entry.status = -1
          return // never answer: the client's timeout or the emulator's close ends it
        }
        let reply: Reply
        try {
          if (fault) {
            entry.injected = true
            reply = handler.renderFault(fault, req)
          } else {
            reply = await handler.handle(req, entry)
          }
        } catch (error) {
          reply = { status: 500, body: `emulator error: ${(error as Error).message}` }
        }
        entry.status = reply.status
        if (state.latencyMs > 0) await new Promise((r) => setTimeout(r, state.latencyMs))
        res.writeHead(reply.status, reply.headers ?? {})
        res.end(reply.body ?? '')
      })()
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    log,
    get latencyMs() {
      return state.latencyMs
    },
    set latencyMs(ms: number) {
      state.latencyMs = ms
    },
    inject(fault) {
      const pending: PendingFault = {
        ...fault,
        remaining: fault.count ?? 1,
        skip: fault.after ?? 0
      }
      faults.push(pending)
      return () => {
        pending.remaining = 0
      }
    },
    clearFaults() {
      faults.length = 0
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}
