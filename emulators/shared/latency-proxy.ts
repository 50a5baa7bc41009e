/**
 * A network between the action and an emulator: a TCP proxy that delays every byte by half a
 * round trip each way, and a new connection by one round trip more before its first byte goes
 * through (TCP's handshake; `handshakeRoundTrips: 2` for TLS 1.3 on top, as the real APIs speak
 * HTTPS). The emulators' own `latencyMs` adds one fixed delay per answer and makes a new
 * connection free, so a client that opens a connection on its chain pays nothing there; through
 * this proxy it pays what it pays on a runner.
 *
 * Order is kept per direction: a chunk is written `rtt / 2` after it was read, and never before
 * the one read ahead of it. Every connection is recorded (when it opened, and when its first byte
 * arrived upstream), so a report can show which requests waited for a new connection.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { performance } from 'node:perf_hooks'

export interface ProxiedConnection {
  /** `Date.now()` when the client's connection was accepted. */
  opened: number
  /** `Date.now()` when its first byte reached the upstream, if one did. */
  firstByte?: number
  /** `Date.now()` when the client's side closed. */
  closed?: number
}

export interface LatencyProxy {
  /** `url` (the target's, or one of its paths) with its host replaced by the proxy's. */
  through(url: string): string
  connections: ProxiedConnection[]
  /** Close every open connection, as a server's idle timeout does; new ones are still accepted. */
  drop(): void
  close(): Promise<void>
}

export interface ProxyOptions {
  rttMs: number
  /** Round trips a new connection costs before its first byte (1: TCP; 2: TCP and TLS 1.3). */
  handshakeRoundTrips?: number
}

/** Start a proxy on 127.0.0.1 in front of `target` (an http URL). */
export async function startLatencyProxy(
  target: string,
  options: ProxyOptions
): Promise<LatencyProxy> {
  const upstream = new URL(target)
  const { rttMs } = options
  const handshakes = options.handshakeRoundTrips ?? 1
  const connections: ProxiedConnection[] = []
  const sockets = new Set<Socket>()

  /** Forward `from` to `to`, each chunk `delay()` ms after it was read, in order. */
  const pipe = (from: Socket, to: Socket, delay: () => number, onFirst?: () => void): void => {
    let tail = 0 // performance.now() when the last scheduled chunk goes out
    from.on('data', (chunk: Buffer) => {
      const due = Math.max(performance.now() + delay(), tail)
      tail = due
      setTimeout(
        () => {
          onFirst?.()
          onFirst = undefined
          if (!to.destroyed) to.write(chunk)
        },
        Math.max(0, due - performance.now())
      )
    })
    // a side's end goes through after its last chunk, as a FIN would
    from.on('end', () => setTimeout(() => to.end(), Math.max(0, tail - performance.now(), delay())))
  }

  const server: Server = createServer({ allowHalfOpen: true }, (client) => {
    const record: ProxiedConnection = { opened: Date.now() }
    connections.push(record)
    const accepted = performance.now()
    client.on('close', () => (record.closed = Date.now()))
    const upstreamSocket = createConnection({
      port: Number(upstream.port),
      host: upstream.hostname,
      allowHalfOpen: true
    })
    for (const s of [client, upstreamSocket]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => {
        client.destroy()
        upstreamSocket.destroy()
      })
    }
    // The handshake: the first byte leaves no sooner than `handshakes` round trips after accept.
    const ready = accepted + handshakes * rttMs
    pipe(
      client,
      upstreamSocket,
      () => Math.max(rttMs / 2, ready + rttMs / 2 - performance.now()),
      () => (record.firstByte = Date.now())
    )
    pipe(upstreamSocket, client, () => rttMs / 2)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('proxy has no port')
  const port = address.port
  return {
    through: (url) => url.replace(upstream.host, `127.0.0.1:${port}`),
    connections,
    drop: () => {
      for (const s of sockets) s.destroy()
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}
