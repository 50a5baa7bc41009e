/**
 * Rendering of AWS Query-protocol responses: the `<ActionResponse>` envelope, the
 * `<ErrorResponse>` shape and the AWS error type every handler throws.
 */
import { randomUUID } from 'node:crypto'
import type { Reply } from '../shared/server.js'

export type Service = 'iam' | 'sts'

export const NAMESPACES: Record<Service, string> = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/'
}

export const VERSIONS: Record<Service, string> = { iam: '2010-05-08', sts: '2011-06-15' }

/** An error AWS would answer with: HTTP status, `Code` and `Message`. */
export class AwsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message)
  }
}

export const escapeXml = (value: string): string =>
  value.replace(/[<>&'"]/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === "'" ? '&apos;' : '&quot;'
  )

/** A value or nested elements; `undefined` elements are omitted, as AWS omits absent fields. */
export type XmlValue = string | number | boolean | Date | undefined | XmlNode | XmlNode[]
export interface XmlNode {
  [name: string]: XmlValue
}

/** AWS timestamps in Query responses are ISO 8601 in UTC without milliseconds. */
export const isoSeconds = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z')

const renderValue = (value: XmlValue): string => {
  if (value instanceof Date) return isoSeconds(value)
  if (Array.isArray(value)) return value.map((m) => `<member>${renderNode(m)}</member>`).join('')
  if (typeof value === 'object') return renderNode(value)
  return escapeXml(String(value))
}

/** Render `{ A: 'x', B: { C: 1 } }` as `<A>x</A><B><C>1</C></B>`, in insertion order. */
export const renderNode = (node: XmlNode): string =>
  Object.entries(node)
    .filter(([, v]) => v !== undefined)
    .map(([name, v]) => `<${name}>${renderValue(v)}</${name}>`)
    .join('')

const xmlReply = (status: number, requestId: string, body: string): Reply => ({
  status,
  headers: { 'content-type': 'text/xml', 'x-amzn-RequestId': requestId },
  body
})

/** `<XResponse><XResult>…</XResult><ResponseMetadata>…` (no Result element when `result` is undefined). */
export function renderResult(service: Service, action: string, result?: XmlNode): Reply {
  const requestId = randomUUID()
  const inner = result ? `<${action}Result>${renderNode(result)}</${action}Result>` : ''
  const body =
    `<${action}Response xmlns="${NAMESPACES[service]}">${inner}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>\n`
  return xmlReply(200, requestId, body)
}

/** The Query-protocol `<ErrorResponse>`: `Type` is Receiver for server faults, Sender otherwise. */
export function renderError(
  service: Service,
  status: number,
  code: string,
  message: string
): Reply {
  const requestId = randomUUID()
  const type = status >= 500 ? 'Receiver' : 'Sender'
  const body =
    `<ErrorResponse xmlns="${NAMESPACES[service]}"><Error><Type>${type}</Type>` +
    `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>\n`
  return xmlReply(status, requestId, body)
}
