/** The refusals a person reads: each names the next step, the usual one first. */
import { describe, expect, it } from '@jest/globals'
import { EmptyAnswer } from '../src/aws/empty-answer.js'
import { AwsFailed } from '../src/aws/failed.js'
import { cancelling, issueDone, issuesNotFiled } from '../src/report/entry-lines.js'
import { errorWords } from '../src/report/error.js'
import { explainAws, otherOwner } from '../src/report/messages.js'

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

describe('the AWS adapter’s facts, in words', () => {
  it('an IAM answer without what was asked for', () => {
    const noArn = new EmptyAnswer({ kind: 'iam-user-arn', user: 'deploy' })
    expect(errorWords(noArn)).toBe('IAM returned no ARN for user deploy')
    expect(errorWords(new EmptyAnswer({ kind: 'iam-access-key' }))).toBe(
      'IAM returned no access key'
    )
    expect(explainAws(noArn, 'reading IAM user deploy and its keys', true)).toBe(
      'AWS failed while reading IAM user deploy and its keys (Error: IAM returned no ARN for user deploy). Run the workflow again later.'
    )
  })

  it('a failed preflight and failed inventory reads say what they were doing', () => {
    const denied = Object.assign(new Error('not authorized'), {
      name: 'AccessDenied',
      $metadata: {}
    })
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'Throttling',
      $metadata: { attempts: 3 }
    })
    expect(errorWords(new AwsFailed('admin-check', throttled))).toBe(
      'AWS failed while checking the admin credentials (STS GetCallerIdentity) (Throttling: Rate exceeded). The AWS SDK tried 3 times and gave up; run the workflow again later.'
    )
    expect(errorWords(new AwsFailed('inventory-read', denied))).toBe(
      "IAM denied the inventory's reads (not authorized). Nothing was changed. Allow the admin role the read-only statement 'InventoryReadAllUsers' of docs/policies/permission-policy.json (iam:ListUsers, iam:ListAccessKeys, iam:GetAccessKeyLastUsed and iam:ListUserTags on 'arn:aws:iam::ACCOUNT:user/*'), then run the workflow again."
    )
    expect(errorWords(new AwsFailed('inventory-read', throttled))).toBe(
      'AWS failed while reading the inventory (ListUsers, ListAccessKeys, GetAccessKeyLastUsed, ListUserTags) (Throttling: Rate exceeded). The AWS SDK tried 3 times and gave up; run the workflow again later.'
    )
  })
})

describe("the entry's own lines", () => {
  it("the runner's cancel, and failure issues that could not be filed", () => {
    expect(cancelling('SIGINT')).toBe(
      'Received SIGINT: finishing or undoing what is in flight, then stopping'
    )
    expect(issuesNotFiled(errorWords(new Error('boom')))).toBe(
      'Could not file the failure issues: boom'
    )
  })

  it('the failure issues a run opened, updated and closed, with their links', () => {
    const issue = { number: 7, url: 'https://github.com/acme/ops/issues/7' }
    expect(issueDone('opened', issue)).toBe(`Opened failure issue #7: ${issue.url}`)
    expect(issueDone('updated', issue)).toBe(`Updated failure issue #7: ${issue.url}`)
    expect(issueDone('closed', issue)).toBe(`Closed failure issue #7: ${issue.url}`)
  })
})
