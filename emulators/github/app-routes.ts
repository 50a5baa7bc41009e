/**
 * The REST operations a GitHub App calls with its JWT: who am I, where am I installed, and
 * "Create an installation access token", whose `ghs_` token then authenticates like any other
 * token, limited to the installation's account, repositories and permissions.
 */
import type { Reply } from '../shared/server.js'
import { createToken, type AppRouteContext } from './app-tokens.js'
import { accountType, covers, type Installation } from './apps.js'
import { error, json } from './http.js'
import { route, type Route } from './router.js'
import { paginate } from './secrets.js'

export type { AppRouteContext } from './app-tokens.js'

function renderInstallation(ctx: AppRouteContext, i: Installation): object {
  const type = accountType(ctx.store, i.account)
  const accountId = ctx.store.organizations.get(i.account.toLowerCase())?.id ?? 0
  const settings = type === 'Organization' ? `organizations/${i.account}/settings` : 'settings'
  return {
    id: i.id,
    account: { login: i.account, id: accountId, type },
    repository_selection: i.repositories === 'all' ? 'all' : 'selected',
    access_tokens_url: `${ctx.baseUrl}/app/installations/${i.id}/access_tokens`,
    repositories_url: `${ctx.baseUrl}/installation/repositories`,
    html_url: `https://github.com/${settings}/installations/${i.id}`,
    app_id: ctx.app.id,
    app_slug: ctx.app.slug,
    client_id: ctx.app.clientId,
    target_id: accountId,
    target_type: type,
    permissions: i.permissions,
    events: [],
    created_at: i.created_at,
    updated_at: i.created_at,
    single_file_name: null,
    suspended_by: null,
    suspended_at: null
  }
}

/** The app's installation on `login` (an organization or user account), or GitHub's 404. */
function onAccount(ctx: AppRouteContext, login: string | undefined, docs: string): Reply {
  const found = ctx.apps
    .of(ctx.app.id)
    .find((i) => i.account.toLowerCase() === (login ?? '').toLowerCase())
  return found ? json(200, renderInstallation(ctx, found)) : error(404, 'Not Found', docs)
}

/** Operations that require `Authorization: Bearer <app JWT>`. */
export const appRoutes: Route<AppRouteContext>[] = [
  route<AppRouteContext>('GET', '/app', (ctx) =>
    json(200, {
      id: ctx.app.id,
      slug: ctx.app.slug,
      client_id: ctx.app.clientId,
      node_id: Buffer.from(`03:Integration${ctx.app.id}`).toString('base64'),
      name: ctx.app.slug,
      description: '',
      external_url: 'https://example.com',
      html_url: `https://github.com/apps/${ctx.app.slug}`,
      created_at: ctx.app.created_at,
      updated_at: ctx.app.created_at,
      permissions: Object.assign(
        {},
        ...ctx.apps.of(ctx.app.id).map((i) => i.permissions)
      ) as object,
      events: [],
      installations_count: ctx.apps.of(ctx.app.id).length
    })
  ),
  route<AppRouteContext>('GET', '/app/installations', (ctx) => {
    const { page, headers } = paginate(ctx.req, ctx.apps.of(ctx.app.id))
    return json(
      200,
      page.map((i) => renderInstallation(ctx, i)),
      headers
    )
  }),
  route<AppRouteContext>('GET', '/orgs/{org}/installation', (ctx, docs) =>
    onAccount(ctx, ctx.params.org, docs)
  ),
  route<AppRouteContext>('GET', '/users/{username}/installation', (ctx, docs) =>
    onAccount(ctx, ctx.params.username, docs)
  ),
  route<AppRouteContext>('GET', '/repos/{owner}/{repo}/installation', (ctx, docs) => {
    const repo = ctx.store.repository(ctx.params.owner ?? '', ctx.params.repo ?? '')
    const found = repo && ctx.apps.of(ctx.app.id).find((i) => covers(i, repo))
    return found ? json(200, renderInstallation(ctx, found)) : error(404, 'Not Found', docs)
  }),
  route<AppRouteContext>('POST', '/app/installations/{installation_id}/access_tokens', createToken)
]
