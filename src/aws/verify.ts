/**
 * The caller a key authenticates as: STS GetCallerIdentity signed with it. The rotation polls it
 * to prove a new key (src/rotation/verify.ts).
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import type { NewKey } from './key-data.js'
import { clientConfig } from './config.js'

/** Returns the ARN the key authenticates as; throws while AWS still refuses the key. */
export type CallerArn = (key: NewKey) => Promise<string>

/** GetCallerIdentity signed by `key`, one attempt per call: the poll loop is the retry. */
export function stsCallerArn(region: string): CallerArn {
  return async (key) => {
    const sts = new STSClient({
      ...clientConfig(region, 1),
      credentials: { accessKeyId: key.id, secretAccessKey: key.secret }
    })
    // Not destroyed: its connections are the run's shared pool (config.ts).
    const { Arn } = await sts.send(new GetCallerIdentityCommand({}))
    return Arn ?? ''
  }
}
