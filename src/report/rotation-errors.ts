/**
 * The rotation's own errors in words: each carries facts (who, which keys, which targets), and
 * this is where they become the sentences a person reads, byte for byte as the tests expect.
 */
import { Contended, READ_BACK_MS, Stale, Unanswered, Unseen } from '../rotation/create.js'
import { StillHeld, type Held } from '../rotation/recovery.js'
import type { Contention } from '../rotation/create.js'
import { Cancelled, NotEverywhere, Stopped, type CancelPoint } from '../rotation/states.js'
import { Midway } from '../rotation/publish.js'
import { VerifyError } from '../rotation/verify.js'
import { explainAws } from './messages.js'
import { rateLimitWords } from './github-rate-limit.js'
import { holds, list } from './target-list.js'
import { unverified } from './rotation-verify.js'

/** An error of the rotation in words; undefined for any other error. */
export function rotationWords(e: unknown): string | undefined {
  if (e instanceof Contended) return contended(e.facts)
  if (e instanceof Stale) return stale(e)
  if (e instanceof Unseen) return unseen(e)
  if (e instanceof Unanswered) return unanswered(e)
  if (e instanceof StillHeld) return stillHeld(e.facts)
  if (e instanceof Stopped) return stopped(e)
  if (e instanceof Cancelled) return cancelled(e.facts)
  if (e instanceof NotEverywhere) return 'the new key did not certainly reach every target'
  if (e instanceof Midway) return midway(e)
  if (e instanceof VerifyError) return unverified(e.facts)
  return undefined
}

function cancelled(p: CancelPoint): string {
  switch (p.at) {
    case 'before-create':
      return 'Cancelled before creating a key'
    case 'verifying':
      return 'Cancelled while verifying'
    case 'before-writing':
      return 'Cancelled before writing any secret'
    case 'published':
      return 'Cancelled after the new key reached every target'
    case 'draining':
      return `Cancelled while waiting for workflow runs that may sign with ${p.key}`
    case 'rate-limit':
      return "Cancelled while waiting for GitHub's rate limit"
  }
}

/** The rate limit's own words, and the mixed pair it may leave. */
function midway(e: Midway): string {
  const pair = 'may already hold the new key ID: a mixed pair until its secret is written'
  return `${rateLimitWords(e.limited.limit, e.limited.waitMs)} (${e.target}'s ${e.secret} ${pair})`
}

const LAG = "IAM's reads lag its writes by seconds"

function contended(c: Contention): string {
  const whileCreating = `another run took over IAM user ${c.user} while this run was creating a key`
  switch (c.how) {
    case 'quota':
      return [
        `${whileCreating}: IAM refused this run's key for its two-key limit,`,
        `lists ${c.others.join(', ')} that this run did not create,`,
        "and no longer shows this run's intent"
      ].join(' ')
    case 'took-over':
      return c.unseen.length
        ? `${whileCreating} (keys it did not see before: ${c.unseen.join(', ')})`
        : whileCreating
    case 'created': {
      const created = `another run created ${c.keys.join(', ')} for IAM user ${c.user} at the same time`
      return c.beside ? `${created} as this run created ${c.beside}` : created
    }
    case 'old-gone':
      return [
        `IAM no longer lists ${c.old}, the key this run planned to retire, for IAM user ${c.user}:`,
        'another run retired it meanwhile, or the listing this run planned from was stale',
        `(${LAG})`
      ].join(' ')
  }
}

function stale(e: Stale): string {
  const keys = e.keys.map((k) => `${k.id} (created ${k.created.toISOString()})`).join(', ')
  const gone = e.oldGone
    ? `, and no longer lists ${e.oldGone}, the key this run planned to retire,`
    : ''
  return [
    `IAM now lists ${keys} for IAM user ${e.user}${gone}`,
    'which the listing this run planned from did not show: another run rotated the user first,',
    `or ${LAG}; either way the plan was stale`
  ].join(' ')
}

function unseen(e: Unseen): string {
  const after = `${READ_BACK_MS / 1000} s after`
  if ('key' in e.what) {
    return [
      `IAM does not list ${e.what.key} ${after} creating it,`,
      'so the run cannot tell whether another key appeared beside it'
    ].join(' ')
  }
  return [
    `IAM still does not show this run's intent on ${e.user} ${after} writing it,`,
    'so the run cannot tell which keys are its own',
    'after CreateAccessKey had no definite answer; it stopped there'
  ].join(' ')
}

function unanswered(e: Unanswered): string {
  return [
    explainAws(e.cause, `creating a new access key for ${e.user}`),
    `CreateAccessKey went ${e.attempts} times without a definite answer,`,
    'and each time IAM showed no key it kept.'
  ].join(' ')
}

function stillHeld(h: Held): string {
  if (h.held === 'refused') {
    const { lost, current } = h
    const [refused, newer] = [list(h.refused), list(h.newer)]
    return [
      `${refused} refused the key ${lost} for good when an earlier run wrote it,`,
      `and ${holds(h.refused)} ${current}; ${newer} ${holds(h.newer)} ${lost}.`,
      'Both keys stay Active, so every target holds a key that works, and nothing was changed.',
      `Make ${refused} writable (unarchive it, or give the token or App write access to its secrets)`,
      `and run again: the run sees it take writes, deletes ${lost}, writes a new key to ${newer}`,
      'first (each without a working key for about a second), then to every other target.',
      `Or remove ${refused} from the targets and run again: ${current} is then retired.`,
      `To give up ${lost} while ${refused} still refuses (it keeps ${current}), run with 'force: true'.`
    ].join(' ')
  }
  const { user, key, over } = h
  const one = h.holding.length === 1
  const deactivate = `aws iam update-access-key --user-name ${user} --access-key-id ${key} --status Inactive`
  return [
    `${key} is Active beside ${over}, which an earlier run published,`,
    `but ${h.holding.join(', ')} ${one ? 'was' : 'were'} last written before ${over} existed`,
    `and may still hold ${key}.`,
    `Retiring it could break ${one ? 'that target' : 'those targets'}, so nothing was changed.`,
    `Check which key ${one ? 'it holds' : 'they hold'}: if none uses ${key},`,
    `deactivate it ('${deactivate}') and run again;`,
    'otherwise rotate this user from the workflow that lists every target.'
  ].join(' ')
}

function stopped(e: Stopped): string {
  return [
    `The lease on IAM user ${e.user} could not be renewed and runs out at`,
    `${e.leaseEnds.toISOString()}, before the next write could finish at worst;`,
    'the run stopped between two targets'
  ].join(' ')
}
