/** Where a bad value was written, in words: what a problem's words start with. */
import type { Place } from '../inputs/problems.js'
import { quote } from '../inputs/quote.js'

/**
 * `'aws-region'`, `rotation.yml:4:5: 'role-to-assume'`, `'inventory-roles' 'arn…':`,
 * `rotation.yml:3:9: users[0].repositories[1]`.
 */
export function placeWords(place: Place): string {
  if ('where' in place) return `${place.where}: ${pathName(place.path)}`
  const input = `'${place.input}'`
  if (place.user !== undefined) return `${place.user}: ${input}`
  return place.entry !== undefined ? `${input} ${quote(place.entry)}:` : input
}

/** `users[3].repositories[0]`, as a person reads a path into the file. */
export function pathName(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')
}
