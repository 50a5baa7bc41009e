/**
 * An AWS call of the entry or the inventory failed: what it was doing, as a code, and the SDK's
 * error as the cause. report/aws-failed.ts says what it was doing and why it failed, with the fix.
 */

/** What the failed call was doing. */
export type Doing =
  /** The preflight: STS GetCallerIdentity with the admin credentials. */
  | 'admin-check'
  /** The inventory's reads: ListUsers, ListAccessKeys, GetAccessKeyLastUsed, ListUserTags. */
  | 'inventory-read'

export class AwsFailed extends Error {
  override name = 'AwsFailed'
  constructor(
    readonly doing: Doing,
    cause: unknown
  ) {
    super(doing, { cause })
  }
}
