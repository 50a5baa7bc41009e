/**
 * IAM's ConcurrentModification on the wire: a tiny IAM (node:http, the Query protocol's XML)
 * answers each call from a script, and a real IAMClient with the action's settings
 * (`clientConfig`, so the real `NoBlindRetry`) sends to it. ConcurrentModification is a definite
 * refusal and is retried, CreateAccessKey included; quotas and uncertain outcomes of a create
 * are still not. The messages say only what the SDK did.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { IAMClient } from '@aws-sdk/client-iam'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { clientConfig } from '../src/aws/config.js'
import * as keys from '../src/aws/keys.js'
import { isConcurrentModification } from '../src/aws/answers.js'
import { explainAws } from '../src/report/messages.js'

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/'

interface Answer {
  status: number
  body: string
}

const error = (status: number, code: string, message: string): Answer => ({
  status,
  body:
    `<ErrorResponse xmlns="${NS}"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type>` +
    `<Code>${code}</Code><Message>${message}</Message></Error><RequestId>x</RequestId></ErrorResponse>`
})
const CONCURRENT = error(
  409,
  'ConcurrentModification',
  'The request was rejected because multiple requests to change this object were submitted simultaneously. Wait a few minutes and submit your request again.'
)

/** IAM's success answer to `action`, with `result` inside its Result element. */
const ok = (action: string, result = ''): Answer => ({
  status: 200,
  body:
    `<${action}Response xmlns="${NS}">${result ? `<${action}Result>${result}</${action}Result>` : ''}` +
    `<ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></${action}Response>`
})
const CREATED = ok(
  'CreateAccessKey',
  '<AccessKey><UserName>deploy</UserName><AccessKeyId>AKIAWIRE000000000001</AccessKeyId>' +
    '<Status>Active</Status><SecretAccessKey>wire/secret/0123456789abcdefghijklmnopqrst</SecretAccessKey>' +
    '<CreateDate>2025-01-01T00:00:00Z</CreateDate></AccessKey>'
)

let server: Server
let url: string
/** The answers still to give, in order; the last one is repeated once the others are used. */
let script: Answer[] = []
/** The Action of every request received. */
let received: string[] = []

beforeAll(async () => {
  // createKey masks the secret with `::add-mask::` on stdout; Jest reports on stderr.
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      received.push(new URLSearchParams(body).get('Action') ?? '?')
      const answer = (script.length > 1 ? script.shift() : script[0]) ?? ok('Unknown')
      res.writeHead(answer.status, { 'content-type': 'text/xml' }).end(answer.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})

let iam: IAMClient | undefined
/** A client with the action's settings (`maxAttempts` as the action's unless given). */
function client(maxAttempts?: number): IAMClient {
  iam = new IAMClient({
    ...clientConfig('us-east-1', maxAttempts),
    endpoint: url,
    credentials: { accessKeyId: 'AKIAADMIN', secretAccessKey: 'admin-secret' }
  })
  return iam
}

afterEach(() => {
  iam?.destroy()
  script = []
  received = []
})

async function rejection(
  p: Promise<unknown>
): Promise<Error & { $metadata?: { httpStatusCode?: number; attempts?: number } }> {
  try {
    await p
  } catch (e) {
    return e as Error
  }
  throw new Error('expected the call to fail')
}

describe('ConcurrentModification is retried with backoff', () => {
  it('CreateAccessKey: refused once, created on the second try', async () => {
    script = [CONCURRENT, CREATED]
    const key = await keys.createKey(client(), 'deploy')
    expect(key.id).toBe('AKIAWIRE000000000001')
    expect(received).toEqual(['CreateAccessKey', 'CreateAccessKey'])
  })

  it('TagUser: refused once, tagged on the second try', async () => {
    script = [CONCURRENT, ok('TagUser')]
    await keys.tag(client(), 'deploy', { team: 'a' })
    expect(received).toEqual(['TagUser', 'TagUser'])
  })

  it('within the attempts: refused every time, it fails saying another change was in progress', async () => {
    script = [CONCURRENT]
    const e = await rejection(keys.createKey(client(2), 'deploy'))
    expect(received).toEqual(['CreateAccessKey', 'CreateAccessKey'])
    expect(isConcurrentModification(e)).toBe(true)
    expect(e.$metadata?.attempts).toBe(2)
    const message = explainAws(e, 'creating a new access key for deploy')
    expect(message).toContain(
      'Another change to the IAM user was in progress, still after 2 attempts'
    )
    expect(message).toContain('Run the workflow again')
    expect(message).not.toMatch(/retried/)
  })
})

describe('what is still not retried', () => {
  it('LimitExceeded: sent once', async () => {
    script = [error(409, 'LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2'), CREATED]
    const e = await rejection(keys.createKey(client(), 'deploy'))
    expect(e.name).toBe('LimitExceededException')
    expect(received).toEqual(['CreateAccessKey'])
  })

  it('CreateAccessKey after a 500: sent once, and the message does not say the SDK retried', async () => {
    script = [error(500, 'ServiceFailure', 'Internal failure'), CREATED]
    const e = await rejection(keys.createKey(client(), 'deploy'))
    expect(e.$metadata?.httpStatusCode).toBe(500)
    expect(e.$metadata?.attempts).toBe(1)
    expect(received).toEqual(['CreateAccessKey'])
    const message = explainAws(e, 'creating a new access key for deploy')
    expect(message).not.toMatch(/retried|tried \d+ times/)
    expect(message).toContain('Run the workflow again later')
  })

  it('a read after 500s: the message says how many times the SDK tried', async () => {
    script = [error(500, 'ServiceFailure', 'Internal failure')]
    const e = await rejection(keys.listKeys(client(3), 'deploy'))
    expect(received).toEqual(['ListAccessKeys', 'ListAccessKeys', 'ListAccessKeys'])
    expect(explainAws(e, 'listing keys')).toContain('The AWS SDK tried 3 times and gave up')
  })
})
