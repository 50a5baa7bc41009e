/**
 * A fleet manifest: a YAML file in the repository listing IAM users, each with its targets and
 * secret names. Checked against a schema, then field by field; every problem is reported at once
 * with the file, line and column, before anything changes.
 */
import type { ErrorObject } from 'ajv'
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml'
import { regionProblem, roleArnProblem, type UserAccount } from './aws-account.js'
import { readManifestFile } from './manifest-file.js'
import { MANIFEST_SCHEMA, organization } from './manifest-schema.js'
import { validate } from './manifest-validator.generated.js'
import { printable } from './quote.js'
import { field, type Fault, type Problem, type SchemaDetail } from './problems.js'
import type { OrganizationSpec } from './organization-spec.js'
import {
  ORGANIZATION_FIELDS,
  parseTargetSpec,
  TARGET_FIELDS,
  type TargetSpec
} from './target-spec.js'
import { USER_SETTINGS, wholeNumberProblem, type UserSettings } from './user-settings.js'
import type { SecretNames } from '../rotation/job.js'
import { secretNameProblem, type UserSpec } from './users.js'

interface RawUser extends Record<string, unknown> {
  'iam-user-name': string
}

/**
 * Read and check the manifest at `path` (relative to `workspace`): a small regular file inside the
 * workspace, links followed (see manifest-file.ts).
 */
export function readManifest(
  path: string,
  workspace: string,
  defaults: SecretNames
): { users: UserSpec[]; problems: Problem[] } {
  const file = readManifestFile(path, workspace)
  return 'problem' in file
    ? { users: [], problems: [{ kind: 'manifest-file', path, fault: file.problem }] }
    : parseManifest(file.text, file.shown, defaults)
}

/**
 * Parse manifest text; `name` is the file name messages show.
 *
 * What a message may quote from the file: nothing, until the file shows it is a manifest — a
 * YAML mapping with the top-level key `users`. Any other file (a path mistyped, or pointed at
 * something else on purpose) gets one message that quotes nothing from it, since quoting a YAML
 * error or an unknown key would print lines of a file that is not ours, a secret perhaps. Even in
 * a manifest, unknown keys are named but their values never shown, and whatever is quoted is made
 * one printable line.
 */
