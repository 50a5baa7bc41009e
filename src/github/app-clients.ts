/**
 * A GitHub App's clients: one installation client per account that owns targets, its token
 * narrowed to those targets and masked as it arrives (installation-auth.ts), and one per
 * repository whose workflow runs are read. Loaded by client.ts only for a run with App inputs.
 */
import { createAppAuth } from '@octokit/auth-app'
import { drainAccess, installationAccess, runsAccess, type Access } from './access.js'
import type { Clients, CommonOptions, GitHubClient } from './clients.js'
import { AppError, type AppFault } from './app-errors.js'
import { answered, rateLimited, reason } from './errors.js'
import { createInstallationAuth } from './installation-auth.js'
import { isOrganization, owner, type Target } from './targets.js'

/** The Octokit class with the run's plugins, as client.ts builds it. */
type GitHubClass = new (options: CommonOptions) => GitHubClient

/** The clients of a run that authenticates as the App `auth`, writing `targets`. */
export function appClients(
  GitHub: GitHubClass,
  common: CommonOptions,
  auth: { appId: string; privateKey: string },
  targets: Target[]
): Clients {
  const app = new GitHub({ ...common, authStrategy: createAppAuth, auth })
  const installations = new Map<string, Promise<GitHubClient>>()
  // One client per token: per account for the targets, per repository for reading runs.
  const installed = (key: string, target: Target, access: Access): Promise<GitHubClient> => {
    let client = installations.get(key.toLowerCase())
    if (!client) {
      const account = owner(target)
      client = findInstallation(app, target).then(
        (installationId) =>
          new GitHub({
            ...common,
            authStrategy: createInstallationAuth,
            auth: { ...auth, installationId, account, ...access }
          })
      )
      installations.set(key.toLowerCase(), client)
    }
    return client
  }
  return {
    forTarget: (target) =>
      installed(owner(target), target, installationAccess(targets, owner(target))),
    forRuns: (o, repo) =>
      installed(`runs:${o}/${repo}`, { kind: 'repository', owner: o, repo }, runsAccess(repo)),
    // One read-only token per account for the drain, found through any target of that account.
    forDrain: (o) => {
      const target = targets.find((t) => owner(t).toLowerCase() === o.toLowerCase())
      if (!target) return Promise.reject(new AppError({ kind: 'no-target', account: o }))
      return installed(`drain:${o}`, target, drainAccess(targets, o))
    }
  }
}

async function findInstallation(app: GitHubClient, target: Target): Promise<number> {
  try {
    const { data } = isOrganization(target)
      ? await app.request('GET /orgs/{org}/installation', { org: target.org })
      : await app.request('GET /repos/{owner}/{repo}/installation', {
          owner: target.owner,
          repo: target.repo
        })
    return data.id
  } catch (error) {
    const account = owner(target)
    const limited = rateLimited(error, { doing: { doing: 'installation', account } })
    if (limited) throw limited
    // Only GitHub's answer is kept: a local error (the JWT, a refused header) may hold a secret.
    const fault: AppFault =
      answered(error) && (error as { status: number }).status === 404
        ? { kind: 'not-installed', account }
        : { kind: 'refused', account, reason: reason(error) }
    throw new AppError(fault, { cause: error })
  }
}
