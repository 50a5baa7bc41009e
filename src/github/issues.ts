/**
 * Sends the failure issues (report/failure-issue.ts says what they say) to the repository running
 * the rotation, with the issues token. An issue is found by the hidden marker in its body among
 * the open issues with the label, never by its title. Writes go one at a time. Creating an issue
 * or a comment is not idempotent, so a POST is never retried blind: after an uncertain answer (none,
 * a time-out, a 5xx) the open issues are listed again and what exists decides. Never throws: what
 * could not be done comes back as problems (facts: src/report/github-issues.ts words them), for
 * the run to warn about.
 */
import { markedUser, type IssueAction } from './issue-marker.js'
import type { GitHubClient } from './clients.js'
import { reason, refusedForGood, type Reason } from './errors.js'
import { pacedWrites } from './paced-writes.js'

export interface IssueRef {
  number: number
  url: string
}

/** What could not be done: listing the open issues, or filing or closing one user's. */
export type IssueProblem = {
  repository: string
  reason: Reason
  /** The failed request's status, when it had one: it says what the issues token lacks. */
  status?: number
} & ({ kind: 'list'; label: string } | { kind: 'file' | 'close'; user: string })

/** What the run did to the issues, and what it could not do. */
export interface IssuesReport {
  opened: IssueRef[]
  updated: IssueRef[]
  closed: IssueRef[]
  problems: IssueProblem[]
}

export interface IssuesOptions {
  /** `owner/name` of the repository running the rotation. */
  repository: string
  label: string
  /** Pause between two writes (GitHub asks for a second when there are many). */
  writeIntervalMs: number
  sleep: (ms: number) => Promise<void>
  /** Values that must never reach GitHub in an issue (the run's credentials): replaced by `***`. */
  redact: string[]
}

/** What a problem records of a failed request: the repository, GitHub's reason, the status. */
function failed(error: unknown, repository: string): Omit<IssueProblem, 'kind' | 'label' | 'user'> {
  const status = (error as { status?: unknown }).status
  return { repository, reason: reason(error), ...(typeof status === 'number' ? { status } : {}) }
}

/** Open, update or close each user's issue as `actions` say. */
export async function syncIssues(
  octokit: GitHubClient,
  actions: IssueAction[],
  options: IssuesOptions
): Promise<IssuesReport> {
  const report: IssuesReport = { opened: [], updated: [], closed: [], problems: [] }
  if (actions.length === 0) return report
  const [owner = '', repo = ''] = options.repository.split('/')
  const scrub = (text: string): string =>
    options.redact.filter(Boolean).reduce((t, secret) => t.split(secret).join('***'), text)
  const { writeIntervalMs, sleep } = options
  const write = pacedWrites({ writeIntervalMs, sleep, now: Date.now })
  // A POST is tried once: plugin-retry would repeat it on a 5xx.
  const once = { request: { retries: 0 } }

  /** Open issues with the label, by the user their marker names, oldest first. */
  const listOpen = async (): Promise<Map<string, IssueRef[]>> => {
    const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner,
      repo,
      labels: options.label,
      state: 'open',
      per_page: 100
    })
    const byUser = new Map<string, IssueRef[]>()
    for (const issue of issues.sort((a, b) => a.number - b.number)) {
      if (issue.pull_request) continue // GitHub's issue list holds pull requests too
      const user = markedUser(issue.body)
      if (user === undefined) continue
      byUser.set(user, [...(byUser.get(user) ?? []), { number: issue.number, url: issue.html_url }])
    }
    return byUser
  }

  let open: Map<string, IssueRef[]>
  try {
    open = await listOpen()
  } catch (error) {
    const problem = { kind: 'list', label: options.label } as const
    report.problems.push({ ...failed(error, options.repository), ...problem })
    return report
  }

  const comment = (number: number, body: string): Promise<unknown> =>
    write(() =>
      octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: number,
        body: scrub(body),
        ...once
      })
    )

  for (const action of actions) {
    const found = open.get(action.user) ?? []
    try {
      if (action.kind === 'close') {
        for (const issue of found) {
          await comment(issue.number, action.comment)
          await write(() =>
            octokit.rest.issues.update({
              owner,
              repo,
              issue_number: issue.number,
              state: 'closed',
              state_reason: 'completed'
            })
          )
          report.closed.push(issue)
        }
        continue
      }
      const existing = found[0]
      if (existing) {
        // The description says what holds now; the comment notifies whoever watches the issue.
        await write(() =>
          octokit.rest.issues.update({
            owner,
            repo,
            issue_number: existing.number,
            body: scrub(action.body)
          })
        )
        await comment(existing.number, action.comment)
        report.updated.push(existing)
        continue
      }
      const created = await createOnce(action)
      if (created) report.opened.push(created)
    } catch (error) {
      const problem = {
        kind: action.kind === 'close' ? 'close' : 'file',
        user: action.user
      } as const
      report.problems.push({ ...failed(error, options.repository), ...problem })
    }
  }
  return report

  /** Create the user's issue; after an uncertain answer, list again and create only if none landed. */
  async function createOnce(
    action: Extract<IssueAction, { kind: 'file' }>
  ): Promise<IssueRef | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { data } = await write(() =>
          octokit.rest.issues.create({
            owner,
            repo,
            title: scrub(action.title),
            body: scrub(action.body),
            labels: [options.label],
            ...once
          })
        )
        return { number: data.number, url: data.html_url }
      } catch (error) {
        if (refusedForGood(error)) throw error
        // The issue may exist: what GitHub lists decides, never a blind second POST.
        open = await listOpen()
        const landed = open.get(action.user)?.[0]
        if (landed) return landed
        if (attempt >= 2) throw error
      }
    }
  }
}
