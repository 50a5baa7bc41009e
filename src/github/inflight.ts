/**
 * Workflow runs that may still hold the key a rotation replaced. GitHub documents: "Organization
 * and repository secrets are read when a workflow run is queued, and environment secrets are read
 * when a job referencing the environment starts." A run queued before a target was written (or,
 * for an environment, with a job started before) keeps the old key for its whole life, however
 * long it waits for a runner or an approval.
 *
 * Listing runs needs the repository permission 'Actions: Read'. Every read here goes through the
 * run's read window (reads.ts); a failure to tell is returned as such (`unknown`), never as "no
 * runs": the caller keeps the old key.
 */
import type { GitHubClient } from './clients.js'
import { answered, AuthError, rateLimited, rateLimitWait, reason } from './errors.js'
import type { Holder, InFlight, RunsBlocked, RunsUnknown } from './inflight-facts.js'
import { warm } from './connections.js'
import { pacedReads, type ReadWindow } from './reads.js'
import type { Prepared } from './secrets.js'
import { describe, isOrganization, type Target } from './targets.js'

/**
 * The statuses of a run that has not completed, as GitHub lists them (one filter each). A run
 * awaiting approval (a fork's) is listed `completed` with the conclusion `action_required`: it has
 * read no secret yet, and once approved it is queued again and reads the new key.
 */
export const ACTIVE_STATUSES = ['queued', 'in_progress', 'waiting', 'requested', 'pending'] as const

/** A target the rotation wrote, and by when the write had landed. */
export interface Written {
  p: Prepared
  at: Date
}

/** The client that may read the workflow runs of an account's repositories. */
export type RunsClientFor = (owner: string) => Promise<GitHubClient>

/** Runs listed at once: one repository's status listings go out together. */
export const RUN_READS_AT_ONCE = ACTIVE_STATUSES.length

/** GitHub's date-time without milliseconds, as its `created` filter takes it. */
const isoSecond = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z')

interface RunJson {
  id: number
  run_attempt?: number
  status: string
  html_url: string
  created_at: string
}
interface JobJson {
  status: string
  started_at?: string | null
}

/** Workflow runs across a run's targets: who may hold the old key, and whether they still run. */
export class InFlightRuns {
  private readonly read: <T>(request: () => Promise<T>) => Promise<T>
  /** The repositories that read each target's secrets, listed once per run. */
  private readonly readers = new Map<string, Promise<string[]>>()
  /** Whether each repository's runs may be listed (false: refused), probed once per run. */
  private readonly probes = new Map<string, Promise<boolean | AuthError>>()

  constructor(
    private readonly clientFor: RunsClientFor,
    window: ReadWindow,
    /** The rotation's own run (`GITHUB_RUN_ID`): it never holds anything up. */
    private readonly ownRun?: string,
    /**
     * The reads before any change (public keys, visibilities) go through this: the preflight's
     * probes join their queue instead of adding to the burst.
     */
    private readonly probeRead?: <T>(request: () => Promise<T>) => Promise<T>
  ) {
    this.read = pacedReads(window, RUN_READS_AT_ONCE)
  }

  /**
   * Before any change: the token may list the runs of every repository that reads a target.
   * Returns what is missing, as facts, or undefined. A failure that is no refusal (no answer, a
   * rate limit) is no proof of a missing permission: the drain decides later, and keeps the key
   * if it still cannot tell.
   */
  async check(targets: Target[], prepared: Promise<Prepared[]>): Promise<RunsBlocked | undefined> {
    const denied = new Set<string>()
    let unminted: AuthError | undefined
    const probe = (repo: string): Promise<void> => {
      let probed = this.probes.get(repo.toLowerCase())
      if (!probed) {
        // An App's read-only token that GitHub would not mint (the App lacks 'Actions: Read')
        // says so itself; a refusal of the listing is a token without the permission.
        probed = this.list(repo, { per_page: 1 }, false, this.probeRead).then(
          () => true,
          (e: unknown) => (e instanceof AuthError ? e : !refusal(e))
        )
        this.probes.set(repo.toLowerCase(), probed)
      }
      return probed.then((ok) => {
        if (ok instanceof AuthError) unminted = ok
        else if (!ok) denied.add(repo)
      })
    }
    // A repository's own targets, and the repositories an organization's configured selection
    // names, are probed at once; an organization's other readers once its secrets' visibility is
    // read (prepare), beside the rest of the planning. A repository is probed once either way.
    const direct = targets.filter((t) => !isOrganization(t))
    const selected = targets.flatMap((t) =>
      isOrganization(t) && t.visibility === 'selected'
        ? (t.selectedRepositories ?? []).map((r) => `${t.org}/${r}`)
        : []
    )
    const organizations = targets.some(isOrganization)
      ? prepared.then((ps) =>
          Promise.all(
            ps
              .filter((p) => isOrganization(p.target))
              .map(async (p) => Promise.all((await this.readersOf(p)).map(probe)))
          )
        )
      : Promise.resolve([])
    try {
      await Promise.all([
        ...direct.map((t) =>
          probe(`${(t as { owner: string }).owner}/${(t as { repo: string }).repo}`)
        ),
        ...selected.map(probe),
        organizations
      ])
    } catch (error) {
      // Listing an organization's repositories failed: a refusal is a missing permission.
      if (!refusal(error)) return undefined
      return { kind: 'organization', reason: reason(error) }
    }
    if (unminted) return { kind: 'mint', mint: unminted.facts }
    if (denied.size === 0) return undefined
    return { kind: 'denied', repositories: [...denied].sort() }
  }

