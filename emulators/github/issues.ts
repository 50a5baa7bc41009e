/**
 * Issues, as GitHub's REST API documents them: create, list (pull requests included, `labels` a
 * comma-separated AND filter, `state` open by default), get, update (state, `state_reason`, body,
 * labels) and comment. Every route needs the repository "Issues" permission (read to list and get,
 * write to change); a private repository the token cannot see is a 404, a repository with issues
 * disabled a 410 ("Issues are disabled for this repo"), an archived one refuses writes with 403.
 * Labels a new issue names that the repository lacks are created, as GitHub does for a token that
 * may label issues (an installation token or fine-grained token with 'Issues: write' may).
 */
import type { Reply } from '../shared/server.js'
import { authorizeRepository } from './auth.js'
import { ARCHIVED, error, json } from './http.js'
import { validateBody, validateQuery } from './openapi.js'
import { route, type Route, type RouteContext } from './router.js'
import { isReply, paginate, parseBody } from './secrets.js'
import { timestamp, type Repository, type StoredIssue } from './store.js'

const DISABLED = 'Issues are disabled for this repo'

/** The repository a route addresses, authorized for `need`, or the error reply. */
function repositoryFor(
  ctx: RouteContext,
  docs: string,
  need: 'read' | 'write'
): Repository | Reply {
  const repo = ctx.store.repository(ctx.params.owner ?? '', ctx.params.repo ?? '')
  ctx.headers['x-accepted-github-permissions'] = `issues=${need}`
  const denial = authorizeRepository(ctx.token, repo, 'issues', need)
  if (denial || !repo) {
    const d = denial ?? { status: 404, message: 'Not Found' }
    return error(d.status, d.message, docs)
  }
  if (!repo.has_issues) return error(410, DISABLED, docs)
  if (need === 'write' && repo.archived) return error(403, ARCHIVED, docs)
  return repo
}

const key = (repo: Repository): string => `${repo.owner}/${repo.name}`.toLowerCase()

function issuesOf(ctx: RouteContext, repo: Repository): StoredIssue[] {
  let list = ctx.store.issues.get(key(repo))
  if (!list) ctx.store.issues.set(key(repo), (list = []))
  return list
}

/** A label's name as the repository has it, created when it has none by that name. */
function label(ctx: RouteContext, repo: Repository, name: string): string {
  const labels = ctx.store.labels.get(key(repo)) ?? []
  const found = labels.find((l) => l.toLowerCase() === name.toLowerCase())
  if (found) return found
  ctx.store.labels.set(key(repo), [...labels, name])
  return name
}

function render(ctx: RouteContext, repo: Repository, issue: StoredIssue): Record<string, unknown> {
  const api = `${ctx.baseUrl}/repos/${repo.owner}/${repo.name}`
  const html = `https://github.com/${repo.owner}/${repo.name}/${issue.pullRequest ? 'pull' : 'issues'}/${issue.number}`
  return {
    id: issue.id,
    node_id: `I_${issue.id}`,
    url: `${api}/issues/${issue.number}`,
    repository_url: api,
    comments_url: `${api}/issues/${issue.number}/comments`,
    html_url: html,
    number: issue.number,
    state: issue.state,
    state_reason: issue.state_reason,
    title: issue.title,
    body: issue.body,
    user: { login: 'github-actions[bot]', type: 'Bot' },
    labels: issue.labels.map((name) => ({ name })),
    comments: issue.comments.length,
    created_at: issue.created_at,
    updated_at: issue.updated_at,
    closed_at: issue.closed_at,
    locked: false,
    ...(issue.pullRequest ? { pull_request: { url: `${api}/pulls/${issue.number}` } } : {})
  }
}

interface IssueBody {
  title?: string | number
  body?: string | null
  state?: 'open' | 'closed'
  state_reason?: StoredIssue['state_reason']
  labels?: (string | { name?: string })[]
}

const labelName = (l: string | { name?: string }): string =>
  typeof l === 'string' ? l : (l.name ?? '')

/** `POST /repos/{owner}/{repo}/issues` → 201. */
function create(ctx: RouteContext, docs: string): Reply {
  const repo = repositoryFor(ctx, docs, 'write')
  if (isReply(repo)) return repo
  const parsed = parseBody(ctx.req, docs)
  if (isReply(parsed)) return parsed
  const invalid = validateBody('POST', '/repos/{owner}/{repo}/issues', parsed)
  if (invalid) return error(422, invalid, docs)
  const body = parsed as IssueBody
  const list = issuesOf(ctx, repo)
  const now = timestamp()
  const issue: StoredIssue = {
    id: ctx.store.nextIssueId++,
    number: list.length + 1,
    title: String(body.title),
    body: body.body ?? null,
    state: 'open',
    state_reason: null,
    labels: (body.labels ?? [])
      .map(labelName)
      .filter(Boolean)
      .map((n) => label(ctx, repo, n)),
    comments: [],
    created_at: now,
    updated_at: now,
    closed_at: null,
    pullRequest: false
  }
  list.push(issue)
  return json(201, render(ctx, repo, issue), {
    location: `${ctx.baseUrl}/repos/${repo.owner}/${repo.name}/issues/${issue.number}`
  })
}

