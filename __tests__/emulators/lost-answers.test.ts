/**
 * Lost answers: the service acts, then the answer never reaches the client (a 5xx from a proxy,
 * a reset connection, a timeout). Driven by the real AWS SDK and Octokit, so the failures look
 * as they would against AWS and GitHub.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { CreateAccessKeyCommand, IAMClient } from '@aws-sdk/client-iam'
import { Octokit } from './octokit.js'
import sodium from 'libsodium-wrappers'
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/index.js'
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/index.js'

const CREATE = 'iam:CreateAccessKey'
/** A dropped connection, as Node reports it (the SDK wraps it and keeps the words). */
const RESET = /ECONNRESET|socket hang up/

/** What a failed call rejected with: AWS code or Node error code, HTTP status when there was one. */
async function rejection(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    const e = error as Error & {
      status?: number
      $metadata?: { httpStatusCode?: number }
      Error?: { Code?: string }
    }
    return {
      name: e.Error?.Code ?? e.name,
      message: e.message,
      status: e.$metadata?.httpStatusCode ?? e.status
    }
  }
  throw new Error('expected the call to fail')
}

describe('AWS: IAM acts, the answer is lost', () => {
  let aws: AwsEmulator
  let iam: IAMClient

  beforeEach(async () => {
    aws = await startAwsEmulator()
    const admin = aws.createAdminUser('admin')
    aws.createUser('deploy')
    // one attempt: the SDK would otherwise retry a 500 or a reset and hide the lost answer
    iam = new IAMClient({
      endpoint: aws.url,
      region: 'us-east-1',
      credentials: admin,
      maxAttempts: 1
    })
  })
  afterEach(async () => {
    await aws.close()
  })

  const create = () => iam.send(new CreateAccessKeyCommand({ UserName: 'deploy' }))

  test('afterActing + 500: the call fails, yet the key exists', async () => {
    aws.inject({ route: CREATE, afterActing: true, status: 500 })
    expect(await rejection(create())).toMatchObject({ name: 'InternalFailure', status: 500 })
    const keys = aws.keys('deploy')
    expect(keys).toHaveLength(1)
    expect(aws.createdKeyIds()).toEqual([keys[0]?.accessKeyId])
    expect(aws.log.at(-1)).toMatchObject({
      route: CREATE,
      injected: true,
      status: 500,
      actedStatus: 200
    })
  })

  test('afterActing + reset: the connection drops, yet the key exists', async () => {
    aws.inject({ route: CREATE, afterActing: true, reset: true })
    const lost = await rejection(create())
    expect(lost.status).toBeUndefined()
    expect(lost.message).toMatch(RESET)
    expect(aws.keys('deploy')).toHaveLength(1)
    expect(aws.log.at(-1)).toMatchObject({ injected: true, status: -1, actedStatus: 200 })
  })

  test('afterActing + hang: no answer ever, yet the key exists', async () => {
    aws.inject({ route: CREATE, afterActing: true, hang: true })
    const hung = iam.send(new CreateAccessKeyCommand({ UserName: 'deploy' }), {
      abortSignal: AbortSignal.timeout(300)
    })
    await rejection(hung)
    expect(aws.keys('deploy')).toHaveLength(1)
    expect(aws.log.at(-1)).toMatchObject({ injected: true, status: -1, actedStatus: 200 })
  })

  test('afterActing keeps a refusal a refusal: the third key is still not created', async () => {
    aws.seedAccessKey('deploy')
    aws.seedAccessKey('deploy')
    aws.inject({ route: CREATE, afterActing: true, status: 502 })
    expect(await rejection(create())).toMatchObject({ status: 502 })
    expect(aws.keys('deploy')).toHaveLength(2)
    expect(aws.log.at(-1)).toMatchObject({ status: 502, actedStatus: 409 })
  })

  test('reset without afterActing: nothing happens, the connection drops', async () => {
    aws.inject({ route: CREATE, reset: true })
    expect((await rejection(create())).message).toMatch(RESET)
    expect(aws.keys('deploy')).toHaveLength(0)
    const entry = aws.log.at(-1)
    expect(entry).toMatchObject({ injected: true, status: -1 })
    expect(entry?.actedStatus).toBeUndefined()
    // the fault is spent: the next call goes through
    expect((await create()).AccessKey?.UserName).toBe('deploy')
  })

  test('effect fires after the state changed when afterActing', async () => {
    let seen = -1
    aws.inject({
      route: CREATE,
      afterActing: true,
      status: 500,
      effect: () => (seen = aws.keys('deploy').length)
    })
    await rejection(create())
    expect(seen).toBe(1)
  })
})

