/**
 * GitHub's `updated_at` and IAM's `CreateDate` count whole seconds, the action's clock counts
 * milliseconds: comparisons with a moment the action recorded go by the second it fell in.
 */

/** The start of the second `d` falls in. */
export const secondOf = (d: Date | number): number =>
  Math.floor((typeof d === 'number' ? d : d.getTime()) / 1000) * 1000

/** `d`, as a service dates it, is at or after `since` (a moment the action recorded). */
export const atOrAfter = (d: Date | undefined, since: Date | number): boolean =>
  d !== undefined && d.getTime() >= secondOf(since)
