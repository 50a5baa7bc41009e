import { describe, expect, it } from '@jest/globals'
import { Octokit } from '@octokit/core'
import type { GitHubClient } from '../src/github/client.js'
import { explain, READS_PER_MINUTE, Secrets } from '../src/github/secrets.js'
import { errorWords } from '../src/report/error.js'
import type { OrganizationTarget, Target } from '../src/github/targets.js'

const TOKEN = 'github_pat_11AAAAAAA0unit\nTokenTail0123456789'
const REPO: Target = { kind: 'repository', owner: 'acme', repo: 'app' }

/** The error Octokit raises when fetch refuses the Authorization header: it quotes the header. */
async function headerError(): Promise<unknown> {
  const octokit = new Octokit({ auth: TOKEN, baseUrl: 'http://127.0.0.1:9' })
  return octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'app' }).then(
    () => {
      throw new Error('expected the request to fail')
    },
    (e: unknown) => e
  )
}

/** An HTTP error as Octokit raises it for GitHub's answer. */
const answer = (status: number, message: string): Error =>
  Object.assign(new Error(message), { status, response: { status, data: { message } } })

describe('explain', () => {
  it('never quotes the text of a local error, which can hold the Authorization header', async () => {
    const error = await headerError()
    // the danger, as fetch words it (Octokit copies it into its own message outside Jest's realm)
    const e = error as Error & { cause?: Error }
    expect(`${e.message} ${e.cause?.message}`).toContain('token github_pat')
    const message = errorWords(explain(error, REPO, { doing: 'public-key' }))
    for (const part of [TOKEN, ...TOKEN.split('\n')]) expect(message).not.toContain(part)
    expect(message).toContain("'github-token'")
    expect(message).toContain('acme/app')
  })

  it.each([
    [
      Object.assign(new Error('fetch failed'), { status: 500, cause: { code: 'ECONNREFUSED' } }),
      'no response: ECONNREFUSED'
    ],
    [Object.assign(new Error('token x y'), { status: 500 }), 'no response)'],
    [answer(502, 'Bad Gateway'), '502: Bad Gateway'],
    [answer(401, 'Bad credentials'), '401: Bad credentials']
  ])('names what failed without a local error text: %#', (error, expected) => {
    const message = errorWords(explain(error, REPO, { doing: 'write', secret: 'X' }))
    expect(message).toContain(expected)
    expect(message).not.toContain('token x y')
  })
})

describe('Secrets.prepare for organization secrets', () => {
  const org: OrganizationTarget = { kind: 'organization', org: 'acme' }
  /** A client whose secret reads answer 404 (no such secret) and whose public key exists. */
  const client = {
    request: (route: string) =>
      route.endsWith('/public-key')
        ? Promise.resolve({ data: { key_id: '1', key: 'k' } })
        : Promise.reject(answer(404, 'Not Found')),
    paginate: () => Promise.resolve([])
  } as unknown as GitHubClient
  const secrets = new Secrets(() => Promise.resolve(client), {
    writeIntervalMs: 0,
    sleep: () => Promise.resolve(),
    now: () => 0
  })

  it('refuses to create a secret when no visibility is set, naming the organization, secret and input', async () => {
    const error = await secrets.prepare(org, ['AWS_ACCESS_KEY_ID']).catch((e: unknown) => e)
    expect(errorWords(error)).toMatch(
      /^Secret AWS_ACCESS_KEY_ID does not exist yet in organization acme, .*'organization-secret-visibility'/
    )
  })

  it('creates it with the visibility set', async () => {
    const p = await secrets.prepare({ ...org, visibility: 'private' }, ['AWS_ACCESS_KEY_ID'])
    expect(p.extra).toEqual({ AWS_ACCESS_KEY_ID: { visibility: 'private' } })
  })
})

describe('Secrets reads, paced per minute', () => {
  it('starts at most READS_PER_MINUTE reads in any minute, however many targets', async () => {
    let time = 0
    const starts: number[] = []
    const client = {
      request: () => {
        starts.push(time)
        return Promise.resolve({ data: { key_id: '1', key: 'k' } })
      }
    } as unknown as GitHubClient
    const secrets = new Secrets(() => Promise.resolve(client), {
      writeIntervalMs: 0,
      sleep: (ms) => {
        time += ms
        return Promise.resolve()
      },
      now: () => time
    })
    // Public keys are read once per scope: one target per repository.
    const targets = Array.from({ length: READS_PER_MINUTE + 5 }, (_, i) => ({
      kind: 'repository' as const,
      owner: 'acme',
      repo: `r${i}`
    }))
    await Promise.all(targets.map((t) => secrets.prepare(t, ['X'])))
    expect(starts).toHaveLength(READS_PER_MINUTE + 5)
    expect(starts.filter((t) => t < 60_000)).toHaveLength(READS_PER_MINUTE)
    expect(starts.at(-1)).toBe(60_000)
  })
})
