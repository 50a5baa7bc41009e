/** Why a new key did not verify, in words: the rotation's `VerifyError` (rotation/verify.ts). */
import type { Unverified } from '../rotation/verify.js'

export function unverified(u: Unverified): string {
  if (u.kind === 'other-caller')
    return `the new key ${u.key} authenticates as ${u.arn}, not as ${u.expected}`
  return [
    `the new key ${u.key} was still refused by STS after ${u.seconds} s and ${u.attempts} attempts`,
    `(last answer: ${u.last.name}: ${u.last.message})`
  ].join(' ')
}