export function parseManifest(
  text: string,
  name: string,
  defaults: SecretNames
): { users: UserSpec[]; problems: Problem[] } {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false })
  const shown = printable(name)
  const where = (offset: number): string => {
    const { line, col } = lines.linePos(offset)
    return `${shown}:${line}:${col}`
  }
  if (!isManifest(doc)) {
    const first = doc.errors[0]
    const yaml = first ? { yaml: { code: first.code, where: where(first.pos[0]) } } : {}
    return { users: [], problems: [{ kind: 'not-manifest', file: shown, ...yaml }] }
  }
  if (doc.errors.length > 0) {
    return {
      users: [],
      problems: doc.errors.map((e) => ({
        kind: 'yaml',
        where: where(e.pos[0]),
        message: e.message
      }))
    }
  }
  let data: unknown
  try {
    // Aliases are resolved here, not while parsing: one to nothing, or too many, throws.
    data = doc.toJS()
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return { users: [], problems: [{ kind: 'yaml-data', file: shown, message }] }
  }
  // Report schema problems and field problems together: a person fixes the file in one pass.
  const problems = validate(data)
    ? []
    : (validate.errors ?? []).map((e) => schemaProblem(doc, e, where))
  const manifest = wellFormed(data)
  const at = (path: (string | number)[], fault: Fault): void => {
    const problem = field({ where: where(offsetOf(doc, path)), path }, fault)
    // The schema may have said it already (e.g. an unknown visibility): say each thing once.
    if (!problems.some((p) => subject(p) === subject(problem))) problems.push(problem)
  }
  /** The settings `entry` (at `path`) sets, each checked as its input is. */
  const settingsOf = (entry: Record<string, unknown>, path: (string | number)[]): UserSettings => {
    const found: UserSettings = {}
    for (const { name, key, min, max } of USER_SETTINGS) {
      const value = entry[name]
      // Absent, or of a type the schema has reported.
      if (typeof value !== 'number' && typeof value !== 'string') continue
      const problem = wholeNumberProblem(String(value), min, max)
      if (problem) at([...path, name], problem)
      else found[key] = Number(value)
    }
    return found
  }
  /** The role and region `entry` (at `path`) names, each checked as its input is. */
  const accountOf = (entry: Record<string, unknown>, path: (string | number)[]): UserAccount => {
    const found: UserAccount = {}
    for (const [name, key, problemOf] of [
      ['role-to-assume', 'roleArn', roleArnProblem],
      ['aws-region', 'region', regionProblem]
    ] as const) {
      const value = entry[name]
      if (typeof value !== 'string') continue // absent, or a type the schema has reported
      const problem = problemOf(value)
      if (problem) at([...path, name], problem)
      else found[key] = value
    }
    return found
  }
  // Checked once, not once per user; a user's own value wins over it.
  const shared = settingsOf(manifest.defaults ?? {}, ['defaults'])
  const sharedAccount = accountOf(manifest.defaults ?? {}, ['defaults'])
  const users = manifest.users.map((raw, i): UserSpec => {
    const spec: TargetSpec = Object.fromEntries(
      TARGET_FIELDS.map((f) => [f, asList(raw[f], ORGANIZATION_FIELDS.includes(f as never))])
    )
    const { targets, problems: found } = parseTargetSpec(spec)
    for (const p of found) {
      const path = [
        'users',
        i,
        p.field,
        ...(p.index === undefined ? [] : [p.index]),
        ...(p.path ?? [])
      ]
      at(within(data, path), p.fault)
    }
    const names = {
      accessKeyId: pick(raw, manifest.defaults, 'access-key-id-secret-name', defaults.accessKeyId),
      secretAccessKey: pick(
        raw,
        manifest.defaults,
        'secret-access-key-secret-name',
        defaults.secretAccessKey
      )
    }
    for (const [key, value] of [
      ['access-key-id-secret-name', names.accessKeyId],
      ['secret-access-key-secret-name', names.secretAccessKey]
    ] as const) {
      const problem = secretNameProblem(value)
      if (problem) at(['users', i, key], { rule: 'secret-name', got: value, why: problem })
    }
    const settings = { ...shared, ...settingsOf(raw, ['users', i]) }
    const account = { ...sharedAccount, ...accountOf(raw, ['users', i]) }
    return {
      userName: raw['iam-user-name'],
      targets,
      secretNames: names,
      ...(Object.keys(settings).length > 0 ? { settings } : {}),
      ...(Object.keys(account).length > 0 ? { account } : {}),
      source: where(offsetOf(doc, ['users', i]))
    }
  })
  return { users, problems }
}

/** A YAML mapping with the manifest's top-level key: what a manifest starts as, even a broken one. */
function isManifest(doc: Document): boolean {
  return (
    isMap(doc.contents) &&
    doc.contents.items.some((p) => isScalar(p.key) && p.key.value === 'users')
  )
}

const record = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** A string or a list of strings, as a list; anything else (the schema reports it) as nothing. */
function strings(v: unknown): string[] | undefined {
  if (typeof v === 'string') return [v]
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined
}

/**
 * A target field as a list for parseTargetSpec: strings, and with `entries` organization mappings
 * too. An element of another shape (the schema has reported it) is a hole, so that the rest keep
 * the indexes they have in the file and are checked all the same.
 */
function asList(v: unknown, entries: boolean): (OrganizationSpec | undefined)[] | undefined {
  if (!entries) return strings(v)
  if (typeof v === 'string') return [v]
  if (!Array.isArray(v)) return undefined
  return v.map((x): OrganizationSpec | undefined => {
    if (typeof x === 'string') return x
    if (!record(x) || typeof x.org !== 'string') return undefined
    const { visibility, 'selected-repositories': selected } = x
    const names = selected === undefined ? [] : strings(selected)
    if ((visibility !== undefined && typeof visibility !== 'string') || !names) return undefined
    return {
      org: x.org,
      ...(visibility === undefined ? {} : { visibility }),
      ...(names.length > 0 ? { 'selected-repositories': names } : {})
    }
  })
}

