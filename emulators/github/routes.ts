/**
 * The route table: which REST operations exist, how each resolves its secret scope and which
 * fine-grained permission it needs. Route names are GitHub's OpenAPI `METHOD /path/{template}`.
 */
import type { Reply } from '../shared/server.js'
import { authorizeOrganization, authorizeRepository, type Denial, type Permission } from './auth.js'
import { ARCHIVED, error, json } from './http.js'
import { issueRoutes } from './issues.js'
import { addOrRemoveSelected, listSelected, minimalRepository, setSelected } from './org.js'
import { route, type Route, type RouteContext } from './router.js'
import { listOrganizationRepositories } from './repos.js'
import { getJob, getRun, listJobs, listRuns } from './runs.js'
import * as secrets from './secrets.js'
import { scopeId } from './store.js'

const deny = (d: Denial, docs: string): Reply => error(d.status, d.message, docs)

export { ARCHIVED } from './http.js'

type Kind = 'actions' | 'dependabot' | 'environment' | 'org-actions' | 'org-dependabot'

const families: { kind: Kind; base: string; permission: Permission }[] = [
  { kind: 'actions', base: '/repos/{owner}/{repo}/actions/secrets', permission: 'secrets' },
  {
    kind: 'environment',
    base: '/repos/{owner}/{repo}/environments/{environment_name}/secrets',
    // GitHub's permission tables list environment secrets under "Environments" alone.
    permission: 'environments'
  },
  {
    kind: 'dependabot',
    base: '/repos/{owner}/{repo}/dependabot/secrets',
    permission: 'dependabot_secrets'
  },
  { kind: 'org-actions', base: '/orgs/{org}/actions/secrets', permission: 'organization_secrets' },
  {
    kind: 'org-dependabot',
    base: '/orgs/{org}/dependabot/secrets',
    // GitHub's permission list: "Organization dependabot secrets" (organization_dependabot_secrets).
    permission: 'organization_dependabot_secrets'
  }
]

/** Authorize and resolve the scope a secret route addresses, or the error reply. */
function resolve(
  kind: Kind,
  permission: Permission,
  need: 'read' | 'write',
  ctx: RouteContext,
  docs: string
): string | Reply {
  const { owner = '', repo: name = '', org = '', environment_name: env = '' } = ctx.params
  ctx.headers['x-accepted-github-permissions'] = `${permission}=${need}`
  if (kind === 'org-actions' || kind === 'org-dependabot') {
    const known = ctx.store.organizations.get(org.toLowerCase())
    const denial = authorizeOrganization(ctx.token, known?.login, need, kind === 'org-dependabot')
    if (denial) return deny(denial, docs)
    return kind === 'org-actions' ? scopeId.organization(org) : scopeId.organizationDependabot(org)
  }
  const repo = ctx.store.repository(owner, name)
  const denial = authorizeRepository(ctx.token, repo, permission, need)
  if (denial) return deny(denial, docs)
  // An archived repository is read-only: GitHub answers a write to it with 403 and this message
  // (to a token that may otherwise write there), before it looks at the body or the secret.
  // Reads (the public key, a secret's metadata) still work.
  if (need === 'write' && repo?.archived) return error(403, ARCHIVED, docs)
  const full = `${owner}/${name}`
  if (kind === 'environment') {
    if (!ctx.store.hasEnvironment(full, env)) return error(404, 'Not Found', docs)
    return scopeId.environment(full, env)
  }
  return kind === 'actions' ? scopeId.repository(full) : scopeId.dependabot(full)
}

function secretRoute(
  kind: Kind,
  permission: Permission,
  method: string,
  template: string,
  op: (ctx: secrets.SecretContext, route: RouteContext) => Reply
): Route {
  const need = method === 'GET' ? 'read' : 'write'
  return route(method, template, (ctx, docs) => {
    const id = resolve(kind, permission, need, ctx, docs)
    if (typeof id !== 'string') return id
    const org = kind.startsWith('org-')
      ? `${ctx.baseUrl}${template.split('/{secret_name}')[0]!}`
      : undefined
    return op(
      {
        req: ctx.req,
        store: ctx.store,
        scope: ctx.store.scope(id),
        method,
        template,
        docs,
        name: ctx.params.secret_name,
        orgSecretsUrl: org?.replace('{org}', ctx.params.org ?? '')
      },
      ctx
    )
  })
}

export const routes: Route[] = [
  route('GET', '/repos/{owner}/{repo}', (ctx, docs) => {
    const repo = ctx.store.repository(ctx.params.owner ?? '', ctx.params.repo ?? '')
    const denial = authorizeRepository(ctx.token, repo, 'metadata', 'read')
    if (denial || !repo) return deny(denial ?? { status: 404, message: 'Not Found' }, docs)
    const ownerType = ctx.store.organizations.has(repo.owner.toLowerCase())
      ? 'Organization'
      : 'User'
    return json(200, minimalRepository(repo, ctx.baseUrl, ownerType))
  }),
  route('GET', '/repos/{owner}/{repo}/actions/runs', listRuns),
  route('GET', '/repos/{owner}/{repo}/actions/runs/{run_id}', getRun),
  route('GET', '/repos/{owner}/{repo}/actions/runs/{run_id}/jobs', listJobs),
  route('GET', '/repos/{owner}/{repo}/actions/jobs/{job_id}', getJob),
  route('GET', '/orgs/{org}/repos', listOrganizationRepositories),
  ...issueRoutes,
  ...families.flatMap(({ kind, base, permission }) => {
    const one = `${base}/{secret_name}`
    const family = [
      secretRoute(kind, permission, 'GET', `${base}/public-key`, secrets.publicKey),
      secretRoute(kind, permission, 'GET', base, secrets.list),
      secretRoute(kind, permission, 'GET', one, secrets.get),
      secretRoute(kind, permission, 'PUT', one, secrets.put),
      secretRoute(kind, permission, 'DELETE', one, secrets.remove)
    ]
    if (kind.startsWith('org-')) {
      family.push(
        secretRoute(kind, permission, 'GET', `${one}/repositories`, (c, r) =>
          listSelected(c, r.baseUrl)
        ),
        secretRoute(kind, permission, 'PUT', `${one}/repositories`, setSelected),
        ...['PUT', 'DELETE'].map((m) =>
          secretRoute(kind, permission, m, `${one}/repositories/{repository_id}`, (c, r) =>
            addOrRemoveSelected(c, r.params.repository_id ?? '')
          )
        )
      )
    }
    return family
  })
]
