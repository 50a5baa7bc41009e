/**
 * `npm run demo`: a complete rotation against the local emulators. Starts AWS IAM/STS, GitHub and
 * OIDC emulators, runs the bundled `dist/index.js` as a runner would, and shows the action's log,
 * its job summary and the emulators' state before and after.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { runAction } from '../emulators/runner.js'
import { REPOS, roleInputs, startWorld, USER, type World } from '../emulators/world.js'

const PROPAGATION_MS = 2000
const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s)
const heading = (s: string): void => console.log(`\n${bold(`== ${s} ==`)}`)

/** What the emulators hold now; secrets shown only by length. */
async function showState(world: World): Promise<void> {
  for (const k of world.aws.keys(USER)) {
    console.log(`IAM ${USER}: ${k.accessKeyId} ${k.status}, created ${k.createDate.toISOString()}`)
  }
  for (const repo of REPOS) {
    const secrets = world.github.repositorySecrets(repo)
    const id = secrets.AWS_ACCESS_KEY_ID
    const secret = secrets.AWS_SECRET_ACCESS_KEY
    if (!id || !secret) {
      console.log(`GitHub ${repo}: no AWS secrets`)
      continue
    }
    const sts = new STSClient({
      region: 'us-east-1',
      endpoint: world.aws.url,
      credentials: { accessKeyId: id, secretAccessKey: secret },
      maxAttempts: 1
    })
    const works = await sts.send(new GetCallerIdentityCommand({})).then(
      (r) => `AWS accepts it as ${r.Arn}`,
      (e: Error) => `AWS refuses it (${e.name})`
    )
    sts.destroy()
    console.log(
      `GitHub ${repo}: AWS_ACCESS_KEY_ID=${id}, AWS_SECRET_ACCESS_KEY=(${secret.length} chars) → ${works}`
    )
  }
}

const world = await startWorld({ propagationDelayMs: PROPAGATION_MS })
try {
  heading('Emulators')
  console.log(`AWS IAM/STS ${world.aws.url}  GitHub ${world.github.url}  OIDC ${world.oidc.url}`)
  console.log(
    `New IAM keys are refused for ${PROPAGATION_MS / 1000} s, like AWS's eventual consistency.`
  )
  heading('Before')
  await showState(world)

  heading('Action log (node dist/index.js, as a runner runs it)')
  const result = await runAction(world, roleInputs(world))
  process.stdout.write(result.log)
  process.stdout.write(result.stderr)

  heading('Job summary ($GITHUB_STEP_SUMMARY)')
  console.log(result.summary.trim())
  heading('Outputs ($GITHUB_OUTPUT)')
  for (const [k, v] of Object.entries(result.outputs)) console.log(`${k}=${v}`)

  heading('After')
  await showState(world)
  const tokens = world.oidc.log.filter((e) => e.route.includes('idtoken')).length
  const calls = world.aws.log.length + world.github.log.length + tokens
  heading('Result')
  console.log(
    `exit code ${result.code}; ${calls} requests (AWS ${world.aws.log.length}, GitHub ${world.github.log.length}, OIDC token ${tokens}); action ran ${(result.ms / 1000).toFixed(1)} s`
  )
  process.exitCode = result.code ?? 1
} finally {
  await world.close()
}
