/**
 * What a person reads when STS will not let the job assume the admin role: the role, the claims
 * the job's token presented (never the token), GitHub's two subject forms, and a fix that fits
 * STS's answer. Only an answer that may pass on its own is told to run again later.
 */
import { describe, expect, it } from '@jest/globals'
import { presented } from '../src/aws/oidc-subject.js'
import { CredentialsError } from '../src/aws/credentials.js'
import { credentialsFailure, roleRefused } from '../src/report/credentials.js'
import { explainAws } from '../src/report/messages.js'

const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url')
const jwt = (claims: object): string => `${b64({ alg: 'RS256' })}.${b64(claims)}.c2lnbmF0dXJl`
const ROLE = 'arn:aws:iam::123456789012:role/rotate-iam-key'
const claims = {
  repository: 'acme/ops',
  repository_owner_id: '1000',
  repository_id: '2000',
  aud: 'sts.amazonaws.com'
}

describe('presented', () => {
  it('reads a name-based subject and gives both forms', () => {
    const token = jwt({ ...claims, sub: 'repo:acme/ops:environment:rotate-iam-key' })
    expect(presented(token)).toEqual({
      sub: 'repo:acme/ops:environment:rotate-iam-key',
      aud: ['sts.amazonaws.com'],
      forms: {
        byName: 'repo:acme/ops:environment:rotate-iam-key',
        immutable: 'repo:acme@1000/ops@2000:environment:rotate-iam-key'
      }
    })
  })

  it('reads an immutable subject and gives both forms', () => {
    const token = jwt({ ...claims, sub: 'repo:acme@1000/ops@2000:ref:refs/heads/main' })
    expect(presented(token)?.forms).toEqual({
      byName: 'repo:acme/ops:ref:refs/heads/main',
      immutable: 'repo:acme@1000/ops@2000:ref:refs/heads/main'
    })
  })

  it('gives no forms for a custom subject template, and reads an aud list', () => {
    const token = jwt({
      ...claims,
      aud: ['a', 'b'],
      sub: 'repository_owner_id:1000:repository_id:2000:environment:prod'
    })
    expect(presented(token)).toEqual({
      sub: 'repository_owner_id:1000:repository_id:2000:environment:prod',
      aud: ['a', 'b']
    })
  })

  it('is undefined for what is not a JWT', () => {
    expect(presented('not a token')).toBeUndefined()
  })
})

describe('roleRefused', () => {
  const token = jwt({ ...claims, sub: 'repo:acme@1000/ops@2000:environment:rotate-iam-key' })
  const refusal = (name: string, message: string, status?: number) =>
    roleRefused({
      role: ROLE,
      audience: 'sts.amazonaws.com',
      durationSeconds: 7200,
      error: { name, message, status },
      presented: presented(token)
    })

  it('a trust policy that does not admit the subject: the sub, the aud, both forms, no retry', () => {
    const text = refusal(
      'AccessDenied',
      'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      403
    )
    expect(text).toContain(ROLE)
    expect(text).toContain("sub 'repo:acme@1000/ops@2000:environment:rotate-iam-key'")
    expect(text).toContain("aud 'sts.amazonaws.com'")
    expect(text).toContain("'repo:acme/ops:environment:rotate-iam-key'")
    expect(text).toContain('token.actions.githubusercontent.com:sub')
    expect(text).not.toMatch(/later|in a few minutes|retried|gave up/)
    expect(text).not.toContain(token)
  })

  it.each([
    ['InvalidIdentityToken', 'No OpenIDConnect provider found in your account for x', 'step 1'],
    ['InvalidIdentityToken', 'Incorrect token audience', "'audience' input"],
    [
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      '--max-session-duration 7200'
    ]
  ])('%s (%s): names the fix', (name, message, fix) => {
    const text = refusal(name, message, 400)
    expect(text).toContain(fix)
    expect(text).not.toMatch(/in a few minutes/)
  })

  it('no answer: run again later', () => {
    expect(refusal('TimeoutError', 'socket hang up')).toContain('run the workflow again in a few')
  })

  it('a token that could not be read is said so, with the generic forms', () => {
    const text = roleRefused({
      role: ROLE,
      audience: 'sts.amazonaws.com',
      durationSeconds: 3600,
      error: { name: 'AccessDenied', message: 'no', status: 403 }
    })
    expect(text).toContain('could not be read')
    expect(text).toContain('repo:OWNER@OWNER_ID/REPO@REPO_ID:environment:NAME')
  })
})

describe('explainAws with a credentials failure', () => {
  it('reports the credentials failure as it is, not as a failed call to retry', () => {
    const cause = new CredentialsError('Could not assume role X: the fix')
    // As the SDK raises it: the provider's error, with the retry middleware's metadata added.
    Object.assign(cause, { $metadata: { attempts: 3 } })
    const wrapped = new Error('outer', { cause })
    expect(credentialsFailure(wrapped)).toBe(cause)
    expect(explainAws(wrapped, 'reading IAM user deploy and its keys')).toBe(
      'Could not assume role X: the fix'
    )
  })

  it("AccessDenied while reading a user names the account, the path and 'iam-user-name'", () => {
    const e = Object.assign(
      new Error(
        'User: arn:aws-us-gov:sts::210987654321:assumed-role/rotate/s is not authorized to perform: iam:GetUser on resource: user deploy-tpyo'
      ),
      { name: 'AccessDenied' }
    )
    const text = explainAws(e, 'reading IAM user deploy-tpyo and its keys', true)
    expect(text).toContain('account 210987654321')
    expect(text).toContain("'arn:aws-us-gov:iam::210987654321:user/deploy/*'")
    expect(text).toContain("'iam-user-name'")
    expect(text).toContain('not NoSuchEntity')
  })
})

describe('an answer STS sent without credentials', () => {
  it('is said as before: no credentials, STS did not answer in time', () => {
    const text = roleRefused({
      role: ROLE,
      audience: 'sts.amazonaws.com',
      durationSeconds: 3600,
      error: { name: 'Error', message: 'sts-credentials', missing: { kind: 'sts-credentials' } }
    })
    expect(text.split('\n')[0]).toBe(
      `Could not assume role ${ROLE} with GitHub's OIDC token (Error: STS returned no credentials).`
    )
    expect(text).toContain('STS or GitHub did not answer in time')
  })
})
