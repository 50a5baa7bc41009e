/**
 * What the action did to each access key, kept as an IAM user tag whose key is the access key ID:
 * that tag is the key's "description" in the IAM console, so people see it there, and the next run
 * reads it to finish what a killed run left. IAM tag values allow letters, digits, spaces and
 * `_ . : / = + - @`, so the text avoids commas and semicolons.
 */

/** created: secret not yet in every target. published: in every target. deactivated: retired. */
export type MarkState = 'created' | 'published' | 'deactivated'

export interface Mark {
  state: MarkState
  at: Date
  /** The workflow run that set it, when known (GITHUB_RUN_ID). */
  run?: string
}

const WORDS: Record<MarkState, string> = {
  created: 'Created',
  published: 'Published',
  deactivated: 'Deactivated'
}
const PATTERN =
  /^(Created|Published|Deactivated) by rotate-iam-key at (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)(?: in run (\S+))?$/

/** An access key ID as a tag key (IAM's own format). */
export const ACCESS_KEY_ID = /^A[KS]IA[A-Z0-9]{12,124}$/

/** The tag value for a mark, e.g. `Published by rotate-iam-key at 2026-11-22T04:05:00.000Z in run 42`. */
export function formatMark(mark: Mark): string {
  return `${WORDS[mark.state]} by rotate-iam-key at ${mark.at.toISOString()}${mark.run ? ` in run ${mark.run}` : ''}`
}

/** The mark a tag value holds, or undefined when the tag is not the action's. */
export function parseMark(value: string): Mark | undefined {
  const m = PATTERN.exec(value)
  if (!m) return undefined
  const state = (Object.keys(WORDS) as MarkState[]).find((s) => WORDS[s] === m[1]) as MarkState
  return { state, at: new Date(m[2] as string), ...(m[3] ? { run: m[3] } : {}) }
}

/**
 * The user tag written just before CreateAccessKey. If the run dies before the new key gets its
 * own mark, the next run recognises the key by its creation time: created right after the intent.
 */
export const INTENT_TAG = 'rotate-iam-key'
/** How long after the intent a key counts as the one it announced (CreateAccessKey follows at once). */
export const INTENT_WINDOW_MS = 120_000
