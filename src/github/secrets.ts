/**
 * Reading what a target's secrets need (its public key and, for organizations, each secret's
 * visibility) and writing sealed secrets. Each scope's public key is fetched once per run, however
 * many users write to it.
 */
import type { ClientFor, GitHubClient } from './clients.js'
import {
  answered,
  AuthError,
  isHeaderError,
  rateLimited,
  RateLimited,
  reason,
  type Doing
} from './errors.js'
import { SecretsError, type Credential, type SecretsFault } from './secrets-errors.js'
import { settled } from '../settled.js'
import { pacedWrites, type PacedWrites, type Pacing } from './paced-writes.js'
import { pacedReads, READ_CONCURRENCY, ReadWindow } from './reads.js'
import { loadSodium, seal } from './seal.js'
import {
  endpoints,
  isOrganization,
  scopeKey,
  type OrganizationTarget,
  type Target
} from './targets.js'

/** A scope's secrets public key, as GitHub returns it. */
export interface PublicKey {
  keyId: string
  key: string
}

/** A target ready to be written: its client, public key and the extra body of each secret. */
export interface Prepared {
  target: Target
  client: GitHubClient
  key: PublicKey
  /** Organization secrets: `visibility` and `selected_repository_ids`, per secret name. */
  extra: Record<string, Record<string, unknown>>
  /**
   * An organization secret written with a configured visibility narrower than `all`, or whose
   * selection the write keeps: who its secrets reached before the write. Their runs may hold the
   * old key even when the new visibility leaves their repository out.
   */
  reached?: Reached
}

/**
 * The repositories (`owner/name`) secrets reached, as GitHub listed them, and whether every
 * repository of the organization (`all`) or every one not public (`private`) did too.
 */
export interface Reached {
  repositories: string[]
  visibility?: 'all' | 'private'
}

/**
 * Turn a GitHub error on `target` into the facts of what to do next: a rate limit becomes a
 * {@link RateLimited} with the wait GitHub asked for, never advice to change permissions.
 */
export function explain(
  error: unknown,
  target: Target,
  doing: Doing,
  credential: Credential = {}
): Error {
  if (error instanceof RateLimited) {
    const within = [...(error.limit.within ?? []), { doing, target }]
    return new RateLimited({ ...error.limit, within }, error.waitMs)
  }
  const limited = rateLimited(error, { doing, target })
  if (limited) return limited
  // Only GitHub's own answer is quoted: a local error's text can hold the Authorization header.
  const status = answered(error) ? (error as { status: number }).status : undefined
  const fault: SecretsFault =
    error instanceof AuthError
      ? { kind: 'mint', mint: error.facts }
      : isHeaderError(error)
        ? { kind: 'header' }
        : status === 401 || status === 403 || status === 404
          ? { kind: 'refused', status, reason: reason(error) }
          : { kind: 'failed', reason: reason(error) }
  return new SecretsError(fault, target, doing, credential, { cause: error })
}

export { READ_CONCURRENCY, READS_PER_MINUTE } from './reads.js'

/** An organization secret's selection: each repository's ID and full name, by lower-case name. */
type Selection = Map<string, { id: number; name: string }>

/**
 * The secrets side of a run: caches public keys and repository IDs across users, sends reads
 * a few at a time and every write, of every user and client, one at a time.
 */
export class Secrets {
  private readonly keys = new Map<string, Promise<PublicKey>>()
  private readonly repositoryIds = new Map<string, Promise<number>>()
  /** Each organization secret's selection before the write, listed once per run. */
  private readonly selections = new Map<string, Promise<Selection | undefined>>()
  private readonly writes: PacedWrites
  /**
   * One read, when fewer than {@link READ_CONCURRENCY} others are in flight, within the window:
   * the reads made before any change (the run's preflight probes of workflow runs too) share it.
   */
  readonly read: <T>(request: () => Promise<T>) => Promise<T>

  constructor(
    private readonly clientFor: ClientFor,
    pacing: Pacing,
    /** The per-minute window of reads, shared with the run's other reads (workflow runs). */
    readonly window: ReadWindow = new ReadWindow(pacing),
    /** What the messages may say about the credential the run writes with. */
    private readonly credential: Credential = {}
  ) {
    this.read = pacedReads(window, READ_CONCURRENCY)
    this.writes = pacedWrites(pacing)
  }

