/**
 * The emulated runner's identity: the run, workflow, ref and commit variables a real runner sets,
 * and the run it registers in the GitHub emulator while the step runs.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/index.js'
import {
  runAction,
  runnerEnv,
  trackRun,
  WORKFLOW_REPOSITORY,
  type Endpoints
} from '../../emulators/runner.js'

let gh: GitHubEmulator
let world: Endpoints

beforeAll(async () => {
  gh = await startGitHubEmulator()
  gh.addRepository(WORKFLOW_REPOSITORY)
  world = {
    aws: { url: 'http://127.0.0.1:9' },
    github: gh,
    oidc: { requestUrl: '', requestToken: '' }
  }
})
afterAll(async () => {
  await gh.close()
})

describe('runnerEnv', () => {
  test('sets the run identity a runner sets', () => {
    const env = runnerEnv(world, '/tmp/x')
    expect(env).toMatchObject({
      GITHUB_REPOSITORY: 'acme/ops',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_WORKFLOW: 'Rotate IAM key',
      GITHUB_WORKFLOW_REF: 'acme/ops/.github/workflows/rotate.yml@refs/heads/main',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_JOB: 'rotate',
      GITHUB_EVENT_NAME: 'schedule'
    })
    expect(env.GITHUB_RUN_ID).toMatch(/^[1-9]\d{9}$/)
    expect(env.GITHUB_RUN_NUMBER).toMatch(/^[1-9]\d*$/)
    expect(env.GITHUB_SHA).toMatch(/^[0-9a-f]{40}$/)
  })

  test('every call is a new run', () => {
    const ids = Array.from({ length: 5 }, () => runnerEnv(world, '/tmp/x').GITHUB_RUN_ID)
    expect(new Set(ids).size).toBe(5)
  })
})

describe('trackRun', () => {
  test('registers the run in_progress, then completes it by exit', () => {
    const cases = [
      [0, null, 'success'],
      [1, null, 'failure'],
      [null, 'SIGTERM', 'cancelled']
    ] as const
    for (const [code, signal, conclusion] of cases) {
      const env = runnerEnv(world, '/tmp/x')
      const id = Number(env.GITHUB_RUN_ID)
      const finish = trackRun(gh, env)
      expect(gh.workflowRun('acme/ops', id)).toMatchObject({
        status: 'in_progress',
        conclusion: null,
        runAttempt: 1,
        path: '.github/workflows/rotate.yml',
        name: 'Rotate IAM key',
        headBranch: 'main',
        headSha: env.GITHUB_SHA,
        event: 'schedule'
      })
      finish(code, signal)
      expect(gh.workflowRun('acme/ops', id)).toMatchObject({ status: 'completed', conclusion })
    }
  })

  test('overrides win, and a verdict set by the test is kept', () => {
    const env = {
      ...runnerEnv(world, '/tmp/x'),
      GITHUB_RUN_ID: '77',
      GITHUB_RUN_ATTEMPT: '3',
      GITHUB_WORKFLOW_REF: 'acme/ops/.github/workflows/keys.yml@refs/tags/v2'
    }
    const finish = trackRun(gh, env)
    expect(gh.workflowRun('acme/ops', 77)).toMatchObject({
      runAttempt: 3,
      path: '.github/workflows/keys.yml'
    })
    gh.setWorkflowRunStatus('acme/ops', 77, 'completed', 'cancelled')
    finish(0, null)
    expect(gh.workflowRun('acme/ops', 77)?.conclusion).toBe('cancelled')
  })

  test('a no-op without the helpers, the repository or a numeric run ID', () => {
    const env = runnerEnv(world, '/tmp/x')
    expect(() => trackRun({ url: gh.url }, env)(0, null)).not.toThrow()
    trackRun(gh, { ...env, GITHUB_REPOSITORY: 'acme/elsewhere' })(0, null)
    trackRun(gh, { ...env, GITHUB_RUN_ID: 'abc' })(0, null)
    expect(gh.workflowRun('acme/ops', Number(env.GITHUB_RUN_ID))).toBeUndefined()
  })
})

test('runAction registers its run while the process lives', async () => {
  const id = 1234567890
  let during: string | undefined
  // no inputs: whatever the bundle does with that, the run must end with its exit
  const result = await runAction(
    world,
    {},
    { GITHUB_RUN_ID: String(id) },
    { onSpawn: () => (during = gh.workflowRun('acme/ops', id)?.status) }
  )
  expect(during).toBe('in_progress')
  expect(gh.workflowRun('acme/ops', id)).toMatchObject({
    status: 'completed',
    conclusion: result.code === 0 ? 'success' : 'failure'
  })
})
