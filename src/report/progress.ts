/**
 * How a rotation goes, in words: each event (rotation/progress.ts) as the lines a runner's log
 * shows, and each section's title, byte for byte what the e2e tests read.
 */
import type { Holder } from '../github/inflight-facts.js'
import type { Progress, Section } from '../rotation/progress.js'
import { describePlan } from './dry-run.js'
import { own } from './failure-parts.js'
import { missWords } from './progress-miss.js'
import { reasonWords } from './reason.js'
import { runsUnknownWords } from './github-runs.js'
import { holds, list } from './target-list.js'

/** The title a section of the log is grouped under. */
export function sectionTitle(s: Section): string {
  switch (s.section) {
    case 'plan':
      return `Plan: access keys of IAM user ${s.user}`
    case 'read-targets':
      return `Read the public key of ${s.count} target(s)`
    case 'create':
      return 'Create access key'
    case 'verify':
      return 'Verify the new key with STS'
    case 'retire-old':
      return `Retire the old key ${s.key}`
    case 'retire-replaced':
      return `Retire ${s.key}, replaced by an earlier run`
    case 'recover':
      return `Recover ${s.key}, whose secret an ended run lost`
  }
}

/** A day as the log says it: `YYYY-MM-DD` (UTC). */
const dayOf = (d: Date): string => d.toISOString().slice(0, 10)

/** Run IDs with their repositories and status. */
export const runList = (runs: Holder[]): string =>
  runs.map((r) => `${r.repo} run ${r.id} (${r.status})`).join(', ')

const RENEW = 'Renewing the lease'
const SIGN_WITH = 'workflow runs that may still sign with'

/** The lines an event shows in the log, in order: one, or a dry run's plan line by line. */
export function progressLines(e: Progress): string[] {
  if (e.kind === 'dry-run') return describePlan(e.plan, e.req).map((line) => `Dry run: ${line}`)
  return [progressLine(e)]
}

function progressLine(e: Exclude<Progress, { kind: 'dry-run' }>): string {
  switch (e.kind) {
    case 'key':
      return `${e.id} ${e.status}, created ${e.created.toISOString()}${e.mark ? ` (${e.mark})` : ''}`
    case 'taking-over':
      return `GitHub says run ${e.run} has ended: taking over its lease`
    case 'reactivated':
      return `${e.key} was re-activated after the action deactivated it: kept until ${dayOf(e.until)}`
    case 'stranger':
      return [
        `${e.key} is Active beside ${e.beside ?? 'the current key'},`,
        "and the action's records do not account for it: left alone"
      ].join(' ')
    case 'decided':
      return `${e.decision === 'rotate' ? 'Rotating' : 'Not rotating'}: ${reasonWords(e.reason)}`
    case 'targets-changed':
      return 'The list of targets changed since the current key was published'
    case 'forget-failed':
      return `Forgetting an earlier run's intent failed: ${own(e.error)}`
    case 'expired':
      return `Deleted ${e.key}: Inactive since ${e.since?.toISOString()}, past its grace period`
    case 'deleting-early':
      return `Deleting ${e.key} before its grace period ends: the user needs room for a new key`
    case 'holders':
      return `${list(e.newer)} ${holds(e.newer)} ${e.lost}; ${list(e.older)} ${holds(e.older)} ${e.current}`
    case 'both-held':
      return [
        `Both keys are held: deleting ${e.lost}, whose holders ${list(e.newer)} were written by the run`,
        'that created it; they are without a working key until the new one is written there (first).',
        `${e.current} stays until every target holds the new key.`
      ].join(' ')
    case 'id-put-back':
      return `${e.target}: ${e.name} put back to ${e.key}, matching its secret`
    case 'id-set':
      return `${e.target}: ${e.name} set to ${e.key}, matching its secret`
    case 'writable-again':
      return `${e.target} takes writes again: ${e.name} rewritten as ${e.key}`
    case 'lost-answer':
      return `IAM created ${e.key} but its answer was lost, so its secret was never seen: deleted it`
    case 'create-again':
      return `CreateAccessKey had no definite answer (attempt ${e.attempt}): IAM kept no key; once more`
    case 'created':
      return `Created ${e.key}`
    case 'verified':
      return `Verified after ${e.afterMs} ms (${e.attempts} attempt(s))`
    case 'renew-failed':
      return `${RENEW}${e.waiting ? ' before waiting' : ''} failed: ${own(e.error)}`
    case 'rate-limited':
      return [
        'GitHub answered a secret write with a rate limit.',
        `Waiting ${Math.ceil(e.waitMs / 1000)} s as GitHub asks, the lease kept over the wait,`,
        `then writing again (${e.writesLeft} write(s) left).`
      ].join(' ')
    case 'missed':
      return `${e.target}: ${missWords(e.why)}`
    case 'written':
      return `${e.target}: ${e.names.join(', ')} written`
    case 'waiting':
      return e.upToMs === undefined
        ? `Waiting for ${SIGN_WITH} ${e.key}: ${runList(e.runs)}`
        : `Waiting up to ${Math.round(e.upToMs / 60_000)} min for ${SIGN_WITH} ${e.key}: ${runList(e.runs)}`
    case 'cannot-tell':
      return `Cannot tell which workflow runs hold ${e.key}: ${runsUnknownWords(e.why)}`
    case 'still-waiting':
      return `Workflow runs: ${runsUnknownWords(e.why)}; still waiting`
    case 'stopped-waiting':
      return `Stopped waiting: ${runList(e.runs)} still may sign with ${e.key}`
    case 'runs-ended':
      return `Every workflow run that may have held ${e.key} has ended`
    case 'retiring-blind':
      return [
        `Cannot tell which workflow runs may still sign with the old key (${runsUnknownWords(e.why)});`,
        `retiring it anyway (${e.how === 'revoke' ? "'in-flight-runs: revoke'" : "past 'drain-cap-days'"}):`,
        'a deploy running now may fail'
      ].join(' ')
    case 'retiring-held': {
      const runs = e.runs.map((r) => `${r.repo} run ${r.id}`).join(', ')
      if (e.how === 'revoke')
        return [
          "Revoking the old key at once ('in-flight-runs: revoke'):",
          `${runs} may still sign with it and will fail when they do`
        ].join(' ')
      const run = e.runs.length === 1 ? 'runs' : 'run'
      return `Retiring the old key past 'drain-cap-days': ${runs} still ${run} and may fail`
    }
    case 'kept-active': {
      const runs = e.runs ? ` for ${e.runs} workflow run(s) that may still sign with it` : ''
      return `${e.key} stays Active${runs}: a later run retires it`
    }
    case 'inactive-until':
      return `${e.key} stays Inactive until ${e.day}; a run after that deletes it`
    case 'retired':
      return `Old key ${e.key} ${e.fate}`
    case 'old-gone': {
      const other = e.other
        ? `; ${e.other} is Active beside the new key and this run did not plan for it: left alone`
        : ''
      return `${e.key} no longer exists${other}`
    }
  }
}
