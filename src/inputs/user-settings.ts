/**
 * The settings a manifest may set per user, beside the action's inputs of the same name. A leaf:
 * inputs.ts and manifest.ts both check against these ranges, so an input and a manifest key are
 * refused alike.
 */

/** One user's own settings; what it leaves out comes from the manifest's defaults, then the inputs. */
export interface UserSettings {
  maxAgeDays?: number
  gracePeriodDays?: number
}

/** The keys, as the inputs name them, with the field each sets and its range. */
export const USER_SETTINGS = [
  { name: 'max-age-days', key: 'maxAgeDays', min: 0, max: 3650 },
  { name: 'grace-period-days', key: 'gracePeriodDays', min: 0, max: 365 }
] as const satisfies readonly {
  name: string
  key: keyof UserSettings
  min: number
  max: number
}[]

/** A value that is not a whole number in its range, as facts. */
export interface WholeNumberFault {
  rule: 'whole-number'
  got: string
  min: number
  max: number
}

/** Why `raw` is not a whole number from `min` to `max`, or undefined when it is. */
export function wholeNumberProblem(
  raw: string,
  min: number,
  max: number
): WholeNumberFault | undefined {
  const value = Number(raw)
  return /^\d+$/.test(raw) && value >= min && value <= max
    ? undefined
    : { rule: 'whole-number', got: raw, min, max }
}