/** `GET /repos/{owner}/{repo}/issues`: newest first, pull requests included, as GitHub lists them. */
function list(ctx: RouteContext, docs: string): Reply {
  const repo = repositoryFor(ctx, docs, 'read')
  if (isReply(repo)) return repo
  const query = ctx.req.url.searchParams
  const invalid = validateQuery('GET', '/repos/{owner}/{repo}/issues', query)
  if (invalid) return error(422, invalid, docs)
  const state = query.get('state') || 'open'
  const wanted = (query.get('labels') ?? '')
    .split(',')
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean)
  const found = issuesOf(ctx, repo)
    .filter((i) => state === 'all' || i.state === state)
    .filter((i) => wanted.every((w) => i.labels.some((l) => l.toLowerCase() === w)))
    .reverse()
  const { page, headers } = paginate(ctx.req, found)
  return json(
    200,
    page.map((i) => render(ctx, repo, i)),
    headers
  )
}

function find(ctx: RouteContext, repo: Repository, docs: string): StoredIssue | Reply {
  const n = Number(ctx.params.issue_number)
  const issue = issuesOf(ctx, repo).find((i) => i.number === n)
  return issue ?? error(404, 'Not Found', docs)
}

/** `GET /repos/{owner}/{repo}/issues/{issue_number}`. */
function get(ctx: RouteContext, docs: string): Reply {
  const repo = repositoryFor(ctx, docs, 'read')
  if (isReply(repo)) return repo
  const issue = find(ctx, repo, docs)
  return isReply(issue) ? issue : json(200, render(ctx, repo, issue))
}

/** What a write to one issue needs, in GitHub's order: the repository, the issue, a valid body. */
function writeTarget(
  ctx: RouteContext,
  docs: string,
  method: 'PATCH' | 'POST',
  template: string
): { repo: Repository; issue: StoredIssue; body: unknown } | Reply {
  const repo = repositoryFor(ctx, docs, 'write')
  if (isReply(repo)) return repo
  const issue = find(ctx, repo, docs)
  if (isReply(issue)) return issue
  const body = parseBody(ctx.req, docs)
  if (isReply(body)) return body
  const invalid = validateBody(method, template, body)
  return invalid ? error(422, invalid, docs) : { repo, issue, body }
}

/** `PATCH /repos/{owner}/{repo}/issues/{issue_number}`: `state_reason` counts only with a change of state. */
function update(ctx: RouteContext, docs: string): Reply {
  const target = writeTarget(ctx, docs, 'PATCH', '/repos/{owner}/{repo}/issues/{issue_number}')
  if (isReply(target)) return target
  const { repo, issue } = target
  const body = target.body as IssueBody
  const now = timestamp()
  if (body.title !== undefined && body.title !== null) issue.title = String(body.title)
  if (body.body !== undefined) issue.body = body.body
  if (body.labels) issue.labels = body.labels.map(labelName).map((n) => label(ctx, repo, n))
  if (body.state && body.state !== issue.state) {
    issue.state = body.state
    issue.closed_at = body.state === 'closed' ? now : null
    issue.state_reason =
      body.state === 'closed'
        ? (body.state_reason ?? 'completed')
        : (body.state_reason ?? 'reopened')
  }
  issue.updated_at = now
  return json(200, render(ctx, repo, issue))
}

/** `POST /repos/{owner}/{repo}/issues/{issue_number}/comments` → 201. */
function comment(ctx: RouteContext, docs: string): Reply {
  const target = writeTarget(
    ctx,
    docs,
    'POST',
    '/repos/{owner}/{repo}/issues/{issue_number}/comments'
  )
  if (isReply(target)) return target
  const { repo, issue, body: parsed } = target
  const now = timestamp()
  const made = {
    id: ctx.store.nextIssueId++,
    body: (parsed as { body: string }).body,
    created_at: now
  }
  issue.comments.push(made)
  issue.updated_at = now
  const html = `https://github.com/${repo.owner}/${repo.name}/issues/${issue.number}#issuecomment-${made.id}`
  return json(201, {
    id: made.id,
    node_id: `IC_${made.id}`,
    url: `${ctx.baseUrl}/repos/${repo.owner}/${repo.name}/issues/comments/${made.id}`,
    html_url: html,
    issue_url: `${ctx.baseUrl}/repos/${repo.owner}/${repo.name}/issues/${issue.number}`,
    body: made.body,
    user: { login: 'github-actions[bot]', type: 'Bot' },
    created_at: now,
    updated_at: now,
    author_association: 'NONE'
  })
}

export const issueRoutes: Route[] = [
  route('GET', '/repos/{owner}/{repo}/issues', list),
  route('POST', '/repos/{owner}/{repo}/issues', create),
  route('GET', '/repos/{owner}/{repo}/issues/{issue_number}', get),
  route('PATCH', '/repos/{owner}/{repo}/issues/{issue_number}', update),
  route('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', comment)
]
