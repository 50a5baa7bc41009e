/**
 * The failure issues: what report/failure-issue.ts says from each user's result, and what
 * github/issues.ts does with it against the GitHub emulator: open, update (never a duplicate,
 * even when GitHub's answer to the POST is lost), close; pull requests and unmarked issues with
 * the label left alone; a refusal reported, never thrown.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { startGitHubEmulator, type GitHubEmulator } from '../emulators/github/index.js'
import type { UserResult } from '../src/fleet.js'
import { dryRun } from './fakes/dry-run.js'
import { issueProblemWords } from '../src/report/github-issues.js'
import { createClients } from '../src/github/client.js'
import { syncIssues, type IssuesOptions } from '../src/github/issues.js'
import { markedUser, marker } from '../src/github/issue-marker.js'
import {
  code,
  issueActions,
  issuesNote,
  runLink,
  type RunLink
} from '../src/report/failure-issue.js'

const RUN: RunLink = {
  url: 'https://github.com/acme/ops/actions/runs/77',
  workflow: 'Rotate IAM key',
  attempt: 1
}
const base = { rotated: false, written: [], cleared: [] }
const failed = (
  user: string,
  error = 'Writing secrets failed. Run the workflow again.'
): UserResult => ({
  outcome: {
    ...base,
    userName: user,
    newKeyId: 'AKIANEWKEY0000000001',
    written: ['acme/app'],
    holders: { refused: ['acme/archived'], doubt: [], old: ['acme/api'] },
    old: undefined
  },
  error
})
const rotated = (user: string): UserResult => ({
  outcome: {
    ...base,
    userName: user,
    rotated: true,
    newKeyId: 'AKIANEWKEY0000000002',
    written: ['acme/app']
  }
})

describe('the words', () => {
  it('a marker names the user, whatever its characters', () => {
    for (const user of ['deploy', 'a--b', 'x+y=z,w.v@u_t-s']) {
      expect(markedUser(`title\n${marker(user)}\nrest`)).toBe(user)
      expect(marker(user).slice(4, -3)).not.toContain('--')
    }
    expect(markedUser('<!-- something else -->')).toBeUndefined()
    expect(markedUser(null)).toBeUndefined()
  })

  it('code spans survive backticks', () => {
    expect(code('a`b')).toBe('``a`b``')
    expect(code('`x')).toBe('`` `x ``')
  })

  it('a failure files an issue: what happened, what holds now, what to do; no secret', () => {
    const [action] = issueActions([failed('deploy', 'Boom ``` @someone')], RUN, new Date(0))
    expect(action?.kind).toBe('file')
    if (action?.kind !== 'file') return
    expect(action.title).toBe('Rotation of IAM user deploy failed')
    expect(markedUser(action.body)).toBe('deploy')
    expect(action.body).toContain('### What happened')
    // The error sits in a fence longer than any backtick run it holds: no @-mention, no Markdown.
    expect(action.body).toContain('````text\nBoom ``` @someone\n````')
    expect(action.body).toContain('Holding `AKIANEWKEY0000000001`: `acme/app`.')
    expect(action.body).toContain(
      'Still holding the previous key (this run did not write them): `acme/api`.'
    )
    expect(action.body).toContain(
      'Refused `AKIANEWKEY0000000001` (GitHub said no), so still holding the key they held: `acme/archived`.'
    )
    expect(action.body).toContain('### What to do')
    expect(action.body).toContain(
      '[Rotate IAM key run](https://github.com/acme/ops/actions/runs/77)'
    )
  })

  it('nothing written: says every target holds what it held', () => {
    const result: UserResult = { outcome: { ...base, userName: 'u' }, error: 'no' }
    const [action] = issueActions([result], RUN)
    expect(action?.kind === 'file' && action.body).toContain(
      '- No target was written: every target still holds the key it held before this run.'
    )
  })

  it('a success closes, a dry run leaves the issue alone', () => {
    const dry: UserResult = { outcome: { ...base, userName: 'dry', plan: dryRun() } }
    const actions = issueActions([rotated('deploy'), dry], RUN)
    expect(actions).toHaveLength(1)
    expect(actions[0]).toMatchObject({ kind: 'close', user: 'deploy' })
    expect(actions[0]?.comment).toContain('`acme/app` holds the new key `AKIANEWKEY0000000002`')
  })

  it('the job summary links the issues, and says nothing when none changed', () => {
    const i = { number: 3, url: 'https://github.com/acme/ops/issues/3' }
    expect(issuesNote({ opened: [i], updated: [], closed: [] })).toBe(
      '<p><strong>Failure issues</strong>: opened <a href="https://github.com/acme/ops/issues/3">#3</a>.</p>'
    )
    expect(issuesNote({ opened: [], updated: [], closed: [] })).toBeUndefined()
  })

  it('a skipped user proves nothing: its issue stays', () => {
    const skipped: UserResult = { outcome: { ...base, userName: 's', decision: 'rotate' } }
    expect(issueActions([skipped], RUN)).toEqual([])
  })

  it("links the run from the runner's variables", () => {
    expect(
      runLink({
        GITHUB_SERVER_URL: 'https://github.example',
        GITHUB_REPOSITORY: 'acme/ops',
        GITHUB_RUN_ID: '9',
        GITHUB_RUN_ATTEMPT: '2',
        GITHUB_WORKFLOW: 'W'
      })
    ).toEqual({ url: 'https://github.example/acme/ops/actions/runs/9', workflow: 'W', attempt: 2 })
  })
})

describe('syncIssues against the emulator', () => {
  const TOKEN = 'ghs_issuesUnitToken0123456789abcdefgh'
  let gh: GitHubEmulator
  const options: IssuesOptions = {
    repository: 'acme/ops',
    label: 'rotate-iam-key',
    writeIntervalMs: 0,
    sleep: () => Promise.resolve(),
    redact: ['SECRET-VALUE']
  }
  const sync = async (results: UserResult[], token = TOKEN) => {
    const client = await createClients(
      { auth: { token }, baseUrl: gh.url, limitMet: () => undefined },
      []
    ).forRuns('acme', 'ops')
    return syncIssues(client, issueActions(results, RUN), options)
  }
  const issues = () => gh.issues('acme/ops').filter((i) => !i.pullRequest)

  beforeEach(async () => {
    gh = await startGitHubEmulator()
    gh.addRepository('acme/ops')
    gh.addToken(TOKEN, {
      kind: 'installation',
      repositories: ['acme/ops', 'acme/quiet'],
      secrets: 'none',
      issues: 'write'
    })
  })
  afterEach(async () => {
    await gh.close()
  })

  it('opens, updates (no duplicate), then closes with a comment', async () => {
    const first = await sync([failed('deploy'), rotated('other')])
    expect(first.opened.map((i) => i.number)).toEqual([1])
    expect(first.closed).toEqual([]) // `other` has no issue
    const second = await sync([failed('deploy', 'Failed again: SECRET-VALUE')])
    expect(second).toMatchObject({ opened: [], updated: [{ number: 1 }], problems: [] })
    expect(issues()).toHaveLength(1)
    expect(issues()[0]?.body).toContain('Failed again: ***')
    expect(JSON.stringify(gh.issues('acme/ops'))).not.toContain('SECRET-VALUE')
    expect(issues()[0]?.comments).toHaveLength(1)
    const third = await sync([rotated('deploy')])
    expect(third.closed.map((i) => i.url)).toEqual(['https://github.com/acme/ops/issues/1'])
    expect(issues()[0]).toMatchObject({ state: 'closed', state_reason: 'completed' })
    expect(issues()[0]?.comments.at(-1)?.body).toContain('succeeded')
    // Closed: the next failure opens a new one.
    expect((await sync([failed('deploy')])).opened.map((i) => i.number)).toEqual([2])
  })

  it('finds its issue by the marker: not a pull request, not an issue a person labelled', async () => {
    gh.addPullRequest('acme/ops', {
      title: 'x',
      labels: ['rotate-iam-key'],
      body: marker('deploy')
    })
    const client = await createClients(
      { auth: { token: TOKEN }, baseUrl: gh.url, limitMet: () => undefined },
      []
    ).forRuns('acme', 'ops')
    await client.rest.issues.create({
      owner: 'acme',
      repo: 'ops',
      title: 'Rotation of IAM user deploy failed',
      labels: ['rotate-iam-key']
    })
    const report = await sync([failed('deploy')])
    expect(report.opened.map((i) => i.number)).toEqual([3])
  })

  it('writes go one at a time, a pause apart when the run paces them', async () => {
    const pauses: number[] = []
    const paced: IssuesOptions = {
      ...options,
      writeIntervalMs: 1000,
      sleep: (ms) => {
        pauses.push(ms)
        return Promise.resolve()
      }
    }
    const client = await createClients(
      { auth: { token: TOKEN }, baseUrl: gh.url, limitMet: () => undefined },
      []
    ).forRuns('acme', 'ops')
    await syncIssues(client, issueActions([failed('deploy')], RUN), paced)
    expect(pauses).toEqual([]) // one write: nothing to wait for
    await syncIssues(client, issueActions([failed('deploy')], RUN), paced)
    // The description, then the comment a second after it.
    expect(pauses).toHaveLength(1)
    // What is left of the second after the description's write: less on a busy machine, never more.
    expect(pauses[0]).toBeGreaterThan(0)
    expect(pauses[0]).toBeLessThanOrEqual(1000)
    expect(gh.peakConcurrency((e) => e.method !== 'GET')).toBe(1)
  })

  it('a POST whose answer is lost is not repeated: the issue that landed is used', async () => {
    gh.inject({ route: 'POST /repos/{owner}/{repo}/issues', status: 502, afterActing: true })
    const report = await sync([failed('deploy')])
    expect(report.opened.map((i) => i.number)).toEqual([1])
    expect(issues()).toHaveLength(1)
    expect(gh.log.filter((e) => e.route === 'POST /repos/{owner}/{repo}/issues')).toHaveLength(1)
  })

  it('a POST that failed before acting is sent once more, after looking', async () => {
    gh.inject({ route: 'POST /repos/{owner}/{repo}/issues', status: 502 })
    const report = await sync([failed('deploy')])
    expect(report.opened).toHaveLength(1)
    expect(issues()).toHaveLength(1)
    expect(gh.log.filter((e) => e.route === 'POST /repos/{owner}/{repo}/issues')).toHaveLength(2)
  })

  it('issues disabled (410): the problem says how to enable them or turn the input off', async () => {
    gh.addRepository('acme/quiet', { hasIssues: false })
    const client = await createClients(
      { auth: { token: TOKEN }, baseUrl: gh.url, limitMet: () => undefined },
      []
    ).forRuns('acme', 'quiet')
    const report = await syncIssues(client, issueActions([failed('deploy')], RUN), {
      ...options,
      repository: 'acme/quiet'
    })
    const problems = report.problems.map(issueProblemWords)
    expect(problems).toEqual([
      expect.stringContaining('Issues are disabled in this repository') as unknown as string
    ])
    expect(problems[0]).toContain('(410: ')
  })

  it("a token without 'Issues: write' is a problem with the fix, never an exception", async () => {
    const READ = 'ghs_issuesReadOnly0123456789abcdefghij'
    gh.addToken(READ, {
      kind: 'installation',
      repositories: ['acme/ops'],
      secrets: 'none',
      issues: 'read'
    })
    const report = await sync([failed('deploy')], READ)
    expect(report.opened).toEqual([])
    expect(report.problems).toHaveLength(1)
    const [problem] = report.problems.map(issueProblemWords)
    expect(problem).toContain(
      'Could not file the failure issue of IAM user deploy in acme/ops (403'
    )
    expect(problem).toContain("'permissions: issues: write'")
  })
})
