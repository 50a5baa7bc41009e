/**
 * The secret operations every scope shares (public key, list, get, create/update, delete), so
 * repository, environment, Dependabot and organization secrets behave alike, as they do on GitHub.
 */
import type { Reply, Request } from '../shared/server.js'
import { error, json, noContent } from './http.js'
import { validateBody } from './openapi.js'
import {
  secretNameError,
  timestamp,
  type Scope,
  type StoredSecret,
  type Visibility
} from './store.js'
import type { Store } from './store.js'

/** What a secret handler needs to know about the request it answers. */
export interface SecretContext {
  req: Request
  store: Store
  scope: Scope
  method: string
  /** OpenAPI path template, e.g. `/repos/{owner}/{repo}/actions/secrets/{secret_name}`. */
  template: string
  docs: string
  /** Decoded `{secret_name}`, when the route has one. */
  name?: string
  /** Base of `selected_repositories_url` for organization secrets, e.g. `http://host/orgs/acme/actions/secrets`. */
  orgSecretsUrl?: string
}

const IMPROPERLY_ENCRYPTED = 'Bad request - validation failed due to an improperly encrypted secret'
/** GitHub limits a secret value to 48 KB. */
const MAX_VALUE_BYTES = 48 * 1024

function render(ctx: SecretContext, secret: StoredSecret): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: secret.name,
    created_at: secret.created_at,
    updated_at: secret.updated_at
  }
  if (ctx.orgSecretsUrl) {
    out.visibility = secret.visibility
    if (secret.visibility === 'selected') {
      out.selected_repositories_url = `${ctx.orgSecretsUrl}/${secret.name}/repositories`
    }
  }
  return out
}

export const publicKey = (ctx: SecretContext): Reply =>
  json(200, { key_id: ctx.scope.keyId, key: ctx.store.publicKeyBase64(ctx.scope) })

/** A page of `items` (GitHub's per_page default 30, max 100) plus its `link` header. */
export function paginate<T>(
  req: Request,
  items: T[]
): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(
    100,
    Math.max(1, Number(req.url.searchParams.get('per_page') ?? 30) || 30)
  )
  const page = Math.max(1, Number(req.url.searchParams.get('page') ?? 1) || 1)
  const last = Math.max(1, Math.ceil(items.length / perPage))
  const link = (p: number, rel: string): string => {
    const url = new URL(req.url.pathname, `http://${req.headers.host ?? '127.0.0.1'}`)
    // the request's other parameters (filters) carry over to every page, as on GitHub
    for (const [k, v] of req.url.searchParams) {
      if (k !== 'per_page' && k !== 'page') url.searchParams.append(k, v)
    }
    url.searchParams.set('per_page', String(perPage))
    url.searchParams.set('page', String(p))
    return `<${url.href}>; rel="${rel}"`
  }
  const links: string[] = []
  if (page > 1) links.push(link(page - 1, 'prev'))
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
  if (page > 1) links.push(link(1, 'first'))
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length ? { link: links.join(', ') } : {}
  }
}

export function list(ctx: SecretContext): Reply {
  const all = [...ctx.scope.secrets.values()].sort((a, b) => a.name.localeCompare(b.name))
  const { page, headers } = paginate(ctx.req, all)
  return json(200, { total_count: all.length, secrets: page.map((s) => render(ctx, s)) }, headers)
}

export function get(ctx: SecretContext): Reply {
  const secret = ctx.scope.secrets.get((ctx.name ?? '').toUpperCase())
  return secret ? json(200, render(ctx, secret)) : error(404, 'Not Found', ctx.docs)
}

export function remove(ctx: SecretContext): Reply {
  const key = (ctx.name ?? '').toUpperCase()
  if (!ctx.scope.secrets.delete(key)) return error(404, 'Not Found', ctx.docs)
  return noContent()
}

/** Parse a JSON body; GitHub answers 400 `Problems parsing JSON` when it is not JSON. */
export function parseBody(req: Request, docs: string): unknown {
  const text = req.body.toString('utf8')
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text) as unknown
  } catch {
    return error(400, 'Problems parsing JSON', docs)
  }
}

export const isReply = (value: unknown): value is Reply =>
  typeof value === 'object' &&
  value !== null &&
  'status' in value &&
  typeof value.status === 'number'

interface PutBody {
  encrypted_value?: string
  key_id?: string
  visibility?: Visibility
  selected_repository_ids?: (number | string)[]
}

export function put(ctx: SecretContext): Reply {
  const parsed = parseBody(ctx.req, ctx.docs)
  if (isReply(parsed)) return parsed
  const invalid = validateBody(ctx.method, ctx.template, parsed)
  if (invalid) return error(422, invalid, ctx.docs)
  const body = parsed as PutBody
  const nameError = secretNameError(ctx.name ?? '')
  if (nameError) return error(422, nameError, ctx.docs)
  const name = (ctx.name ?? '').toUpperCase()
  const existing = ctx.scope.secrets.get(name)
  const org = ctx.orgSecretsUrl !== undefined

  // the published schemas do not all mark these required, but GitHub refuses a value-less secret
  const valueGiven = body.encrypted_value !== undefined || body.key_id !== undefined
  if (!org || !existing || valueGiven) {
    for (const field of ['encrypted_value', 'key_id'] as const) {
      if (body[field] === undefined)
        return error(422, `Invalid request.\n\n"${field}" wasn't supplied.`, ctx.docs)
    }
  }
  let value = existing?.value ?? ''
  if (valueGiven) {
    if (body.key_id !== ctx.scope.keyId) return error(422, IMPROPERLY_ENCRYPTED, ctx.docs)
    const opened = ctx.store.open(ctx.scope, body.encrypted_value ?? '')
    if (opened === undefined) return error(422, IMPROPERLY_ENCRYPTED, ctx.docs)
    if (Buffer.byteLength(opened) > MAX_VALUE_BYTES) {
      return error(422, 'Secret value is too large. Secrets are limited to 48 KB.', ctx.docs)
    }
    value = opened
  }
  const now = timestamp()
  const secret: StoredSecret = {
    name,
    value,
    created_at: existing?.created_at ?? now,
    updated_at: now
  }
  if (org) {
    if (body.selected_repository_ids !== undefined && body.visibility !== 'selected') {
      return error(
        422,
        'Invalid request.\n\nselected_repository_ids can only be provided when visibility is selected.',
        ctx.docs
      )
    }
    secret.visibility = body.visibility ?? existing?.visibility ?? 'private'
    secret.selected_repository_ids =
      secret.visibility === 'selected'
        ? (body.selected_repository_ids ?? existing?.selected_repository_ids ?? []).map(Number)
        : []
  }
  ctx.scope.secrets.set(name, secret)
  return existing ? noContent() : json(201, {})
}
