/**
 * "List organization repositories" as GitHub answers it: the repositories of the organization the
 * token can see (those it was granted, and public ones), filtered by `type`, sorted by `sort` and
 * `direction`, paginated with a `link` header.
 */
import type { Reply } from '../shared/server.js'
import { authorizeRepository } from './auth.js'
import { error, json } from './http.js'
import { validateQuery } from './openapi.js'
import { minimalRepository } from './org.js'
import type { RouteContext } from './router.js'
import { paginate } from './secrets.js'
import type { Repository } from './store.js'

const TEMPLATE = '/orgs/{org}/repos'

/** Which repositories each `type` keeps; `member`: those the token was given, not merely public. */
function ofType(type: string, repo: Repository, granted: boolean): boolean {
  switch (type) {
    case 'public':
      return repo.visibility === 'public'
    case 'private':
      // internal repositories are private to outsiders: GitHub reports them `private: true`
      return repo.private
    case 'forks':
      return repo.fork
    case 'sources':
      return !repo.fork
    case 'member':
      return granted
    default:
      return true
  }
}

export function listOrganizationRepositories(ctx: RouteContext, docs: string): Reply {
  ctx.headers['x-accepted-github-permissions'] = 'metadata=read'
  const org = ctx.store.organizations.get((ctx.params.org ?? '').toLowerCase())
  if (!org) return error(404, 'Not Found', docs)
  const q = ctx.req.url.searchParams
  const invalid = validateQuery('GET', TEMPLATE, q)
  if (invalid) return error(422, invalid, docs)
  const type = q.get('type') || 'all'
  const sort = q.get('sort') || 'created'
  const direction = q.get('direction') || (sort === 'full_name' ? 'asc' : 'desc')
  const all = [...ctx.store.repositories.values()]
  const order = new Map(all.map((r, i) => [r, i]))
  const key = (r: Repository): string | number =>
    sort === 'full_name'
      ? `${r.owner}/${r.name}`.toLowerCase()
      : Date.parse(
          sort === 'updated' ? r.updated_at : sort === 'pushed' ? r.pushed_at : r.created_at
        )
  const repos = all
    .filter((r) => r.owner.toLowerCase() === org.login.toLowerCase())
    // what the token may see: `metadata=read` on it (public repositories are visible to all)
    .filter((r) => authorizeRepository(ctx.token, r, 'metadata', 'read') === undefined)
    .filter((r) => ofType(type, r, reaches(ctx, r)))
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)]
      const c = x < y ? -1 : x > y ? 1 : (order.get(a) ?? 0) - (order.get(b) ?? 0)
      return direction === 'asc' ? c : -c
    })
  const { page, headers } = paginate(ctx.req, repos)
  return json(
    200,
    page.map((r) => minimalRepository(r, ctx.baseUrl, 'Organization')),
    headers
  )
}

/** Whether the token was granted `repo` itself (not merely able to see it because it is public). */
function reaches(ctx: RouteContext, repo: Repository): boolean {
  return (
    authorizeRepository(ctx.token, { ...repo, private: true }, 'metadata', 'read') === undefined
  )
}
