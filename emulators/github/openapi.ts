/**
 * Request-body validation against GitHub's own OpenAPI description (@octokit/openapi), so the
 * emulator accepts exactly the bodies GitHub documents and cannot drift from it. Error messages
 * follow GitHub's `Invalid request.` wording.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'

type FormatsPlugin = (ajv: Ajv) => unknown

interface Parameter {
  $ref?: string
  name?: string
  in?: string
  schema?: { type?: string; enum?: unknown[] }
}
interface Operation {
  externalDocs?: { url: string }
  parameters?: Parameter[]
  requestBody?: { content?: Record<string, { schema?: object }> }
}
interface Spec {
  paths: Record<string, Record<string, Operation>>
  components: { parameters?: Record<string, Parameter> }
}

let spec: Spec | undefined
let ajv: Ajv | undefined
const validators = new Map<string, ValidateFunction | null>()

function load(): { spec: Spec; ajv: Ajv } {
  if (!spec || !ajv) {
    const require = createRequire(import.meta.url)
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json')
    spec = JSON.parse(readFileSync(file, 'utf8')) as Spec
    // strict off: the description uses `example`, `x-github` and other annotation keywords
    ajv = new Ajv({ strict: false, allErrors: false })
    // ajv-formats is CommonJS: depending on the loader its plugin arrives as the default export or wrapped in it
    const formats = addFormatsModule as unknown as FormatsPlugin | { default: FormatsPlugin }
    ;('default' in formats ? formats.default : formats)(ajv)
    ajv.addSchema({ components: spec.components }, 'github')
  }
  return { spec, ajv }
}

/** Point local `#/components/...` references at the registered `github` document. */
function rebase(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebase)
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(node)) {
      out[k] =
        k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `github${v}` : rebase(v)
    }
    return nullable(out)
  }
  return node
}

/**
 * OpenAPI 3.0's `nullable: true` as JSON Schema, which Ajv understands only beside a `type`: null
 * is allowed too (by type, by enum, or beside a `oneOf` such as the issue `milestone`'s).
 */
function nullable(schema: Record<string, unknown>): Record<string, unknown> {
  if (schema.nullable !== true) return schema
  const { nullable: _, ...rest } = schema
  if (typeof rest.type === 'string') {
    const enumerated = Array.isArray(rest.enum) ? { enum: [...(rest.enum as unknown[]), null] } : {}
    return { ...rest, ...enumerated, type: [rest.type, 'null'] }
  }
  return { anyOf: [rest, { type: 'null' }] }
}

function operation(method: string, template: string): Operation | undefined {
  return load().spec.paths[template]?.[method.toLowerCase()]
}

/** The docs.github.com page GitHub links in `documentation_url` for this operation. */
export function documentationUrl(method: string, template: string): string {
  return operation(method, template)?.externalDocs?.url ?? 'https://docs.github.com/rest'
}

function describe(error: ErrorObject, data: unknown): string {
  const at = error.instancePath.replace(/^\//, '').split('/').filter(Boolean)
  const where = at.length ? `For 'properties/${at.join('/properties/')}', ` : ''
  const value = JSON.stringify(
    at.reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], data)
  )
  switch (error.keyword) {
    case 'required':
      return `"${String(error.params.missingProperty)}" wasn't supplied.`
    case 'type':
      return `${where}${value} is not ${/^[aeiou]/.test(String(error.params.type)) ? 'an' : 'a'} ${String(error.params.type)}.`
    case 'pattern':
      return `${JSON.parse(value ?? '""') as string} does not match /${String(error.params.pattern)}/.`
    case 'enum':
      return `${where}${value} is not a member of ${JSON.stringify(error.params.allowedValues)}.`
    case 'additionalProperties':
      return `"${String(error.params.additionalProperty)}" is not a permitted key.`
    default:
      return `${where}${value} ${error.message ?? 'is invalid'}.`
  }
}

/**
 * Validate `body` against the operation's JSON request schema.
 * Returns GitHub's 422 message on mismatch, undefined when the body is acceptable.
 */
export function validateBody(method: string, template: string, body: unknown): string | undefined {
  const key = `${method} ${template}`
  let validate = validators.get(key)
  if (validate === undefined) {
    const schema = operation(method, template)?.requestBody?.content?.['application/json']?.schema
    validate = schema ? load().ajv.compile(rebase(schema) as object) : null
    validators.set(key, validate)
  }
  if (!validate || validate(body)) return undefined
  const first = validate.errors?.[0]
  return `Invalid request.\n\n${first ? describe(first, body) : 'Invalid input.'}`
}

/**
 * Check the query parameters GitHub's description restricts to an enum (`status`, `filter`,
 * `type`, `sort`, `direction`...). Returns a 422 message for a value outside it: GitHub's docs
 * name the accepted values and no others, so the emulator refuses the rest rather than guess.
 */
export function validateQuery(
  method: string,
  template: string,
  query: URLSearchParams
): string | undefined {
  const { spec } = load()
  for (const p of operation(method, template)?.parameters ?? []) {
    const param = p.$ref ? spec.components.parameters?.[p.$ref.split('/').pop() ?? ''] : p
    const allowed = param?.schema?.enum
    if (param?.in !== 'query' || !param.name || !allowed) continue
    for (const value of query.getAll(param.name)) {
      // an empty value is no value: the parameter's default applies
      if (value !== '' && !allowed.includes(value)) {
        return `Invalid request.\n\nFor '${param.name}', ${JSON.stringify(value)} is not a member of ${JSON.stringify(allowed)}.`
      }
    }
  }
  return undefined
}
