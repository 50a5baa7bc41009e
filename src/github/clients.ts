/**
 * The shapes of a run's GitHub clients, apart from how they are built (client.ts) so that the
 * App's clients (app-clients.ts, loaded on demand by client.ts) name them without importing back.
 */
import type { GitHub as Toolkit } from '@actions/github/lib/utils'
import type { Target } from './targets.js'

export type GitHubClient = InstanceType<typeof Toolkit>

/** The client that may write `target`'s secrets. */
export type ClientFor = (target: Target) => Promise<GitHubClient>

/** The Octokit options every client of a run shares (App clients add their auth strategy). */
export type CommonOptions = ConstructorParameters<typeof Toolkit>[0] & object

/** The clients of a run. */
export interface Clients {
  /** The client that may write a target's secrets. */
  forTarget: ClientFor
  /** A client that may read `owner/repo`'s workflow runs, to see whether a lease holder ended. */
  forRuns: (owner: string, repo: string) => Promise<GitHubClient>
  /**
   * A client that may read the workflow runs of every repository of `owner` that reads a target
   * (and list the organization's repositories): to wait for runs that hold the old key.
   */
  forDrain: (owner: string) => Promise<GitHubClient>
}
