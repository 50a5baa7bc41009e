/**
 * The words of a failure to get the admin credentials. The AWS adapter throws what happened
 * (aws/credentials.ts: `NoOidcToken`, with the token service's error; `RoleRefused`, the role,
 * STS's answer and the claims the token presented); this says why and what to change, for each
 * of STS's answers.
 */
import { CredentialsError, NoOidcToken, RoleRefused } from '../aws/credentials.js'
import type { Missing } from '../aws/empty-answer.js'
import type { Presented } from '../aws/oidc-subject.js'
import { TokenTimeout } from '../aws/oidc-token.js'
import { emptyAnswer } from './aws-empty.js'

/** The {@link CredentialsError} behind `error`, when the SDK raised it for its credentials. */
export function credentialsFailure(error: unknown): CredentialsError | undefined {
  for (let e = error, depth = 0; e && depth < 8; depth++) {
    if (e instanceof CredentialsError) return e
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

/** What STS said when it refused the role, and what the job's token carried. */
export interface RoleRefusal {
  role: string
  /** The `audience` input: the `aud` the job asked GitHub for. */
  audience: string
  durationSeconds: number
  /** STS's error; `missing` when STS answered without the credentials (its message a label). */
  error: { name: string; message: string; status?: number; missing?: Missing }
  /** The token's `sub` and `aud`; undefined when it could not be read. */
  presented?: Presented
}

/** The two shapes of GitHub's default subject, for a token whose own shape is not known. */
const GENERIC_FORMS = {
  byName: 'repo:OWNER/REPO:environment:NAME',
  immutable: 'repo:OWNER@OWNER_ID/REPO@REPO_ID:environment:NAME'
}

/**
 * Why STS would not let the job assume the admin role, with the claims the job presented (never
 * the token) and the fix for each of STS's answers. Only an answer that may pass on its own (no
 * answer, a 5xx, a throttle) is told to run again.
 */
export function roleRefused(r: RoleRefusal): string {
  const { name, status } = r.error
  const message = r.error.missing ? emptyAnswer(r.error.missing) : r.error.message
  const lines = [`Could not assume role ${r.role} with GitHub's OIDC token (${name}: ${message}).`]
  const p = r.presented
  lines.push(
    p
      ? `This job's OIDC token presented sub '${p.sub ?? '(none)'}' and aud '${p.aud.join("', '") || '(none)'}'.`
      : "This job's OIDC token could not be read to show its claims."
  )
  const transient =
    status === undefined ||
    status >= 500 ||
    /Throttl|IDPCommunicationError|TimeoutError|RequestTimeout/i.test(name)
  if (/InvalidIdentityToken/.test(name) && /No OpenIDConnect provider/i.test(message)) {
    lines.push(
      [
        "The role's account has no OIDC identity provider for GitHub's issuer. Create it once per account",
        `(URL https://token.actions.githubusercontent.com, client ID '${r.audience}'; docs/aws-setup.md, step 1),`,
        'then run the workflow again.'
      ].join(' ')
    )
  } else if (/InvalidIdentityToken/.test(name) && /audience/i.test(message)) {
    lines.push(
      [
        "The OIDC provider's client IDs and the role's 'token.actions.githubusercontent.com:aud' condition",
        `must name the aud above. Add '${r.audience}' to both, or set the 'audience' input to the one they name,`,
        'then run the workflow again.'
      ].join(' ')
    )
  } else if (/MaxSessionDuration/i.test(message)) {
    const raise = `aws iam update-role --role-name NAME --max-session-duration ${r.durationSeconds}`
    lines.push(
      [
        `'role-duration-seconds' is ${r.durationSeconds}, more than the role allows.`,
        `Lower it, or raise the role's maximum ('${raise}'; at most 43200), then run the workflow again.`
      ].join(' ')
    )
  } else if (/AccessDenied/.test(name)) {
    const forms = p?.forms ?? GENERIC_FORMS
    lines.push(
      [
        "The role's trust policy does not admit that sub and aud, or the role does not exist in that account.",
        "Its condition on 'token.actions.githubusercontent.com:sub' must name the sub exactly, and on ':aud' the aud.",
        `GitHub writes a subject in two forms: by name, '${forms.byName}', and with immutable IDs,`,
        `'${forms.immutable}', for repositories created, renamed or transferred since mid-2026`,
        'and those that opted in. List both under StringEquals so a rename changes nothing',
        '(docs/aws-setup.md, step 3), then run the workflow again.'
      ].join(' ')
    )
  } else if (transient) {
    lines.push('STS or GitHub did not answer in time: run the workflow again in a few minutes.')
  } else {
    lines.push(
      'Check the role and its trust policy against docs/aws-setup.md, then run the workflow again.'
    )
  }
  return lines.join('\n')
}

/** Why GitHub's OIDC token could not be had (the token service's error), and the fix. */
export function noOidcToken(cause: unknown): string {
  const why =
    cause instanceof TokenTimeout
      ? `no answer within ${cause.seconds} s`
      : (cause as Error | undefined)?.message
  return [
    `Could not get GitHub's OIDC token (${why}).`,
    "Give the job 'permissions: id-token: write',",
    "or leave 'role-to-assume' empty to use credentials from the environment."
  ].join(' ')
}

/** A failure to get the admin credentials, in words: from its facts, or as already worded. */
export function credentialsWords(e: CredentialsError): string {
  if (e instanceof RoleRefused) return roleRefused(e.refusal)
  if (e instanceof NoOidcToken) return noOidcToken(e.cause)
  return e.message
}

/**
 * `provider`, with its failures said in words: a `RoleRefused` or `NoOidcToken` becomes a
 * `CredentialsError` that names the fix, so whichever call first asks for the credentials fails
 * with what a person reads, whether or not it passes through `explainAws`.
 */
export function inWords<A extends unknown[], T>(
  provider: (...args: A) => Promise<T>
): (...args: A) => Promise<T> {
  return async (...args) => {
    try {
      return await provider(...args)
    } catch (error) {
      if (!(error instanceof RoleRefused || error instanceof NoOidcToken)) throw error
      throw new CredentialsError(credentialsWords(error), { cause: error.cause })
    }
  }
}