/** The longest start of `path` that exists in `data`: a problem in a list shown as one string stops there. */
function within(data: unknown, path: (string | number)[]): (string | number)[] {
  let node = data
  for (let n = 0; n < path.length; n++) {
    const key = path[n]!
    const next: unknown = Array.isArray(node)
      ? typeof key === 'number'
        ? (node as unknown[])[key]
        : undefined
      : record(node)
        ? node[key]
        : undefined
    if (next === undefined) return path.slice(0, n)
    node = next
  }
  return path
}

/** The parts of the data that have the right shape, for the field checks; the schema reports the rest. */
function wellFormed(data: unknown): { defaults?: Record<string, unknown>; users: RawUser[] } {
  if (!record(data) || !Array.isArray(data.users)) return { users: [] }
  return {
    defaults: record(data.defaults) ? data.defaults : undefined,
    users: data.users.map((u) => {
      const raw: Record<string, unknown> = record(u) ? u : {}
      return {
        ...raw,
        'iam-user-name': typeof raw['iam-user-name'] === 'string' ? raw['iam-user-name'] : ''
      }
    })
  }
}

function pick(
  raw: RawUser,
  defaults: Record<string, unknown> | undefined,
  field: string,
  fallback: string
): string {
  const own = raw[field]
  const shared = defaults?.[field]
  return typeof own === 'string' ? own : typeof shared === 'string' ? shared : fallback
}

/** Where a problem is and of what, to say each thing once; undefined for the whole manifest. */
function subject(p: Problem): string | undefined {
  if (p.kind === 'schema' && p.path.length > 0) return JSON.stringify([p.where, p.path])
  if (p.kind === 'field' && 'where' in p.place) return JSON.stringify([p.place.where, p.place.path])
  return undefined
}

/** Where the node at `path` starts; the nearest existing parent when it is missing. */
function offsetOf(doc: Document, path: (string | number)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as
      { range?: [number, number, number] } | undefined
    if (node && typeof node === 'object' && node.range) return node.range[0]
  }
  return 0
}

function schemaProblem(doc: Document, e: ErrorObject, where: (offset: number) => string): Problem {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')))
  if (e.keyword === 'additionalProperties') {
    const key = String((e.params as { additionalProperty: string }).additionalProperty)
    const map = doc.getIn(path, true)
    const pair = isMap(map)
      ? map.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key)
      : undefined
    const offset =
      pair && isScalar(pair.key) && pair.key.range ? pair.key.range[0] : offsetOf(doc, path)
    return { kind: 'unknown-key', where: where(offset), key, path, allowed: allowed(path) }
  }
  return { kind: 'schema', where: where(offsetOf(doc, path)), path, detail: detail(e, path) }
}

/** What Ajv found, as the report words it: the allowed values, the types, or Ajv's message. */
function detail(e: ErrorObject, path: (string | number)[]): SchemaDetail {
  if (e.keyword === 'enum')
    return { rule: 'enum', allowed: (e.params as { allowedValues: string[] }).allowedValues }
  if (e.keyword === 'type') {
    const type = (e.params as { type: string | string[] }).type
    const types = Array.isArray(type) ? type : type.split(',')
    // An organization field of a user: its list may hold mappings too.
    const entries = ORGANIZATION_FIELDS.includes(path[2] as never) && path.length === 3
    return { rule: 'type', types, entries }
  }
  return { rule: 'ajv', message: e.message ?? e.keyword }
}

function allowed(path: (string | number)[]): string[] {
  const props =
    path.length === 0
      ? MANIFEST_SCHEMA.properties
      : path[0] === 'defaults'
        ? MANIFEST_SCHEMA.properties.defaults.properties
        : path.length > 3
          ? organization.properties
          : MANIFEST_SCHEMA.properties.users.items.properties
  return Object.keys(props)
}
