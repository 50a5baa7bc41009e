/** Query-protocol request parameters: `Action=…&Version=…&Tags.member.1.Key=…`. */
import type { Request } from '../shared/server.js'
import { AwsError } from './xml.js'

export type Params = Map<string, string>

/** Parameters come from the form body (POST, what the SDK sends) or the query string (GET). */
export function readParams(req: Request): Params {
  const params: Params = new Map(new URLSearchParams(req.url.search))
  const type = String(req.headers['content-type'] ?? '')
  if (req.method === 'POST' && type.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params.set(k, v)
  }
  return params
}

/** `Prefix.member.N` (and `Prefix.member.N.Field`) in index order. */
export function memberList(params: Params, prefix: string): Array<Map<string, string>> {
  const items = new Map<number, Map<string, string>>()
  const pattern = new RegExp(`^${prefix.replace('.', '\\.')}\\.member\\.(\\d+)(?:\\.(.+))?$`)
  for (const [key, value] of params) {
    const m = pattern.exec(key)
    if (!m) continue
    const index = Number(m[1])
    const item = items.get(index) ?? new Map<string, string>()
    item.set(m[2] ?? '', value)
    items.set(index, item)
  }
  return [...items.entries()].sort(([a], [b]) => a - b).map(([, item]) => item)
}

/** The `1 validation error detected` message AWS's request validation produces. */
export const validationError = (value: string | null, member: string, constraint: string) =>
  new AwsError(
    400,
    'ValidationError',
    `1 validation error detected: Value ${value === null ? 'null' : `'${value}'`} at '${member}' failed to satisfy constraint: ${constraint}`
  )

/** A required parameter; AWS reports a missing one as a null member. */
export function required(params: Params, name: string): string {
  const value = params.get(name)
  if (value === undefined) {
    const member = name.charAt(0).toLowerCase() + name.slice(1)
    throw validationError(null, member, 'Member must not be null')
  }
  return value
}

/** Check a string parameter's length and pattern the way AWS's model validation does. */
export function checkString(
  value: string,
  member: string,
  rule: { min?: number; max?: number; pattern?: RegExp; patternText?: string }
): void {
  if (rule.min !== undefined && value.length < rule.min)
    throw validationError(
      value,
      member,
      `Member must have length greater than or equal to ${rule.min}`
    )
  if (rule.max !== undefined && value.length > rule.max)
    throw validationError(
      value,
      member,
      `Member must have length less than or equal to ${rule.max}`
    )
  if (rule.pattern && !rule.pattern.test(value))
    throw validationError(
      value,
      member,
      `Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`
    )
}