  /** Everything needed to write `names` into `target`, read before anything changes. */
  async prepare(target: Target, names: string[]): Promise<Prepared> {
    // Sealing needs libsodium only after verification: load it while the reads are in flight.
    loadSodium().catch(() => undefined) // a failure to load is reported by the first seal
    const client = await this.clientFor(target)
    // The key, the visibility and the earlier-readers reads are independent: side by side, off
    // the critical path, and queued before the preflight's probes of workflow runs. Settled, not
    // raced: when several fail, the error is the first name's, whichever answered first.
    // Writing `all` reaches every repository that could read the secrets before; a narrower
    // visibility leaves some out, and their runs may hold the old key.
    const narrower = isOrganization(target) && target.visibility && target.visibility !== 'all'
    const [key, visibilities, reached] = await settled([
      this.publicKey(client, target),
      settled(
        isOrganization(target) ? names.map((name) => this.visibility(client, target, name)) : []
      ),
      narrower ? this.reached(client, target, names) : Promise.resolve(undefined)
    ] as const)
    const extra: Prepared['extra'] = {}
    visibilities.forEach((v, i) => (extra[names[i] as string] = v.extra))
    // A selection kept as it is: its listing already says who reads the secrets, before and after.
    const kept = visibilities.flatMap((v) => v.readers ?? [])
    const seen =
      reached ??
      (visibilities.some((v) => v.readers) ? { repositories: [...new Set(kept)] } : undefined)
    return seen ? { target, client, key, extra, reached: seen } : { target, client, key, extra }
  }

  /**
   * Who secrets `names` reached before the write: each secret's visibility now (none when it does
   * not exist yet) and, for `selected`, its selection. When in doubt (a read failed), every
   * repository of the organization.
   */
  private async reached(
    client: GitHubClient,
    target: OrganizationTarget,
    names: string[]
  ): Promise<Reached> {
    const each = await Promise.all(
      names.map(async (name): Promise<Reached | undefined> => {
        const { route, params } = endpoints(target).get(name)
        const now = await this.read(() => client.request(route, params)).then(
          ({ data }) => (data as { visibility: string }).visibility,
          (error: unknown) => (status(error) === 404 ? undefined : 'all')
        )
        if (now === undefined) return undefined
        if (now !== 'selected')
          return { repositories: [], visibility: now === 'private' ? 'private' : 'all' }
        const listed = await this.selection(client, target, name)
        if (!listed) return { repositories: [], visibility: 'all' }
        return { repositories: [...listed.values()].map((r) => r.name) }
      })
    )
    const known = each.filter((r): r is Reached => r !== undefined)
    const visibility = known.some((r) => r.visibility === 'all')
      ? 'all'
      : known.some((r) => r.visibility === 'private')
        ? 'private'
        : undefined
    const repositories = [...new Set(known.flatMap((r) => r.repositories))]
    return visibility ? { repositories, visibility } : { repositories }
  }

  /**
   * Seal `value` against the target's public key and write it as secret `name`. Resolves to the
   * time of GitHub's answer (its `date` header, GitHub's clock), when it gave one: the write landed
   * by then, so a workflow run GitHub dates later reads the new value.
   */
  async write(p: Prepared, name: string, value: string): Promise<Date | undefined> {
    const { route, params } = endpoints(p.target).put(name)
    const encrypted = await seal(value, p.key.key)
    const body = { ...params, ...p.extra[name], encrypted_value: encrypted, key_id: p.key.keyId }
    try {
      return await this.writes(async () => {
        const { headers } = await p.client.request(route, body)
        const date = headers.date ? new Date(headers.date) : undefined
        return date && !Number.isNaN(date.getTime()) ? date : undefined
      })
    } catch (error) {
      throw explain(error, p.target, { doing: 'write', secret: name }, this.credential)
    }
  }

  /** When secret `name` of a prepared target was last written; undefined when it does not exist. */
  async updatedAt(p: Prepared, name: string): Promise<Date | undefined> {
    const { route, params } = endpoints(p.target).get(name)
    try {
      const { data } = (await this.read(() => p.client.request(route, params))) as {
        data: { updated_at: string }
      }
      return new Date(data.updated_at)
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined
      throw explain(error, p.target, { doing: 'updated', secret: name }, this.credential)
    }
  }

  private publicKey(client: GitHubClient, target: Target): Promise<PublicKey> {
    const scope = scopeKey(target)
    let key = this.keys.get(scope)
    if (!key) {
      const { route, params } = endpoints(target).publicKey
      key = this.read(() => client.request(route, params)).then(
        ({ data }) => {
          const { key_id, key } = data as { key_id: string; key: string }
          return { keyId: key_id, key }
        },
        async (error: unknown) => {
          if (target.kind === 'environment' && status(error) === 404)
            await this.environmentMissing(client, target, error)
          throw explain(error, target, { doing: 'public-key' }, this.credential)
        }
      )
      this.keys.set(scope, key)
    }
    return key
  }

