/**
 * Whether a failed GitHub request certainly changed nothing. GitHub answered with a 4xx (a
 * refusal: permission, archived repository, validation): it did not act. No answer, a time-out
 * or a 5xx may have come after GitHub acted: the write may have landed, now or a little later.
 */
import { answered } from './errors.js'

export function refusedForGood(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 8; depth++) {
    if (answered(e)) return (e as { status: number }).status < 500
    e = (e as { cause?: unknown }).cause
  }
  return false
}
