/**
 * What a GitHub App installation token must reach for one run, and nothing more: the run's target
 * repositories in that account and the permissions its targets need. GitHub refuses (422) a token
 * wider than the installation, so each permission asked for is one the run cannot do without.
 */
import { isOrganization, owner, type Target } from './targets.js'

export type Level = 'read' | 'write'

/** The body of "Create an installation access token", in @octokit/auth-app's terms. */
export interface Access {
  /** Repository names (without the owner); undefined: every repository of the installation. */
  repositoryNames?: string[]
  permissions: Record<string, Level>
}

/** GitHub names at most this many repositories in one installation token. */
export const MAX_TOKEN_REPOSITORIES = 500

/**
 * The permission each kind of target writes with (GitHub App permission names); the docs test
 * holds docs/github-setup.md's table to it.
 */
export const NEEDS: Readonly<Record<Target['kind'], Readonly<Record<string, Level>>>> = {
  repository: { secrets: 'write' },
  // GitHub's permission tables list environment secrets under Environments alone; `secrets` would
  // let the token overwrite every repository secret besides.
  environment: { environments: 'write' },
  dependabot: { dependabot_secrets: 'write' },
  organization: { organization_secrets: 'write' },
  // GitHub's permission list: "Organization dependabot secrets", apart from the repository's.
  'dependabot-organization': { organization_dependabot_secrets: 'write' }
}

/**
 * The token for `account`'s installation, given every target of the run.
 *
 * Repositories: the repository-level targets' names, plus the repositories an organization
 * secret is `selected` for (their IDs are read with `GET /repos/{owner}/{repo}`, which needs them
 * in reach). Organization secrets need organization permissions, which no repository list limits;
 * when the account has no repository to name, the token is left unrestricted by repository,
 * because GitHub cannot mint a token for no repository, and it then holds only `metadata: read`
 * there beside the organization permissions. Past GitHub's limit of 500 names the same holds.
 */
export function installationAccess(targets: Target[], account: string): Access {
  const mine = targets.filter((t) => owner(t).toLowerCase() === account.toLowerCase())
  const permissions: Record<string, Level> = { metadata: 'read' }
  const names = new Map<string, string>()
  for (const target of mine) {
    Object.assign(permissions, NEEDS[target.kind])
    const repos = isOrganization(target)
      ? target.visibility === 'selected'
        ? (target.selectedRepositories ?? [])
        : []
      : [target.repo]
    for (const repo of repos)
      if (!names.has(repo.toLowerCase())) names.set(repo.toLowerCase(), repo)
  }
  const repositoryNames = [...names.values()]
  return repositoryNames.length > 0 && repositoryNames.length <= MAX_TOKEN_REPOSITORIES
    ? { repositoryNames, permissions }
    : { permissions }
}

/** Reading one repository's workflow runs, to tell whether a run holding a lease has ended. */
export function runsAccess(repo: string): Access {
  return { repositoryNames: [repo], permissions: { actions: 'read', metadata: 'read' } }
}

/**
 * Reading the workflow runs that may hold a replaced key, in `account`: the repositories its
 * targets name (an organization secret's selected ones included), read-only. An organization
 * secret that every (or every private) repository reads, or whose visibility the run keeps as it
 * finds it, reaches repositories no list names: the token then covers every repository of the
 * installation, still only 'Actions: Read' and 'Metadata: Read'.
 */
export function drainAccess(targets: Target[], account: string): Access {
  const permissions: Record<string, Level> = { actions: 'read', metadata: 'read' }
  const mine = targets.filter((t) => owner(t).toLowerCase() === account.toLowerCase())
  const names = new Set<string>()
  for (const t of mine) {
    if (!isOrganization(t)) names.add(t.repo)
    else if (t.visibility === 'selected') for (const r of t.selectedRepositories ?? []) names.add(r)
    else return { permissions }
  }
  return names.size > 0 && names.size <= MAX_TOKEN_REPOSITORIES
    ? { repositoryNames: [...names], permissions }
    : { permissions }
}