  /**
   * The visibility to write: as configured, or as the secret has it now. A secret that does not
   * exist yet needs a configured visibility: the run refuses, before any change, to pick one that
   * lets repositories nobody chose read the key.
   */
  private async visibility(
    client: GitHubClient,
    target: OrganizationTarget,
    name: string
  ): Promise<{ extra: Record<string, unknown>; readers?: string[] }> {
    if (target.visibility) {
      if (target.visibility !== 'selected') return { extra: { visibility: target.visibility } }
      // The secret's selection now names most of the repositories with their IDs, a hundred a
      // page: only one it does not name yet is looked up on its own.
      const named = (await this.selection(client, target, name)) ?? (new Map() as Selection)
      const ids = await Promise.all(
        (target.selectedRepositories ?? []).map((repo): Promise<number> => {
          const id = named.get(`${target.org}/${repo}`.toLowerCase())?.id
          return id === undefined ? this.repositoryId(client, target, repo) : Promise.resolve(id)
        })
      )
      return { extra: { visibility: 'selected', selected_repository_ids: ids } }
    }
    const routes = endpoints(target)
    try {
      const get = routes.get(name)
      const { data } = (await this.read(() => client.request(get.route, get.params))) as {
        data: { visibility: string }
      }
      if (data.visibility !== 'selected') return { extra: { visibility: data.visibility } }
      // Resend the current selection: the write must not widen or empty who can read the secret.
      // Its names are the secret's readers, for the drain: listed once.
      const selected = routes.selected!(name)
      const repositories = await this.read(() =>
        client.paginate<{ id: number; full_name: string }>(selected.route, {
          ...selected.params,
          per_page: 100
        })
      )
      return {
        extra: { visibility: 'selected', selected_repository_ids: repositories.map((r) => r.id) },
        readers: repositories.map((r) => r.full_name)
      }
    } catch (error) {
      if (answered(error) && (error as { status: number }).status === 404) {
        const fault = { kind: 'no-visibility', secret: name } as const
        throw new SecretsError(fault, target, undefined, this.credential, { cause: error })
      }
      throw explain(error, target, { doing: 'visibility', secret: name }, this.credential)
    }
  }

  /**
   * After a 404 for an environment's public key: one read of the repository (Metadata, which every
   * token that reaches it holds; reading the environment itself would need 'Actions: Read'). A
   * repository the token sees means the environment is missing: GitHub answers a missing
   * permission with 403, not 404. Throws that; returns when the repository is not visible either.
   */
  private async environmentMissing(
    client: GitHubClient,
    target: Target & { kind: 'environment' },
    cause: unknown
  ): Promise<void> {
    const { owner, repo } = target
    const seen = await this.read(() => client.request('GET /repos/{owner}/{repo}', { owner, repo }))
      .then(() => true)
      .catch(() => false)
    if (seen) {
      const fault = { kind: 'no-environment' } as const
      throw new SecretsError(fault, target, undefined, this.credential, { cause })
    }
  }

  /**
   * The repositories secret `name` is shared with now, by lower-case full name. Undefined when
   * GitHub did not list them (a new secret, a refusal): each repository is then looked up on its
   * own, and that lookup reports what is wrong.
   */
  private selection(
    client: GitHubClient,
    target: OrganizationTarget,
    name: string
  ): Promise<Selection | undefined> {
    const key = `${scopeKey(target)}\n${name}`
    let listed = this.selections.get(key)
    if (!listed) {
      const { route, params } = endpoints(target).selected!(name)
      listed = this.read(() =>
        client.paginate<{ id: number; full_name: string }>(route, { ...params, per_page: 100 })
      ).then(
        (repositories): Selection =>
          new Map(
            repositories.map((r) => [
              r.full_name.toLowerCase(),
              { id: Number(r.id), name: r.full_name }
            ])
          ),
        () => undefined
      )
      this.selections.set(key, listed)
    }
    return listed
  }

  private repositoryId(
    client: GitHubClient,
    target: OrganizationTarget,
    repo: string
  ): Promise<number> {
    const key = `${target.org}/${repo}`.toLowerCase()
    let id = this.repositoryIds.get(key)
    if (!id) {
      id = this.read(() =>
        client.request('GET /repos/{owner}/{repo}', { owner: target.org, repo })
      ).then(
        ({ data }) => Number(data.id),
        (error: unknown) => {
          const doing = { doing: 'repository', repository: `${target.org}/${repo}` } as const
          throw explain(error, target, doing, this.credential)
        }
      )
      this.repositoryIds.set(key, id)
    }
    return id
  }
}

/** GitHub's status for `error` when it answered; undefined for a local failure. */
const status = (error: unknown): number | undefined =>
  answered(error) ? (error as { status: number }).status : undefined