  /** The listing is next: open the connections its reads go out on side by side. */
  ahead(): void {
    warm(RUN_READS_AT_ONCE)
  }

  /**
   * The runs that have not completed and may hold what `written` replaced: for repository,
   * Dependabot and organization secrets, runs of every repository that reads them, queued by
   * when the target was written; for an environment, runs with a job that started by then.
   */
  async holding(written: Written[]): Promise<InFlight> {
    try {
      // Per repository: by when its queued runs read a written secret, and its environments.
      const queued = new Map<string, Date>()
      const started = new Map<string, Date>()
      const later = (m: Map<string, Date>, repo: string, at: Date): void => {
        const was = m.get(repo)
        if (!was || was < at) m.set(repo, at)
      }
      for (const w of written) {
        const t = w.p.target
        if (t.kind === 'environment') later(started, `${t.owner}/${t.repo}`, w.at)
        else for (const repo of await this.readersOf(w.p)) later(queued, repo, w.at)
      }
      const repos = [...new Set([...queued.keys(), ...started.keys()])]
      const found = await Promise.all(
        repos.map((repo) => this.holdersIn(repo, queued.get(repo), started.get(repo)))
      )
      return { runs: found.flat() }
    } catch (error) {
      return { unknown: cannotList(error) }
    }
  }

