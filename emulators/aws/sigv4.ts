/**
 * SigV4 verification: parse the Authorization header, then re-sign the received request with
 * @smithy/signature-v4 (never a hand-rolled algorithm) and compare the signatures.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { Sha256 } from '@aws-crypto/sha256-js'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import type { Request } from '../shared/server.js'
import { AwsError } from './xml.js'

export interface ParsedAuth {
  accessKeyId: string
  scopeDate: string
  region: string
  service: string
  signedHeaders: string[]
  signature: string
  /** From X-Amz-Date, e.g. 20261122T040736Z. */
  amzDate: string
  signingDate: Date
}

const header = (req: Request, name: string): string | undefined => {
  const value = req.headers[name]
  return Array.isArray(value) ? value.join(',') : value
}

/** AWS's own messages for a request without any credentials or with a malformed header. */
export function parseAuthorization(req: Request): ParsedAuth {
  const auth = header(req, 'authorization')
  if (!auth)
    throw new AwsError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token')
  const [algorithm, ...rest] = auth.trim().split(/\s+/)
  if (algorithm !== 'AWS4-HMAC-SHA256')
    throw new AwsError(400, 'IncompleteSignature', `Unsupported AWS 'algorithm': '${algorithm}'`)
  const fields = new Map(
    rest
      .join('')
      .split(',')
      .map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)])
  )
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((f) => !fields.get(f))
  if (missing.length > 0)
    throw new AwsError(
      400,
      'IncompleteSignature',
      missing.map((f) => `Authorization header requires '${f}' parameter.`).join(' ') +
        ` Authorization=${auth}`
    )
  const scope = (fields.get('Credential') ?? '').split('/')
  const [accessKeyId, scopeDate, region, service, terminator] = scope
  if (
    scope.length !== 5 ||
    !accessKeyId ||
    !scopeDate ||
    !region ||
    !service ||
    terminator !== 'aws4_request'
  )
    throw new AwsError(
      400,
      'IncompleteSignature',
      `Credential should be scoped to a valid region, not '${region ?? ''}'. `
    )
  const amzDate = header(req, 'x-amz-date')
  const signingDate = amzDate ? parseAmzDate(amzDate) : undefined
  if (!amzDate || !signingDate)
    throw new AwsError(
      400,
      'IncompleteSignature',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
    )
  return {
    accessKeyId,
    scopeDate,
    region,
    service,
    signedHeaders: (fields.get('SignedHeaders') ?? '').split(';'),
    signature: fields.get('Signature') ?? '',
    amzDate,
    signingDate
  }
}

const parseAmzDate = (s: string): Date | undefined => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s)
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : undefined
}

const compact = (d: Date): string =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')

/** SigV4 allows 15 minutes of clock skew; AWS words the refusal as an expired signature. */
export function checkClock(auth: ParsedAuth, now = new Date()): void {
  const skew = 15 * 60_000
  if (auth.signingDate.getTime() < now.getTime() - skew)
    throw new AwsError(
      403,
      'SignatureDoesNotMatch',
      `Signature expired: ${auth.amzDate} is now earlier than ${compact(new Date(now.getTime() - skew))} (${compact(now)} - 15 min.)`
    )
  if (auth.signingDate.getTime() > now.getTime() + skew)
    throw new AwsError(
      403,
      'SignatureDoesNotMatch',
      `Signature not yet current: ${auth.amzDate} is still later than ${compact(new Date(now.getTime() + skew))} (${compact(now)} + 15 min.)`
    )
}

export const SIGNATURE_MISMATCH = new AwsError(
  403,
  'SignatureDoesNotMatch',
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'
)

/** True when `auth.signature` is what `secretAccessKey` produces for this exact request. */
export async function signatureMatches(
  req: Request,
  auth: ParsedAuth,
  secretAccessKey: string
): Promise<boolean> {
  // The signer trusts a provided payload hash, so check it against the body ourselves.
  const claimed = header(req, 'x-amz-content-sha256')
  if (claimed && claimed !== createHash('sha256').update(req.body).digest('hex')) return false
  const headers: Record<string, string> = {}
  for (const name of auth.signedHeaders) {
    const value = header(req, name)
    if (value === undefined) return false
    headers[name] = value
  }
  const query: Record<string, string | string[]> = {}
  for (const [k, v] of req.url.searchParams) {
    const prev = query[k]
    query[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v]
  }
  const request = new HttpRequest({
    method: req.method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    path: decodeURIComponent(req.url.pathname),
    query,
    headers,
    body: req.body
  })
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    region: auth.region,
    service: auth.service,
    sha256: Sha256,
    uriEscapePath: true,
    applyChecksum: false
  })
  const signed = await signer.sign(request, {
    signingDate: auth.signingDate,
    signingRegion: auth.region,
    signingService: auth.service,
    // Sign exactly what the client signed, even headers the signer would normally skip.
    signableHeaders: new Set(auth.signedHeaders)
  })
  const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1] ?? ''
  const a = Buffer.from(expected)
  const b = Buffer.from(auth.signature)
  return a.length === b.length && timingSafeEqual(a, b)
}
