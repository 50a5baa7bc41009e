/**
 * Problems of inputs together, in words: what is missing, and what cannot be set beside what.
 * Each names its inputs itself.
 */
import type { Problem } from '../inputs/problems.js'

type Together = Extract<
  Problem,
  {
    kind:
      | 'auth-both'
      | 'auth-missing'
      | 'issues-token-missing'
      | 'issues-without-repository'
      | 'rotation-only'
      | 'manifest-and-inputs'
      | 'user-missing'
      | 'no-target'
  }
>

export function togetherWords(p: Together): string {
  switch (p.kind) {
    case 'auth-both':
      return "set either 'github-token' or 'app-id' with 'app-private-key', not both"
    case 'auth-missing':
      return [
        "'github-token' or 'app-id' with 'app-private-key' is required:",
        'a fine-grained token or GitHub App that may write the target secrets',
        "(the workflow's GITHUB_TOKEN cannot write secrets)"
      ].join(' ')
    case 'issues-token-missing':
      return [
        "'issues-token' is required with 'failure-issues: true':",
        "pass the workflow's own token ('issues-token: ${{ github.token }}')",
        "and grant the job 'permissions: issues: write'"
      ].join(' ')
    case 'issues-without-repository':
      return [
        "'failure-issues' opens issues in the repository running the workflow,",
        'but GITHUB_REPOSITORY is not set: run the action in a GitHub Actions workflow,',
        "or set 'failure-issues' to false"
      ].join(' ')
    case 'rotation-only':
      return [
        "'mode' inventory reads every IAM user of the account and changes nothing,",
        'so it takes no user, target or GitHub credential:',
        `remove ${p.inputs.map((n) => `'${n}'`).join(', ')} from this step`,
        "(they belong to a step with mode 'rotate')"
      ].join(' ')
    case 'manifest-and-inputs':
      return [
        "'manifest' lists the users and their targets:",
        "leave 'iam-user-name' and the target inputs empty"
      ].join(' ')
    case 'user-missing':
      return [
        "'iam-user-name' is required: the IAM user whose key to rotate",
        "(or list users in a 'manifest' file)"
      ].join(' ')
    case 'no-target':
      return [
        "no target: list repositories as 'owner/repo' in 'repositories'",
        '(GITHUB_REPOSITORY, the default, is not set)'
      ].join(' ')
  }
}