  /** Of `runs`, those that have not ended; an attempt re-run since counts as ended. */
  async running(runs: Holder[]): Promise<InFlight> {
    try {
      const still = await Promise.all(
        runs.map(async (h) => {
          const [owner = '', repo = ''] = h.repo.split('/')
          const client = await this.clientFor(owner)
          const { data } = (await this.read(() =>
            client.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', {
              owner,
              repo,
              run_id: h.id
            })
          )) as { data: RunJson }
          const ended = data.status === 'completed' || (data.run_attempt ?? 1) > h.attempt
          return ended ? undefined : { ...h, status: data.status }
        })
      )
      return { runs: still.filter((h): h is Holder => h !== undefined) }
    } catch (error) {
      return { unknown: cannotList(error) }
    }
  }

  /** One repository's runs that may hold the old key. */
  private async holdersIn(
    repo: string,
    queuedBy: Date | undefined,
    startedBy: Date | undefined
  ): Promise<Holder[]> {
    const until = [queuedBy, startedBy].filter((d): d is Date => d !== undefined)
    const cutoff = new Date(Math.max(...until.map((d) => d.getTime())))
    // One listing per status (GitHub filters on one); a run created later holds nothing old.
    const lists = await Promise.all(
      ACTIVE_STATUSES.map((status) =>
        this.list(repo, { status, created: `<=${isoSecond(cutoff)}`, per_page: 100 }, true)
      )
    )
    const runs = new Map<number, RunJson>()
    for (const r of lists.flat()) {
      if (String(r.id) !== this.ownRun && r.status !== 'completed') runs.set(r.id, r)
    }
    const holders: Holder[] = []
    for (const r of runs.values()) {
      const created = new Date(r.created_at)
      const holder: Holder = {
        repo,
        id: r.id,
        attempt: r.run_attempt ?? 1,
        status: r.status,
        url: r.html_url
      }
      // GitHub dates runs to the second: one created in the second of the write may hold either.
      if (queuedBy && created.getTime() <= queuedBy.getTime()) holders.push(holder)
      else if (startedBy && (await this.jobStartedBy(repo, r.id, startedBy))) {
        holders.push({ ...holder, environment: true })
      }
    }
    return holders
  }

  /**
   * Whether a run has a job running that started by `at`. GitHub's jobs do not say which
   * environment they reference, so any such job counts; a job still waiting (for a runner, or for
   * the environment's approval) reads the environment's secrets when it starts: the new key.
   */
  private async jobStartedBy(repo: string, runId: number, at: Date): Promise<boolean> {
    const [owner = '', name = ''] = repo.split('/')
    const client = await this.clientFor(owner)
    const jobs = await this.read(() =>
      client.paginate('GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs', {
        owner,
        repo: name,
        run_id: runId,
        filter: 'latest',
        per_page: 100
      })
    )
    return (jobs as JobJson[]).some(
      (j) =>
        j.status === 'in_progress' &&
        (!j.started_at || new Date(j.started_at).getTime() <= at.getTime())
    )
  }

  private async list(
    repo: string,
    params: Record<string, string | number>,
    all = false,
    read = this.read
  ): Promise<RunJson[]> {
    const [owner = '', name = ''] = repo.split('/')
    const client = await this.clientFor(owner)
    const route = 'GET /repos/{owner}/{repo}/actions/runs'
    const args = { owner, repo: name, ...params }
    if (!all) {
      const { data } = await read(() => client.request(route, args))
      return data.workflow_runs as RunJson[]
    }
    return (await read(() => client.paginate(route, args))) as RunJson[]
  }

  /** The repositories whose runs read a target's secrets. */
  private readersOf(p: Prepared): Promise<string[]> {
    const t = p.target
    if (!isOrganization(t)) return Promise.resolve([`${t.owner}/${t.repo}`])
    const key = describe(t).toLowerCase()
    let found = this.readers.get(key)
    if (!found) {
      found = this.organizationReaders(p)
      this.readers.set(key, found)
    }
    return found
  }

  /**
   * An organization secret is read by the repositories its visibility names: the selected ones,
   * or every repository (`all`), or the private and internal ones (`private`). The visibility is
   * the one the run writes (its own setting, or the secret's as read before any change), and,
   * when the run sets a narrower one, whoever the secrets reached before the write: a run there
   * was queued with the old key, even if the new visibility leaves its repository out.
   */
  private async organizationReaders(p: Prepared): Promise<string[]> {
    const t = p.target as Extract<Target, { org: string }>
    const first = Object.values(p.extra)[0] ?? {}
    const visibility = (first.visibility as string | undefined) ?? t.visibility ?? 'all'
    const client = await this.clientFor(t.org)
    const readers = [...(p.reached?.repositories ?? [])]
    if (visibility === 'selected') {
      if (t.selectedRepositories)
        readers.push(...t.selectedRepositories.map((r) => `${t.org}/${r}`))
      // A selection the write kept was listed before any change: `reached` holds it.
      else if (!p.reached) {
        const name = Object.keys(p.extra)[0] ?? ''
        const scope = t.kind === 'organization' ? 'actions' : 'dependabot'
        const repos = await this.read(() =>
          client.paginate(`GET /orgs/{org}/${scope}/secrets/{secret_name}/repositories`, {
            org: t.org,
            secret_name: name,
            per_page: 100
          })
        )
        readers.push(...(repos as { full_name: string }[]).map((r) => r.full_name))
      }
    }
    const wide = [visibility, p.reached?.visibility].filter((v) => v === 'all' || v === 'private')
    if (wide.length > 0) {
      const repos = (await this.read(() =>
        client.paginate('GET /orgs/{org}/repos', { org: t.org, type: 'all', per_page: 100 })
      )) as { full_name: string; private?: boolean; visibility?: string }[]
      // `private` reaches private and internal repositories: every one that is not public.
      const all = wide.includes('all')
      readers.push(
        ...repos
          .filter((r) => all || r.visibility !== 'public' || r.private === true)
          .map((r) => r.full_name)
      )
    }
    return [...new Map(readers.map((r) => [r.toLowerCase(), r])).values()]
  }
}

/** A definite refusal (401, 403 or 404 from GitHub), as opposed to no answer or a rate limit. */
function refusal(error: unknown): boolean {
  const status = answered(error) ? (error as { status: number }).status : undefined
  return (status === 401 || status === 403 || status === 404) && rateLimitWait(error) === undefined
}

/** Why the runs could not be listed, quoting only GitHub's answer. */
function cannotList(error: unknown): RunsUnknown {
  const limited = rateLimited(error, { doing: { doing: 'runs' } })
  if (limited) return { kind: 'rate-limited', limit: limited.limit, waitMs: limited.waitMs }
  return refusal(error)
    ? { kind: 'refused', reason: reason(error) }
    : { kind: 'failed', reason: reason(error) }
}
