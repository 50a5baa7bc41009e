import { describe, expect, it } from '@jest/globals'
import { runIdentity, type RunContext } from '../src/run-identity.js'

const REF = 'Acme/Ops/.github/workflows/rotate.yml@refs/heads/main'

describe('runIdentity', () => {
  it.each<[string, RunContext, NodeJS.ProcessEnv, ReturnType<typeof runIdentity>]>([
    [
      "the run from the toolkit's context, the workflow from its ref",
      { runId: 123, runAttempt: 2 },
      { GITHUB_WORKFLOW_REF: REF },
      { run: { id: '123', attempt: 2 }, workflow: 'acme/ops/rotate.yml' }
    ],
    [
      'an attempt the context could not read is the first',
      { runId: 123, runAttempt: NaN },
      {},
      { run: { id: '123', attempt: 1 } }
    ],
    ['no run outside Actions', { runId: NaN, runAttempt: NaN }, {}, {}]
  ])('%s', (_, context, env, expected) => {
    expect(runIdentity(env, context)).toEqual(expected)
  })
})
