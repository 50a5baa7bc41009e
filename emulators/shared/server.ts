/**
 * The HTTP base every emulator shares: a server on 127.0.0.1 with a random port, a request log,
 * injected latency and fault injection. Emulators share nothing with `src/`, so they cannot
 * agree with the action by construction.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** One request as the emulator saw it, for tests to assert on. */
export interface LogEntry {
  /** When the request arrived (ms since epoch). */
  time: number
  /** When its answer was sent; absent while in flight and for a request that got none. */
  end?: number
  method: string
  path: string
  /** Emulator-specific name of the operation, e.g. `iam:CreateAccessKey` or `PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}`. */
  route: string
  /** What the client got: the HTTP status, or -1 when no answer came (hang or reset). */
  status: number
  /**
   * Status the handler answered with when an `afterActing` fault then lost or replaced that
   * answer: the state changed, the client never learned it.
   */
  actedStatus?: number
  /** Who made the call (access key ID, token prefix), never a secret. */
  principal?: string
  /** True when the answer came from an injected fault. */
  injected?: boolean
  /** The `X-GitHub-Api-Version` header the request sent, if any (GitHub's REST API version). */
  apiVersion?: string
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
  /** Destroy the connection without any answer: the client sees ECONNRESET / "socket hang up". */
  reset?: boolean
  /**
   * Let the request act first (the handler runs and the state changes: IAM creates the key,
   * GitHub stores the secret), then lose its answer: the client gets the fault (status/body,
   * `hang` or `reset`) instead, as when a connection drops or a proxy times out after the
   * service did the work. Without it the fault answers before anything happens.
   */
  afterActing?: boolean
  /** HTTP status to answer with (ignored when `hang` or `reset`). */
  status?: number
  /** Response headers, e.g. `{ 'retry-after': '1' }`. */
  headers?: Record<string, string>
  /** Response body; when absent the emulator renders its own error shape with `code`/`message`. */
  body?: string
  /**
   * Called when the fault fires, before the answer (e.g. to kill the action's process at exactly
   * this request, to emulate a cancelled runner or a lost machine); with `afterActing`, after
   * the handler acted, so the process dies knowing nothing of what the service did.
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

  const settle = async (answer: () => Promise<Reply> | Reply): Promise<Reply> => {
    try {
      return await answer()
    } catch (error) {
      return { status: 500, body: `emulator error: ${(error as Error).message}` }
    }
  }

  /** Drop a connection as a failing network does: after the usual latency, a TCP reset. */
  const lose = async (socket: Socket): Promise<void> => {
    if (state.latencyMs > 0) await new Promise((r) => setTimeout(r, state.latencyMs))
    socket.resetAndDestroy()
  }

  /** The handler's answer, or a fault's; undefined when the client is to get none. */
  const respond = async (
    req: Request,
    entry: LogEntry,
    socket: Socket
  ): Promise<Reply | undefined> => {
    const fault = takeFault(entry.route)
    if (!fault) return settle(() => handler.handle(req, entry))
    entry.injected = true
    if (fault.afterActing) {
      // the service does the work; only the answer is lost
      entry.actedStatus = (await settle(() => handler.handle(req, entry))).status
    }
    fault.effect?.()
    if (fault.hang || fault.reset) {
      entry.status = -1
      if (fault.reset) await lose(socket)
      return undefined // a hang never answers: the client's timeout or the emulator's close ends it
    }
    return settle(() => handler.renderFault(fault, req))
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
        const version = req.headers['x-github-api-version']
        if (typeof version === 'string') entry.apiVersion = version
        log.push(entry)
        const reply = await respond(req, entry, incoming.socket)
        if (!reply) return // no answer at all: a hang or a reset
        entry.status = reply.status
        if (state.latencyMs > 0) await new Promise((r) => setTimeout(r, state.latencyMs))
        res.writeHead(reply.status, reply.headers ?? {})
        res.end(reply.body ?? '')
        entry.end = Date.now()
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

/**
 * The most requests of `entries` that were in flight at once, from arrival to answer; one that
 * got no answer counts until now.
 */
export function peakConcurrency(entries: LogEntry[]): number {
  const now = Date.now()
  // Each request is in flight with itself, however fast its answer (an answer in the same
  // millisecond as the arrival is still one request), and with every other that arrived no later
  // and was answered after it arrived: one answered in the very millisecond another arrives is
  // back to back, not concurrent. (A sweep that counts answers before arrivals at one instant
  // saw no request at all when each was answered within its own millisecond.)
  let most = 0
  for (const e of entries) {
    const beside = entries.filter(
      (o) => o !== e && o.time <= e.time && (o.end ?? now) > e.time
    ).length
    most = Math.max(most, 1 + beside)
  }
  return most
}
