/**
 * Organization secrets' repository selection: list, replace, add and remove the repositories a
 * `selected`-visibility secret is available to. GitHub answers 409 when adding or removing a
 * repository of a secret whose visibility is not `selected`.
 */
import type { Reply } from '../shared/server.js'
import { error, json, noContent } from './http.js'
import { validateBody } from './openapi.js'
import { isReply, paginate, parseBody, type SecretContext } from './secrets.js'
import type { Repository, StoredSecret } from './store.js'

/** GitHub's minimal-repository object, reduced to what clients use. */
export function minimalRepository(repo: Repository, baseUrl: string, ownerType: string): object {
  const full = `${repo.owner}/${repo.name}`
  return {
    id: repo.id,
    node_id: Buffer.from(`010:Repository${repo.id}`).toString('base64'),
    name: repo.name,
    full_name: full,
    private: repo.private,
    visibility: repo.visibility,
    fork: repo.fork,
    archived: repo.archived,
    has_issues: repo.has_issues,
    owner: { login: repo.owner, id: 0, type: ownerType },
    html_url: `https://github.com/${full}`,
    url: `${baseUrl}/repos/${full}`,
    default_branch: 'main',
    created_at: repo.created_at,
    updated_at: repo.updated_at,
    pushed_at: repo.pushed_at
  }
}

function secretOf(ctx: SecretContext): StoredSecret | Reply {
  return ctx.scope.secrets.get((ctx.name ?? '').toUpperCase()) ?? error(404, 'Not Found', ctx.docs)
}

export function listSelected(ctx: SecretContext, baseUrl: string): Reply {
  const secret = secretOf(ctx)
  if (isReply(secret)) return secret
  const repos = (secret.selected_repository_ids ?? [])
    .map((id) => ctx.store.repositoryById(id))
    .filter((r): r is Repository => r !== undefined)
  const { page, headers } = paginate(ctx.req, repos)
  const rendered = page.map((r) => minimalRepository(r, baseUrl, 'Organization'))
  return json(200, { total_count: repos.length, repositories: rendered }, headers)
}

export function setSelected(ctx: SecretContext): Reply {
  const secret = secretOf(ctx)
  if (isReply(secret)) return secret
  const body = parseBody(ctx.req, ctx.docs)
  if (isReply(body)) return body
  const invalid = validateBody(ctx.method, ctx.template, body)
  if (invalid) return error(422, invalid, ctx.docs)
  if (secret.visibility !== 'selected') {
    return error(409, 'Secret visibility must be set to selected.', ctx.docs)
  }
  secret.selected_repository_ids = [
    ...(body as { selected_repository_ids: number[] }).selected_repository_ids
  ]
  return noContent()
}

export function addOrRemoveSelected(ctx: SecretContext, repositoryId: string): Reply {
  const secret = secretOf(ctx)
  if (isReply(secret)) return secret
  if (secret.visibility !== 'selected') {
    return error(409, 'Secret visibility must be set to selected.', ctx.docs)
  }
  const id = Number(repositoryId)
  if (!Number.isInteger(id) || !ctx.store.repositoryById(id))
    return error(404, 'Not Found', ctx.docs)
  const ids = new Set(secret.selected_repository_ids ?? [])
  if (ctx.method === 'PUT') ids.add(id)
  else ids.delete(id)
  secret.selected_repository_ids = [...ids]
  return noContent()
}
