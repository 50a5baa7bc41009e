import { describe, expect, it } from '@jest/globals'
import {
  diffRequests,
  drainRounds,
  idealPhases,
  lowerBound,
  median,
  medianRun,
  minimumRequests,
  neededAttempts,
  preflightRounds,
  ROUTES,
  scopesPerUser,
  workerBound,
  writeGaps,
  type Scenario
} from '../scripts/bench/bound.js'

const oneRepo = (propagationMs: number): Scenario => ({
  name: 'one',
  target: 'repository',
  scopes: 1,
  secretsPerScope: 2,
  users: 1,
  propagationMs
})
const fifty = (propagationMs: number): Scenario => ({ ...oneRepo(propagationMs), scopes: 50 })
const organization = (propagationMs: number): Scenario => ({
  ...oneRepo(propagationMs),
  target: 'organization',
  selectedRepositories: 50
})
const fleet = (propagationMs: number): Scenario => ({ ...fifty(propagationMs), users: 20 })

/**
 * The recovery bookkeeping on the chain: intent, published (the preflight runs beside the plan,
 * the untag beside the delete).
 */
const BOOKKEEPING = 2

describe('lower bound', () => {
  it('is the chain of round trips when nothing waits', () => {
    const b = lowerBound(oneRepo(0), 50)
    // OIDC, AssumeRole, plan ‖ preflight, intent, create, verify, 2 PUT, published, deactivate,
    // delete ‖ untag
    expect(b.chain).toBe(11)
    expect(b.ms).toBe(11 * 50)
    expect(b.terms).toHaveLength(1 + BOOKKEEPING)
    expect(b.terms.map((t) => t.what).join('\n')).toMatch(/intent[\s\S]*published/)
    expect(b.terms.map((t) => t.what).join('\n')).not.toMatch(/UntagUser/)
  })

  it('adds the propagation CreateAccessKey does not already cover', () => {
    const b = lowerBound(oneRepo(5000), 50)
    expect(b.ms).toBe(11 * 50 + 4950)
    expect(lowerBound(oneRepo(30), 50).ms).toBe(11 * 50)
  })

  it('paces writes a second apart only above 10 writes', () => {
    const paced = lowerBound(fifty(0), 50)
    // 109 of the rotation, 22 of reads before the intent, 49 of the drain's listings
    expect(paced.chain).toBe(109 + 22 + 49)
    expect(paced.ms).toBe((109 + 22 + 49) * 50 + 99 * 1000)
    const five: Scenario = { ...oneRepo(0), scopes: 5 } // 10 writes: not paced
    expect(
      lowerBound(five, 50)
        .terms.map((t) => t.what)
        .join()
    ).not.toMatch(/pacing/)
  })

  it('counts the reads of an organization secret’s 50 readers, at the action’s read pace', () => {
    // before the intent: public key, 2 secrets' visibility and selection, 50 probes, 4 at a time
    // (14 round trips, 3 of them beside the AWS side); after publishing: 250 listings, 5 at a
    // time, one beside
    // the published TagUser
    expect(preflightRounds(organization(0))).toBe(11)
    expect(drainRounds(organization(0))).toBe(49)
    expect(lowerBound(organization(0), 50).ms).toBe(lowerBound(oneRepo(0), 50).ms + 60 * 50)
    // one repository: its probe goes beside the plan, its 5 listings beside the published TagUser
    expect([preflightRounds(oneRepo(0)), drainRounds(oneRepo(0))]).toEqual([0, 0])
  })

  it('bounds a manifest by its shared write pipe while 4 users at a time fit under it', () => {
    for (const p of [0, 5000]) {
      const b = lowerBound(fleet(p), 50)
      // the write pipe of 50 repositories, and the last user's drain of 2 repositories
      const fiftyReads = (22 + 49) * 50
      expect(b.ms).toBe(lowerBound(fifty(p), 50).ms - fiftyReads + 50)
      expect(workerBound(fleet(p), 50)).toBeLessThan(b.ms)
      expect(b.note).toMatch(/below the write pipe/)
    }
    // 10 users hold 3 repositories, 10 hold 2: 50 in all
    const counts = scopesPerUser(fleet(0))
    expect(counts.slice(0, 10)).toEqual(counts.slice(0, 10).map(() => 3))
    expect(counts.slice(10)).toEqual(counts.slice(10).map(() => 2))
    expect(counts).toHaveLength(20)
  })

  it('lets 4 users at a time bind when each user waits long and writes little', () => {
    // 40 users, one repository each, 60 s propagation: 10 waves of a minute, far above the pipe
    const slow: Scenario = { ...fleet(60_000), scopes: 40, users: 40 }
    const b = lowerBound(slow, 50)
    expect(b.ms).toBe(workerBound(slow, 50))
    expect(b.terms.reduce((a, t) => a + t.ms, 0)).toBe(b.ms)
    expect(b.note).toMatch(/above the write pipe/)
  })

  it('splits into phases that sum to the bound', () => {
    for (const s of [
      oneRepo(0),
      oneRepo(5000),
      fifty(0),
      fifty(5000),
      organization(5000),
      fleet(5000)
    ]) {
      const sum = idealPhases(s, 50).reduce((a, t) => a + t.ms, 0)
      expect(sum).toBe(lowerBound(s, 50).ms)
    }
  })
})

