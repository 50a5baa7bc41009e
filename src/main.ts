/**
 * The action's body, once the inputs have passed: build clients, rotate every user, report. Every
 * failure ends in `fail` below.
 */
import * as core from '@actions/core'
import { placeOf, type Sessions } from './sessions.js'
import { WriteBudget } from './budget.js'
import { rotateAll } from './fleet.js'
import { createClients, tokenClient, WORST_REQUEST_MS } from './github/client.js'
import { InFlightRuns } from './github/inflight.js'
import { syncIssues, type IssueRef } from './github/issues.js'
import { runEnded } from './github/runs.js'
import { Secrets } from './github/secrets.js'
import { fail } from './fail.js'
import { errorWords } from './report/error.js'
import { cancelling, issueDone, issuesNotFiled } from './report/entry-lines.js'
import type { Inputs } from './inputs/inputs.js'
import { issueActions, issuesNote, runLink } from './report/failure-issue.js'
import type { UserResult } from './fleet.js'
import { runIdentity } from './run-identity.js'
import { announce, fleetFailure, setOutputs, writeSummary } from './report/summary.js'
import { runUnknownWords } from './report/github-runs.js'
import { limitMetWords } from './report/github-rate-limit.js'
import { issueProblemWords } from './report/github-issues.js'
import type { LimitMet } from './github/rate-limits.js'
import { writeInterval } from './pace.js'

/** What one secret write may take beyond its pause, retries included: sizes a run's lease. */
const WRITE_ALLOWANCE_MS = 5_000

/** Every rate limit a GitHub request meets, in the log. */
const limitMet = (m: LimitMet): void => core.warning(limitMetWords(m))

/**
 * Rotate as `inputs` say, in the run's AWS `sessions`: the entry point opened the first user's
 * already (src/index.ts), so its role is assumed while this module loads.
 */
export async function run(
  inputs: Inputs,
  sessions: Sessions,
  env: NodeJS.ProcessEnv = process.env
): Promise<void> {
  // The runner cancels with SIGINT, then SIGTERM, a few seconds apart: note it, and let the
  // rotation finish or undo what is in flight instead of dying halfway.
  let cancelled = false
  // Every wait of the run (rate limits, verification's polling, pacing) ends on the signal.
  const waking = new Set<() => void>()
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!cancelled) core.warning(cancelling(signal))
    cancelled = true
    for (const wake of waking) wake()
    waking.clear()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    const writes = inputs.users.reduce((n, u) => n + u.targets.length * 2, 0)
    const clock = {
      now: () => Date.now(),
      sleep: (ms: number) =>
        new Promise<void>((resolve) => {
          if (cancelled) return resolve()
          const wake = (): void => {
            clearTimeout(timer)
            waking.delete(wake)
            resolve()
          }
          const timer = setTimeout(wake, ms)
          waking.add(wake)
        })
    }
    const clients = createClients(
      // The clock whose waits end on the runner's signal: rate-limit waits included.
      {
        auth: inputs.github,
        baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
        clock,
        limitMet
      },
      inputs.users.flatMap((u) => u.targets)
    )
    const writeIntervalMs = writeInterval(writes)
    // GitHub's hourly budget, taken by each user found due before anything of its own changes.
    const budget = new WriteBudget(inputs.github)
    const secrets = new Secrets(clients.forTarget, { ...clock, writeIntervalMs }, undefined, {
      // A ghs_ token without App inputs: most often the workflow's own GITHUB_TOKEN.
      installationToken: 'token' in inputs.github && inputs.github.token.startsWith('ghs_')
    })
    const identity = runIdentity(env)
    const results = await rotateAll(
      {
        session: (user) => sessions.for(placeOf(user, inputs)),
        secrets,
        // Its reads share the secrets' per-minute window; the rotation's own run holds nothing up.
        runs: new InFlightRuns(clients.forDrain, secrets.window, identity.run?.id, secrets.read),
        identity,
        msPerWrite: writeIntervalMs + WRITE_ALLOWANCE_MS,
        writeWorstMs: WORST_REQUEST_MS,
        runEnded: (intent) =>
          runEnded(clients.forRuns, intent, (why) => core.info(runUnknownWords(why))),
        takeWrites: (targets) => budget.take(targets),
        clock,
        cancelled: () => cancelled
      },
      inputs.users,
      inputs
    )
    setOutputs(results)
    announce(results)
    await writeSummary(results)
    // After the summary, and never in the way of the run's own result: it fails or succeeds
    // as the rotation did, whatever happens to the issues.
    if (inputs.failureIssues) await fileIssues(inputs, results, env, clock)
    // A user's error is worded already (fleet.ts), and so is the fleet's: fail with them as is.
    const failed = results.filter((r) => r.error)
    const alone = results.length === 1 ? failed[0]?.error : undefined
    if (alone !== undefined) fail(alone)
    else if (failed.length > 0) fail(fleetFailure(results))
  } catch (error) {
    fail(errorWords(error))
  } finally {
    sessions.close()
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

/**
 * Open, update or close each user's failure issue in the repository running the rotation, and say
 * which in the outputs `issues-opened`, `issues-updated` and `issues-closed` (JSON arrays of issue
 * URLs). Never throws: what could not be done is a warning.
 */
async function fileIssues(
  inputs: Inputs,
  results: UserResult[],
  env: NodeJS.ProcessEnv,
  clock: { sleep: (ms: number) => Promise<void> }
): Promise<void> {
  const settings = inputs.failureIssues
  if (!settings) return
  const report = { opened: [] as IssueRef[], updated: [] as IssueRef[], closed: [] as IssueRef[] }
  try {
    const repository = env.GITHUB_REPOSITORY ?? ''
    const client = tokenClient(settings.token, {
      baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
      clock: { now: () => Date.now(), sleep: clock.sleep },
      limitMet
    })
    const actions = issueActions(results, runLink(env))
    // Issue writes are content creation: one at a time, a second apart when there are many.
    const writes = actions.length * 2
    const done = await syncIssues(client, actions, {
      repository,
      label: settings.label,
      writeIntervalMs: writeInterval(writes),
      sleep: clock.sleep,
      redact: [
        settings.token,
        ...('token' in inputs.github ? [inputs.github.token] : [inputs.github.privateKey])
      ]
    })
    Object.assign(report, done)
    for (const how of ['opened', 'updated', 'closed'] as const)
      for (const issue of done[how]) core.info(issueDone(how, issue))
    for (const p of done.problems) core.warning(issueProblemWords(p))
    const note = issuesNote(done)
    if (note) await core.summary.addRaw(note, true).write()
  } catch (error) {
    core.warning(issuesNotFiled(errorWords(error)))
  } finally {
    core.setOutput('issues-opened', JSON.stringify(report.opened.map((i) => i.url)))
    core.setOutput('issues-updated', JSON.stringify(report.updated.map((i) => i.url)))
    core.setOutput('issues-closed', JSON.stringify(report.closed.map((i) => i.url)))
  }
}
