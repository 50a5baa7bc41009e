/**
 * The action's body: read inputs, build clients, rotate, report. Every failure ends in the one
 * `core.setFailed` below.
 */
import * as core from '@actions/core'
import { IAMClient } from '@aws-sdk/client-iam'
import { clientConfig } from './aws/config.js'
import { assumeRoleWithOidc } from './aws/credentials.js'
import { stsCallerArn } from './aws/verify.js'
import { createClient } from './github/client.js'
import { getInputs } from './inputs.js'
import { rotate, RotationError, type Deps } from './rotation.js'
import { setOutputs, writeSummary } from './summary.js'

/** GitHub asks for at least a second between mutating requests only when a client makes many. */
const PACE_WRITES_ABOVE = 10

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const inputs = getInputs(env)
    const iam = new IAMClient({
      ...clientConfig(inputs.region),
      credentials: inputs.role ? assumeRoleWithOidc(inputs.role, inputs.region) : undefined
    })
    const writes = inputs.targets.length * 2
    const deps: Deps = {
      iam,
      github: createClient({
        token: inputs.githubToken,
        baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
        writeIntervalMs: writes > PACE_WRITES_ABOVE ? 1000 : 0
      }),
      callerArn: stsCallerArn(inputs.region),
      clock: { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
      log: core,
      adminKeyId: inputs.role ? undefined : await ambientKeyId(iam)
    }
    try {
      const outcome = await rotate(deps, inputs)
      setOutputs(outcome)
      await writeSummary(outcome)
    } catch (error) {
      if (error instanceof RotationError) {
        setOutputs(error.outcome)
        await writeSummary(error.outcome, error.message)
      }
      throw error
    } finally {
      iam.destroy()
    }
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error))
  }
}

/** The key ID the ambient credentials sign with, so the rotation never retires its own key. */
async function ambientKeyId(iam: IAMClient): Promise<string | undefined> {
  try {
    return (await iam.config.credentials()).accessKeyId
  } catch {
    return undefined // no credentials: the first IAM call reports it with the fix
  }
}
