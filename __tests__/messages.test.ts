/** The refusals a person reads: each names the next step, the usual one first. */
import { describe, expect, it } from '@jest/globals'
import { otherOwner } from '../src/report/messages.js'

describe("a key another repository's workflow published", () => {
  const message = otherOwner('deploy', 'AKIAOLD', 'acme/ops/rotate.yml', 'acme/infra/keys.yml')

  it('names running the workflow that published the key first, and how to run it by hand', () => {
    expect(message).toContain(
      "To rotate deploy, run acme/ops/rotate.yml: by hand if it has a 'workflow_dispatch' trigger ('gh workflow run rotate.yml --repo acme/ops')."
    )
    expect(message.indexOf('run acme/ops/rotate.yml')).toBeLessThan(
      message.indexOf('rotate each IAM user from one workflow only')
    )
  })

  it('then the alternative: one workflow per IAM user', () => {
    expect(message).toMatch(
      /Or, to rotate deploy from here instead, rotate each IAM user from one workflow only: .*give each workflow its own IAM user\.$/
    )
  })

  it('gives no command for a workflow name a mark shortened', () => {
    const short = otherOwner(
      'deploy',
      'AKIAOLD',
      'acme/ops/very-long+1a2b3c4d',
      'acme/infra/keys.yml'
    )
    expect(short).toContain("by hand if it has a 'workflow_dispatch' trigger.")
    expect(short).not.toContain('gh workflow run')
  })
})
