/**
 * A tiny router over OpenAPI path templates: `{name}` matches one path segment, decoded, so
 * `%2F` in an environment name stays inside its parameter as GitHub requires.
 */
import type { Reply, Request } from '../shared/server.js'
import type { Token } from './auth.js'
import { documentationUrl } from './openapi.js'
import type { Store } from './store.js'

export interface RouteContext {
  req: Request
  store: Store
  token: Token
  params: Record<string, string>
  baseUrl: string
  /** Response headers the route adds (e.g. `x-accepted-github-permissions`). */
  headers: Record<string, string>
}

export interface Route<C = RouteContext> {
  method: string
  template: string
  name: string
  pattern: RegExp
  /** Names of the template's `{parameters}`, in order. */
  names: string[]
  handle(ctx: C): Reply
}

/**
 * Declare an operation; the handler also gets its docs.github.com URL for error bodies. `C` is the
 * context the table's handlers receive (token routes and app-JWT routes authenticate differently).
 */
export function route<C = RouteContext>(
  method: string,
  template: string,
  handle: (ctx: C, docs: string) => Reply
): Route<C> {
  const names: string[] = []
  const source = template.replace(/\{(\w+)\}/g, (_, n: string) => {
    names.push(n)
    return '([^/]+)'
  })
  const pattern = new RegExp(`^${source}$`)
  return {
    method,
    template,
    name: `${method} ${template}`,
    pattern,
    names,
    handle: (ctx) => handle(ctx, documentationUrl(method, template))
  }
}

/** Find the route in `table` for a request and decode its path parameters. */
export function match<C>(
  table: Route<C>[],
  method: string,
  pathname: string
): { route: Route<C>; params: Record<string, string> } | undefined {
  for (const r of table) {
    if (r.method !== method) continue
    const m = r.pattern.exec(pathname)
    if (!m) continue
    const params: Record<string, string> = {}
    try {
      r.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1] ?? '')))
    } catch {
      continue // a malformed %-escape cannot name anything; GitHub answers 404
    }
    return { route: r, params }
  }
  return undefined
}
