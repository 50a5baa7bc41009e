/** Why the inventory's reads failed, with the fix. */
import { explainAws } from './messages.js'

/**
 * AccessDenied is said here, not by explainAws, whose words are about one user on the rotation's
 * path: the inventory reads every user, with its own statement.
 */
export function explainRead(e: unknown): string {
  const name = (e as Error | undefined)?.name
  if (name === 'AccessDenied' || name === 'AccessDeniedException') {
    return [
      `IAM denied the inventory's reads (${(e as Error).message}). Nothing was changed.`,
      "Allow the admin role the read-only statement 'InventoryReadAllUsers' of docs/policies/permission-policy.json",
      '(iam:ListUsers, iam:ListAccessKeys, iam:GetAccessKeyLastUsed and iam:ListUserTags',
      "on 'arn:aws:iam::ACCOUNT:user/*'), then run the workflow again."
    ].join(' ')
  }
  return explainAws(
    e,
    'reading the inventory (ListUsers, ListAccessKeys, GetAccessKeyLastUsed, ListUserTags)'
  )
}