describe('GitHub: the secret is stored, the answer is lost', () => {
  const TOKEN = 'github_pat_lost_answers_0123456789'
  const ROUTE = 'PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}'
  let gh: GitHubEmulator

  beforeEach(async () => {
    await sodium.ready
    gh = await startGitHubEmulator()
    gh.addRepository('acme/app')
    gh.addToken(TOKEN, { repositories: 'all', secrets: 'write' })
  })
  afterEach(async () => {
    await gh.close()
  })

  async function put(name: string, value: string) {
    const octokit = new Octokit({ baseUrl: gh.url, auth: TOKEN })
    const params = { owner: 'acme', repo: 'app' }
    const { data } = await octokit.request(
      'GET /repos/{owner}/{repo}/actions/secrets/public-key',
      params
    )
    const sealed = sodium.crypto_box_seal(
      sodium.from_string(value),
      sodium.from_base64(data.key, sodium.base64_variants.ORIGINAL)
    )
    return octokit.request(ROUTE, {
      ...params,
      secret_name: name,
      key_id: data.key_id,
      encrypted_value: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL)
    })
  }

  test('afterActing + 502: the PUT fails, yet the secret is stored', async () => {
    gh.inject({ route: ROUTE, afterActing: true, status: 502 })
    const lost = await rejection(put('AWS_SECRET_ACCESS_KEY', 'new-secret'))
    expect(lost.status).toBe(502)
    expect(gh.repositorySecrets('acme/app')).toEqual({ AWS_SECRET_ACCESS_KEY: 'new-secret' })
    expect(gh.log.at(-1)).toMatchObject({
      route: ROUTE,
      injected: true,
      status: 502,
      actedStatus: 201
    })
  })

  test('afterActing + reset: the connection drops, yet the secret is stored', async () => {
    gh.inject({ route: ROUTE, afterActing: true, reset: true })
    const lost = await rejection(put('AWS_ACCESS_KEY_ID', 'AKIA0000000000000000'))
    expect(lost.status).toBe(500) // Octokit's status for a request that got no response
    expect(gh.repositorySecrets('acme/app').AWS_ACCESS_KEY_ID).toBe('AKIA0000000000000000')
    expect(gh.log.at(-1)).toMatchObject({ status: -1, actedStatus: 201 })
  })

  /** The secret's metadata through GitHub's GET, as a client checking its own write sees it. */
  async function metadata(name: string) {
    const octokit = new Octokit({ baseUrl: gh.url, auth: TOKEN })
    const { data } = await octokit.request(
      'GET /repos/{owner}/{repo}/actions/secrets/{secret_name}',
      { owner: 'acme', repo: 'app', secret_name: name }
    )
    return { created: Date.parse(data.created_at), updated: Date.parse(data.updated_at) }
  }

  /** GitHub's timestamps have whole seconds: the instant `ms` as GitHub would render it. */
  const toSecond = (ms: number): number => Math.floor(ms / 1000) * 1000

  test('afterActing + 502, count 5: every retry acts and loses its answer', async () => {
    gh.inject({ route: ROUTE, afterActing: true, status: 502, count: 5 })
    let previous: { created: number; updated: number } | undefined
    for (let attempt = 1; attempt <= 5; attempt++) {
      // let two seconds pass between attempts, so each write's updated_at is told apart
      gh.backdate(2000)
      const sent = Date.now()
      expect((await rejection(put('AWS_SECRET_ACCESS_KEY', 'same-value'))).status).toBe(502)
      expect(gh.repositorySecrets('acme/app')).toEqual({ AWS_SECRET_ACCESS_KEY: 'same-value' })
      const seen = await metadata('AWS_SECRET_ACCESS_KEY')
      expect(seen.updated).toBeGreaterThanOrEqual(toSecond(sent))
      if (previous) {
        expect(seen.updated).toBeGreaterThan(previous.updated - 2000)
        expect(seen.created).toBe(previous.created - 2000) // created once, only backdated
      }
      previous = seen
    }
    const puts = gh.log.filter((e) => e.route === ROUTE)
    expect(puts.map((e) => [e.status, e.actedStatus, e.injected])).toEqual([
      [502, 201, true],
      [502, 204, true],
      [502, 204, true],
      [502, 204, true],
      [502, 204, true]
    ])
    // the fault is spent: the sixth PUT is answered
    expect((await put('AWS_SECRET_ACCESS_KEY', 'same-value')).status).toBe(204)
  })

  test('updated_at moves on every PUT, even of the same value; created_at stays', async () => {
    expect((await put('X', 'unchanged')).status).toBe(201)
    const first = await metadata('X')
    gh.backdate(5000)
    const sent = Date.now()
    expect((await put('X', 'unchanged')).status).toBe(204)
    const second = await metadata('X')
    expect(second.created).toBe(first.created - 5000)
    expect(second.updated).toBeGreaterThanOrEqual(toSecond(sent))
    expect(second.updated).toBeGreaterThan(first.updated - 5000)
  })

  test('reset before acting stores nothing', async () => {
    gh.inject({ route: ROUTE, reset: true })
    await rejection(put('AWS_ACCESS_KEY_ID', 'AKIA0000000000000000'))
    expect(gh.repositorySecrets('acme/app')).toEqual({})
  })
})
