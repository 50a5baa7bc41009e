/**
 * IAM's access keys as plain data: what the IAM adapter (keys.ts) reads and the rotation plans
 * from. A leaf with no SDK, so the rotation can name these shapes without depending on IAM's
 * client; the rotation imports them from here as it imports a target from github/targets.ts.
 */

/** An access key as IAM lists it. */
export interface AccessKey {
  id: string
  status: 'Active' | 'Inactive'
  created: Date
}

/** A key just created: the only moment its secret can be read. */
export interface NewKey {
  id: string
  secret: string
  /** When IAM created it, as IAM answered: the day the key falls due counts from it. */
  created?: Date
}

/** When and where a key was last used; `undefined` date when never. */
export interface LastUse {
  date?: Date
  service?: string
}