describe('minimum requests', () => {
  it('polls GetCallerIdentity once a second from the CreateAccessKey response', () => {
    expect(neededAttempts(0, 50)).toBe(1)
    expect(neededAttempts(50, 50)).toBe(1)
    expect(neededAttempts(1000, 50)).toBe(2)
    expect(neededAttempts(5000, 50)).toBe(6)
  })

  it('counts one public key and two PUTs per repository, and the bookkeeping', () => {
    const min = minimumRequests(fifty(5000), 50)
    expect(min.get(ROUTES.publicKey)).toBe(50)
    expect(min.get(ROUTES.put)).toBe(100)
    // the admin preflight, then 6 attempts for the new key
    expect(min.get(ROUTES.callerIdentity)).toBe(1 + 6)
    // intent, the lease naming the new key, published
    expect(min.get(ROUTES.tag)).toBe(3)
    expect(min.get(ROUTES.listKeys)).toBe(2)
    expect(min.get(ROUTES.untag)).toBe(1)
    expect(min.get(ROUTES.lastUsed)).toBe(1)
    // a probe and 5 status listings of each repository's runs
    expect(min.get(ROUTES.runs)).toBe(300)
    // token, AssumeRole, GetUser, 2 ListAccessKeys, 3 TagUser, create, last used, deactivate,
    // delete, untag
    expect([...min.values()].reduce((a, b) => a + b)).toBe(150 + 7 + 13 + 300)
  })

  it('counts an organization secret’s public key, PUTs and selected repositories', () => {
    const min = minimumRequests(organization(0), 50)
    expect(min.get(ROUTES.orgPublicKey)).toBe(1)
    expect(min.get(ROUTES.orgPut)).toBe(2)
    // the secrets reach their repositories already: IDs from one selection listing per secret
    expect(min.get(ROUTES.selection)).toBe(2)
    expect(min.get(ROUTES.orgSecret)).toBe(2)
    expect(min.has(ROUTES.repository)).toBe(false)
    expect(min.get(ROUTES.runs)).toBe(300)
    expect(min.has(ROUTES.put)).toBe(false)
  })

  it('counts every user of a manifest, the credentials once', () => {
    const min = minimumRequests(fleet(5000), 50)
    expect(min.get(ROUTES.token)).toBe(1)
    expect(min.get(ROUTES.assume)).toBe(1)
    expect(min.get(ROUTES.callerIdentity)).toBe(1 + 20 * 6)
    expect(min.get(ROUTES.tag)).toBe(60)
    expect(min.get(ROUTES.create)).toBe(20)
    expect(min.get(ROUTES.publicKey)).toBe(50)
    expect(min.get(ROUTES.put)).toBe(100)
  })

  it('lists every route above or below the minimum with its statuses', () => {
    const min = minimumRequests(oneRepo(0), 50)
    const logged = [...min.entries()].flatMap(([route, n]) =>
      Array.from({ length: n }, () => ({ route, status: 200 }))
    )
    expect(diffRequests(logged, min)).toEqual([])
    const secret = 'github GET /repos/{owner}/{repo}/actions/secrets/{secret_name}'
    const more = [
      ...logged.filter((e) => e.route !== ROUTES.getUser),
      { route: ROUTES.put, status: 403 },
      { route: secret, status: 200 }
    ]
    expect(diffRequests(more, min)).toEqual([
      { route: secret, extra: 1, statuses: '200×1' },
      { route: ROUTES.put, extra: 1, statuses: '200×2 403×1' },
      { route: ROUTES.getUser, extra: -1, statuses: '' }
    ])
  })
})

