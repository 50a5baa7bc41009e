/** What the run could not do to the failure issues, in words, with what the issues token lacks. */
import type { IssueProblem } from '../github/issues.js'
import { reasonWords } from './github-reason.js'

/** What a refusal means for the issues token, with the fix. */
function advice(status: number | undefined): string {
  if (status === 401) return " The 'issues-token' is not valid (expired or revoked)."
  if (status === 403 || status === 404)
    return [
      " Give the token 'Issues: Read and write' on this repository:",
      "with the workflow's token, pass 'issues-token: ${{ github.token }}'",
      "and grant 'permissions: issues: write' to the job."
    ].join(' ')
  if (status === 410)
    return [
      ' Issues are disabled in this repository:',
      'enable them (Settings → General → Features → Issues), or set failure-issues to false.'
    ].join(' ')
  return ''
}

export function issueProblemWords(p: IssueProblem): string {
  const why = reasonWords(p.reason)
  return p.kind === 'list'
    ? [
        `Could not list the open issues labelled '${p.label}' in ${p.repository} (${why}):`,
        `no issue was opened or closed.${advice(p.status)}`
      ].join(' ')
    : `Could not ${p.kind} the failure issue of IAM user ${p.user} in ${p.repository} (${why}).${advice(p.status)}`
}
