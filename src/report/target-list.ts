/**
 * Targets named in a sentence, and the verb that agrees with them. A leaf: the wording of the
 * rotation's errors, the log and the failures all name who holds a key, and failure-parts.ts
 * imports rotation-errors.ts, so the helpers cannot live there.
 */

/** Target names in a row, or that there are none. */
export const list = (names: readonly string[]): string => names.join(', ') || 'no target'

/** The verb for what `names` hold: one target holds, several (or none) hold. */
export const holds = (names: readonly string[]): string => (names.length === 1 ? 'holds' : 'hold')