describe('write pipe', () => {
  it('measures gaps between PUTs against latency plus pacing', () => {
    const g = writeGaps([0, 1050, 2100, 5000, 6050], 1050)
    expect(g.medianMs).toBe(1050)
    expect(g.long).toBe(1)
    expect(g.longMs).toBe(2900 - 1050)
    expect(g.overMs).toBe(1850)
  })
})

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeNaN()
  })

  it('picks the run with the median wall time', () => {
    const runs = [{ wallMs: 9 }, { wallMs: 1 }, { wallMs: 5 }, { wallMs: 7 }]
    expect(medianRun(runs).wallMs).toBe(5)
  })
})

describe('the chain, request by request', () => {
  it("counts a gap from the service's recorded answer, not from its arrival plus the latency", async () => {
    const { chain } = await import('../scripts/bench/report.js')
    const log = [
      { route: 'aws iam:TagUser', status: 200, at: 100, answered: 175 },
      { route: 'aws iam:CreateAccessKey', status: 200, at: 180, answered: 230 },
      { route: 'aws iam:UpdateAccessKey', status: 200, at: 250, answered: 300 }
    ]
    const table = chain({ runs: [{ wallMs: 305, log }] } as never, 50)
    const rows = table.split('\n').slice(2)
    // TagUser: IAM took 25 ms beyond the latency; CreateAccessKey left 5 ms after its answer.
    expect(rows[0]).toBe('| 100 ms | `aws iam:TagUser` | 200 | 25 ms | 100 ms (from spawn) |')
    expect(rows[1]).toBe('| 180 ms | `aws iam:CreateAccessKey` | 200 | 0 ms | 5 ms |')
    // 20 ms of client work on the chain is over the 10 ms the issue allows: marked.
    expect(rows[2]).toBe('| 250 ms | `aws iam:UpdateAccessKey` | 200 | 0 ms | 20 ms **> 10 ms** |')
    expect(rows[3]).toBe('| 305 ms | exit | | | 5 ms |')
    expect(rows.at(-1)).toBe(
      'On the chain (3 requests, start-up aside), gaps over 10 ms that are no round trip: `aws iam:UpdateAccessKey` 20 ms.'
    )
  })

  it('tells a request the run waited for from one that went beside it', async () => {
    const { chain } = await import('../scripts/bench/report.js')
    // A's answer lets B and C go; C is slow, and D waits for it: B went beside the chain.
    const log = (d: number) => [
      { route: 'oidc GET /idtoken', status: 200, at: 0, answered: 50 },
      { route: 'aws sts:AssumeRoleWithWebIdentity', status: 200, at: 55, answered: 200 },
      {
        route: 'github GET /repos/{owner}/{repo}/actions/runs',
        status: 200,
        at: 70,
        answered: 120
      },
      { route: 'aws iam:CreateAccessKey', status: 200, at: d, answered: d + 50 }
    ]
    const rows = (d: number): string[] =>
      chain({ runs: [{ wallMs: d + 55, log: log(d) }] } as never, 50)
        .split('\n')
        .slice(2)
    expect(rows(205)[2]).toBe(
      '| 70 ms | `github GET /repos/{owner}/{repo}/actions/runs` | 200 | 0 ms | 20 ms (beside the chain) |'
    )
    expect(rows(205).at(-1)).toBe(
      'On the chain (3 requests, start-up aside), gaps over 10 ms that are no round trip: none.'
    )
    // 15 ms before CreateAccessKey is on the chain: marked, and named under the table.
    expect(rows(215)[3]).toBe(
      '| 215 ms | `aws iam:CreateAccessKey` | 200 | 0 ms | 15 ms **> 10 ms** |'
    )
    expect(rows(215).at(-1)).toContain('`aws iam:CreateAccessKey` 15 ms.')
  })
})

