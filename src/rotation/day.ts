/**
 * A day in milliseconds: the unit of 'max-age-days', 'grace-period-days' and 'drain-cap-days',
 * of a key's age and of the days a mark records. Defined once, so every stage counts days alike.
 */
export const DAY_MS = 86_400_000
