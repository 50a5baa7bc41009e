/**
 * Connections opened ahead of need, per origin, until a request takes one: the one mechanism both
 * adapters' connection pools (aws/connections.ts, github/connections.ts) hand out warmed
 * connections with. An import-free leaf beside `settled.ts`.
 */
import type { Socket } from 'node:net'

/** How long a warmed connection is handed out: far inside any server's idle timeout. */
export const FRESH_MS = 4_000

export class WarmShelf {
  private readonly ready = new Map<string, { socket: Socket; opened: number }[]>()

  /** Keep `socket`, just opened to `origin`, for the next request there that needs one. */
  put(origin: string, socket: Socket): void {
    // A warmed connection that fails is dropped here; it must not crash the run.
    socket.on('error', () => socket.destroy())
    // Until a request takes it, it must not keep the process alive.
    socket.unref()
    const list = this.ready.get(origin) ?? []
    this.ready.set(origin, list)
    list.push({ socket, opened: Date.now() })
  }

  /** A warmed connection to `origin` that is still open and fresh, or undefined. */
  take(origin: string): Socket | undefined {
    const list = this.ready.get(origin)
    for (let w = list?.shift(); w; w = list?.shift()) {
      if (!w.socket.destroyed && Date.now() - w.opened < FRESH_MS) {
        w.socket.ref()
        return w.socket
      }
      w.socket.destroy()
    }
    return undefined
  }

  /** Close every warmed connection not taken. */
  clear(): void {
    for (const list of this.ready.values()) for (const w of list) w.socket.destroy()
    this.ready.clear()
  }
}
