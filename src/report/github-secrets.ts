/**
 * A target's secrets that could not be read or written, in words: what failed, for which target,
 * and what to change (src/github/secrets-errors.ts says which, as facts).
 */
import type { SecretsError } from '../github/secrets-errors.js'
import { describe, type OrganizationTarget, type Target } from '../github/targets.js'
import { stepWords } from './github-doing.js'
import { mintWords } from './github-mint.js'
import { permissionWords } from './github-permission.js'
import { reasonWords } from './github-reason.js'

const TOKEN_HINT =
  "The workflow's GITHUB_TOKEN cannot write secrets: use a fine-grained personal access token or a GitHub App."

/**
 * For a `ghs_` token given as 'github-token' with no App inputs: an installation token, which in
 * a workflow is most often its own GITHUB_TOKEN. That token reaches only the repository it runs in
 * and never holds a secrets permission, so no permission change on the token fixes it.
 */
const GITHUB_TOKEN_USED = [
  "'github-token' holds an installation token (ghs_…) and no 'app-id' is set:",
  "that is most often the workflow's own GITHUB_TOKEN (secrets.GITHUB_TOKEN or github.token),",
  'which reaches only the repository it runs in and can never write secrets.',
  "Pass a fine-grained personal access token in 'github-token' instead,",
  "or a GitHub App with 'app-id' and 'app-private-key' (docs/github-setup.md);",
  'a ghs_ token an App token action minted needs its App installed there with the permission above.'
].join(' ')

const HEADER = [
  'it holds a line break or another character HTTP headers refuse.',
  "Store the token behind 'github-token' again without spaces or line breaks",
  "(or, with an App, check 'app-id' and 'app-private-key'), then run again."
].join(' ')

export function secretsWords(e: SecretsError): string {
  const { fault, target } = e
  if (fault.kind === 'no-environment') return missingEnvironment(target)
  if (fault.kind === 'no-visibility')
    return noVisibility(target as OrganizationTarget, fault.secret)
  const doing = e.doing ? stepWords({ doing: e.doing, target }) : describe(target)
  const need = permissionWords(target)
  const hint = e.credential.installationToken ? GITHUB_TOKEN_USED : TOKEN_HINT
  switch (fault.kind) {
    case 'mint':
      return `${mintWords(fault.mint)} (while ${doing})`
    case 'header':
      return `The GitHub credential could not be sent while ${doing}: ${HEADER}`
    case 'failed':
      return [
        `GitHub failed while ${doing} (${reasonWords(fault.reason)}).`,
        'Retries did not help; run the workflow again later.'
      ].join(' ')
    case 'refused':
      switch (fault.status) {
        case 401:
          return [
            `GitHub refused the credentials while ${doing} (${reasonWords(fault.reason)}).`,
            `The token is expired, revoked or mistyped: create a new one with ${need}.`,
            hint
          ].join(' ')
        case 403:
          return [
            `GitHub denied ${doing} (${reasonWords(fault.reason)}).`,
            `Give the token or App ${need}.`,
            hint
          ].join(' ')
        case 404:
          return [
            `GitHub answered 404 while ${doing}: it does not exist or the token cannot see it.`,
            `Check the name, and give the token or App access to it with ${need}.`,
            hint
          ].join(' ')
      }
  }
}

/** Why an environment target cannot be written: it does not exist, and the action never creates one. */
function missingEnvironment(target: Target): string {
  const { owner, repo, environment } = target as Target & { kind: 'environment' }
  return [
    `Environment '${environment}' does not exist in ${owner}/${repo}:`,
    'GitHub answered 404 for its secrets public key, and the token sees the repository.',
    'The action writes into existing environments only, never creates one',
    '(an environment holds protection rules a person should choose).',
    'Create it (Settings → Environments → New environment,',
    `or 'gh api -X PUT repos/${owner}/${repo}/environments/${environment}'),`,
    "or correct the name in 'environments', then run again."
  ].join(' ')
}

/** Why a new organization secret is refused, and the setting that lets the run create it. */
function noVisibility(target: OrganizationTarget, name: string): string {
  return [
    `Secret ${name} does not exist yet in ${describe(target)}, and no visibility is set for it:`,
    `the action does not create an organization secret that every private repository of ${target.org} can read.`,
    "Set 'organization-secret-visibility'",
    "('selected' with 'organization-selected-repositories' gives the fewest repositories access;",
    "in a manifest, the user's 'organization-secret-visibility'), then run again."
  ].join(' ')
}