describe('the side-by-side table', () => {
  const runOf = (wallMs: number, routes: string[], rotated = true): never =>
    ({
      wallMs,
      code: 0,
      rotated,
      coldStartMs: 100,
      bound: lowerBound(oneRepo(0), 50),
      log: routes.map((route, i) => ({ route, status: 200, at: 100 + i }))
    }) as never
  const ours = [ROUTES.token, ROUTES.assume, ROUTES.getUser, ROUTES.put, ROUTES.put, ROUTES.delete]
  const peer = [
    ROUTES.listKeys,
    ROUTES.create,
    ROUTES.publicKey,
    ROUTES.put,
    ROUTES.put,
    ROUTES.delete
  ]

  it('quotes the peer when it was not run, as before --peer existed', async () => {
    const { sideBySide } = await import('../scripts/bench/report.js')
    const rows = sideBySide({ scenario: oneRepo(0), runs: [runOf(800, ours)] }, 50).split('\n')
    expect(rows[2]).toBe('| | wall | requests AWS / GitHub | start-up to first request |')
    expect(rows.at(-1)).toMatch(
      /quoted from issue 12 \(2026-11-25\), not re-run \| 770 ms \| 3 \/ 3/
    )
  })

  it('with --peer, has a row for each contender, the bounds of both chains and who rotated', async () => {
    const { sideBySide } = await import('../scripts/bench/report.js')
    const table = sideBySide({ scenario: oneRepo(0), runs: [runOf(800, ours)] }, 50, {
      environment: [runOf(700, ours.slice(2))],
      peer: [runOf(480, peer), runOf(470, peer, false)]
    })
    const rows = table.split('\n')
    expect(rows[4]).toMatch(
      /^\| rotate-iam-key, OIDC role .* \| 1 \| 800 ms \| 3 \/ 2 \| 100 ms \| 1 \/ 1 ✓ \|$/
    )
    expect(rows[5]).toMatch(/credentials from the environment .* \| 1 \| 700 ms \| 2 \/ 2 \|/)
    // Two peer runs: the median of the walls, and one run that left the old key in place.
    expect(rows[6]).toMatch(/run here .* \| 2 \| 475 ms \| 3 \/ 3 \| 100 ms \| 1 \/ 2 ✗ \|$/)
    expect(table).toContain('lower bound of the chain with the role (11 round trips')
    expect(table).toContain(
      '| lower bound of the chain with credentials from the environment (9 round trips) | | 450 ms | 13 / 9 |'
    )
    expect(rows.at(-1)).toMatch(/quoted from issue 12 .*for reference/)
  })
})

describe("the peer's preload", () => {
  it('sends its HTTPS requests to the endpoint variables, keeping the signed Host header', async () => {
    const { createServer } = await import('node:http')
    const { spawn } = await import('node:child_process')
    const { PEER_REDIRECT } = await import('../scripts/bench/run.js')
    const seen: { host?: string; url?: string; version?: string | string[] }[] = []
    const server = createServer((req, res) => {
      seen.push({
        host: req.headers.host,
        url: req.url,
        version: req.headers['x-github-api-version']
      })
      res.end('ok')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    // As the AWS SDK sends (an options object, its own keep-alive https Agent, a Host header it
    // signed), then as node-fetch sends for Octokit (a URL's parts, no Host header, Node's agent).
    const client = `
      const https = require('node:https')
      const send = (options) => new Promise((resolve, reject) => {
        const req = https.request(options, (res) => { res.resume(); res.on('end', resolve) })
        req.on('error', reject)
        req.end()
      })
      ;(async () => {
        await send({ protocol: 'https:', hostname: 'iam.amazonaws.com', path: '/', method: 'POST',
          headers: { host: 'iam.amazonaws.com' }, agent: new https.Agent({ keepAlive: true }) })
        await send(new URL('https://api.github.com/repos/acme/app/actions/secrets/public-key'))
        process.exit(0)
      })()`
    const child = spawn(process.execPath, ['--require', PEER_REDIRECT, '-e', client], {
      env: {
        ...process.env,
        AWS_ENDPOINT_URL_IAM: `http://127.0.0.1:${port}`,
        GITHUB_API_URL: `http://127.0.0.1:${port}/api/v3`
      },
      stdio: 'inherit'
    })
    const code = await new Promise((resolve) => child.on('close', resolve))
    await new Promise((resolve) => server.close(resolve))
    expect(code).toBe(0)
    expect(seen).toEqual([
      { host: 'iam.amazonaws.com', url: '/', version: undefined },
      {
        host: `127.0.0.1:${port}`,
        url: '/api/v3/repos/acme/app/actions/secrets/public-key',
        // nothing added: GitHub serves a request without the header as 2022-11-28
        version: undefined
      }
    ])
  })
})
