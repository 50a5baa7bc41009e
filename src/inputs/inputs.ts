/**
 * Every action input, read once, parsed and validated into a typed object. Nothing else reads
 * inputs, and nothing is sent anywhere until every input (and the manifest) has passed.
 */
import { isAbsolute, join, resolve } from 'node:path'
import * as core from '@actions/core'
import { readGitHubAuth, type GitHubAuth } from './github-auth.js'
import type { readManifest } from './manifest.js'
import { partitionProblem, regionProblem, roleArnProblem } from './aws-account.js'
import { field, type Problem } from './problems.js'
import type { SecretNames } from '../rotation/job.js'
import { secretNameProblem, type UserSpec, checkUsers } from './users.js'
import { parseTargetSpec, TARGET_FIELDS, type TargetSpec } from './target-spec.js'
import { USER_SETTINGS, wholeNumberProblem } from './user-settings.js'
import { IN_FLIGHT_MODES, type InFlightMode, type Settings } from '../rotation/job.js'
import { DAY_MS } from '../rotation/day.js'

/** The action's input names, exactly as `action.yml` declares them. */
export enum Input {
  IamUserName = 'iam-user-name',
  Manifest = 'manifest',
  RoleToAssume = 'role-to-assume',
  AwsRegion = 'aws-region',
  Audience = 'audience',
  RoleSessionName = 'role-session-name',
  RoleDurationSeconds = 'role-duration-seconds',
  GitHubToken = 'github-token',
  AppId = 'app-id',
  AppPrivateKey = 'app-private-key',
  Repositories = 'repositories',
  Environments = 'environments',
  Organizations = 'organizations',
  OrganizationSecretVisibility = 'organization-secret-visibility',
  OrganizationSelectedRepositories = 'organization-selected-repositories',
  DependabotRepositories = 'dependabot-repositories',
  DependabotOrganizations = 'dependabot-organizations',
  AccessKeyIdSecretName = 'access-key-id-secret-name',
  SecretAccessKeySecretName = 'secret-access-key-secret-name',
  VerifyTimeoutSeconds = 'verify-timeout-seconds',
  DeleteOldKey = 'delete-old-key',
  MaxAgeDays = 'max-age-days',
  Force = 'force',
  GracePeriodDays = 'grace-period-days',
  DryRun = 'dry-run',
  InFlightRuns = 'in-flight-runs',
  DrainTimeoutMinutes = 'drain-timeout-minutes',
  DrainCapDays = 'drain-cap-days',
  FailureIssues = 'failure-issues',
  IssuesToken = 'issues-token',
  FailureIssueLabel = 'failure-issue-label',
  Mode = 'mode',
  InventoryMaxKeyAgeDays = 'inventory-max-key-age-days',
  InventoryUnusedDays = 'inventory-unused-days',
  SarifFile = 'sarif-file',
  InventoryRoles = 'inventory-roles'
}

/** Defaults, identical to `action.yml` (a test holds the two together). */
export const DEFAULTS: Partial<Record<Input, string>> = {
  [Input.AwsRegion]: 'us-east-1',
  [Input.Audience]: 'sts.amazonaws.com',
  [Input.RoleSessionName]: 'rotate-iam-key',
  [Input.RoleDurationSeconds]: '900',
  [Input.AccessKeyIdSecretName]: 'AWS_ACCESS_KEY_ID',
  [Input.SecretAccessKeySecretName]: 'AWS_SECRET_ACCESS_KEY',
  [Input.VerifyTimeoutSeconds]: '60',
  [Input.DeleteOldKey]: 'true',
  [Input.MaxAgeDays]: '0',
  [Input.Force]: 'false',
  [Input.GracePeriodDays]: '0',
  [Input.DryRun]: 'false',
  [Input.InFlightRuns]: 'wait',
  [Input.DrainTimeoutMinutes]: '10',
  [Input.DrainCapDays]: '35',
  [Input.FailureIssues]: 'false',
  [Input.FailureIssueLabel]: 'rotate-iam-key',
  [Input.Mode]: 'rotate',
  [Input.InventoryMaxKeyAgeDays]: '90',
  [Input.InventoryUnusedDays]: '45'
}

export type { GitHubAuth } from './github-auth.js'

/** The validated settings of one run. */
export interface Inputs extends Settings {
  users: UserSpec[]
  /**
   * Assume this role through GitHub's OIDC token; absent: use the credentials in the environment.
   * The default of manifest users that name no `role-to-assume` of their own.
   */
  role?: Role
  /** How every role is assumed (the input's and the manifest users' own); absent when none is. */
  assume?: RoleOptions
  /** The default of manifest users that name no `aws-region` of their own. */
  region: string
  github: GitHubAuth
  /** Open an issue per user that failed in the repository running the rotation (`failure-issues`). */
  failureIssues?: FailureIssues
}

/** How failure issues are filed: with this token, under this label. */
export interface FailureIssues {
  token: string
  label: string
}

/** How a role is assumed with GitHub's OIDC token: the same for every role of a run. */
export interface RoleOptions {
  audience: string
  sessionName: string
  durationSeconds: number
}

/** A role to assume, and how. */
export interface Role extends RoleOptions {
  arn: string
}

/**
 * Thrown when inputs are invalid; carries every problem at once, as facts. Its message is a label:
 * src/report/inputs.ts words the problems.
 */
export class InputError extends Error {
  constructor(readonly problems: Problem[]) {
    super('invalid inputs')
    this.name = 'InputError'
  }
}

const SESSION_NAME = /^[\w+=,.@-]{2,64}$/

/** How every role of a run is assumed (audience, session name and length); pushes each problem. */
function readRoleOptions(
  read: (name: Input) => string,
  int: (name: Input, min: number, max: number) => number,
  problems: Problem[]
): RoleOptions {
  const sessionName = read(Input.RoleSessionName)
  if (!SESSION_NAME.test(sessionName)) {
    problems.push(
      field({ input: Input.RoleSessionName }, { rule: 'session-name', got: sessionName })
    )
  }
  const audience = read(Input.Audience)
  if (!audience) problems.push(field({ input: Input.Audience }, { rule: 'empty' }))
  return { audience, sessionName, durationSeconds: int(Input.RoleDurationSeconds, 900, 43200) }
}

/** Split a list input on newlines and commas, trimming blanks. */
export function parseList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

/** Reads and checks a manifest file: src/inputs/manifest.ts, loaded only by a run that has one. */
export type ManifestReader = typeof readManifest

/**
 * The manifest reader when the `manifest` input is set, else nothing: the YAML parser and the
 * schema's validator are loaded only by a run that has a manifest, not at every start-up.
 */
export async function loadManifestReader(): Promise<ManifestReader | undefined> {
  return core.getInput(Input.Manifest) ? (await import('./manifest.js')).readManifest : undefined
}

/**
 * Read, parse and validate every input; throws {@link InputError} listing all problems. A
 * `manifest` is read with `readManifest`, from {@link loadManifestReader}.
 */
export function getInputs(
  env: NodeJS.ProcessEnv = process.env,
  readManifest?: ManifestReader
): Inputs {
  const { problems, read, int } = startReading()
  const { region, roleArn } = readAws(read, problems)

  const github = readGitHubAuth(
    {
      token: read(Input.GitHubToken),
      appId: read(Input.AppId),
      privateKey: read(Input.AppPrivateKey)
    },
    problems
  )

  const secretNames: SecretNames = {
    accessKeyId: read(Input.AccessKeyIdSecretName),
    secretAccessKey: read(Input.SecretAccessKeySecretName)
  }
  for (const [input, name] of [
    [Input.AccessKeyIdSecretName, secretNames.accessKeyId],
    [Input.SecretAccessKeySecretName, secretNames.secretAccessKey]
  ] as const) {
    const why = secretNameProblem(name)
    if (why) problems.push(field({ input }, { rule: 'secret-name', got: name, why }))
  }

  const verifyTimeoutMs = int(Input.VerifyTimeoutSeconds, 1, 900) * 1000

  const bool = (name: Input): boolean => {
    const raw = read(name)
    const value = /^(true|True|TRUE)$/.test(raw)
    if (!value && !/^(false|False|FALSE)$/.test(raw)) {
      problems.push(field({ input: name }, { rule: 'boolean', got: raw }))
    }
    return value
  }
  const deleteOldKey = bool(Input.DeleteOldKey)
  const force = bool(Input.Force)
  const dryRun = bool(Input.DryRun)
  // The ranges a manifest's own `max-age-days` and `grace-period-days` are held to as well.
  const [age, grace] = USER_SETTINGS
  const maxAgeDays = int(Input.MaxAgeDays, age.min, age.max)
  const gracePeriodDays = int(Input.GracePeriodDays, grace.min, grace.max)
  const mode = read(Input.InFlightRuns).toLowerCase()
  if (!(IN_FLIGHT_MODES as readonly string[]).includes(mode)) {
    problems.push(
      field(
        { input: Input.InFlightRuns },
        { rule: 'in-flight-runs', got: read(Input.InFlightRuns) }
      )
    )
  }
  const inFlightRuns = mode as InFlightMode
  const drainTimeoutMs = int(Input.DrainTimeoutMinutes, 0, 340) * 60_000
  const drainCapMs = int(Input.DrainCapDays, 1, 35) * DAY_MS

  const failureIssues = readFailureIssues(read, bool(Input.FailureIssues), env, problems)

  const users = readUsers(read, env, secretNames, problems, readManifest)
  // A manifest user's own role or region is checked with the other half it is assumed with.
  for (const user of users) {
    const arn = user.account?.roleArn ?? roleArn
    const own = user.account?.region ?? region
    const problem = arn && user.account ? partitionProblem(arn, own) : undefined
    const place = { input: Input.RoleToAssume, user: user.source ?? user.userName }
    if (problem) problems.push(field(place, problem))
  }
  // Every role, the input's and the manifest's, is assumed the same way.
  const { role, assume } = readRoles(
    read,
    int,
    problems,
    roleArn,
    users.some((u) => u.account?.roleArn)
  )
  if (problems.length === 0) problems.push(...checkUsers(users))
  if (problems.length > 0) throw new InputError(problems)
  return {
    users,
    role,
    ...(assume ? { assume } : {}),
    region,
    github,
    verifyTimeoutMs,
    deleteOldKey,
    maxAgeDays,
    force,
    gracePeriodDays,
    dryRun,
    inFlightRuns,
    drainTimeoutMs,
    drainCapMs,
    ...(failureIssues ? { failureIssues } : {})
  }
}

/** GitHub's longest label name. */
const MAX_LABEL = 50

/** The failure-issue settings when `failure-issues` is on; pushes a problem for each one wrong. */
function readFailureIssues(
  read: (name: Input) => string,
  on: boolean,
  env: NodeJS.ProcessEnv,
  problems: Problem[]
): FailureIssues | undefined {
  if (!on) return undefined
  const token = read(Input.IssuesToken)
  const label = read(Input.FailureIssueLabel)
  if (!token) {
    problems.push({ kind: 'issues-token-missing' })
  } else if (!/^[\x21-\x7e]+$/.test(token)) {
    problems.push(field({ input: Input.IssuesToken }, { rule: 'issues-token-alone' }))
  }
  if (!label || label.length > MAX_LABEL || label.includes(',')) {
    problems.push(
      field({ input: Input.FailureIssueLabel }, { rule: 'label', got: label, max: MAX_LABEL })
    )
  }
  if (!env.GITHUB_REPOSITORY) problems.push({ kind: 'issues-without-repository' })
  return { token, label }
}

export const MODES = ['rotate', 'inventory'] as const
export type Mode = (typeof MODES)[number]

/** The settings of an inventory run: read-only, no GitHub token, no target. */
export interface InventoryInputs {
  /**
   * The admin role of each account to list, each assumed with the job's OIDC identity:
   * `inventory-roles`, else `role-to-assume`; empty: the credentials of the environment.
   */
  roles: NonNullable<Inputs['role']>[]
  region: string
  /** IAM.3 flags an Active key older than `maxKeyAgeDays`; IAM.22 one unused `unusedDays` or more. */
  limits: { maxKeyAgeDays: number; unusedDays: number }
  /** Where the SARIF file is written (absolute). */
  sarifFile: string
}

/** The `mode` input; throws {@link InputError} naming the modes when it is neither. */
export function readMode(): Mode {
  const raw = core.getInput(Input.Mode) || DEFAULTS[Input.Mode] || ''
  const mode = raw.toLowerCase()
  if ((MODES as readonly string[]).includes(mode)) return mode as Mode
  throw new InputError([field({ input: Input.Mode }, { rule: 'mode', got: raw })])
}

/** Inputs that only a rotation uses: an inventory lists every user and writes no secret. */
const ROTATION_ONLY = [
  Input.IamUserName,
  Input.Manifest,
  ...(TARGET_FIELDS as unknown as Input[]),
  Input.GitHubToken,
  Input.AppId,
  Input.AppPrivateKey
]

/**
 * Read and check the inputs of `mode: inventory`; throws {@link InputError} listing every
 * problem. The SARIF file goes to `sarif-file` (relative to the workspace), or into RUNNER_TEMP.
 */
export function getInventoryInputs(env: NodeJS.ProcessEnv = process.env): InventoryInputs {
  const { problems, read, int } = startReading()
  const more = parseList(read(Input.InventoryRoles))
  const { region, roleArn } = readAws(read, problems)
  const { role, assume } = readRoles(read, int, problems, roleArn, more.length > 0)
  const roles = [...(role ? [role] : [])]
  for (const arn of more) {
    const problem = roleArnProblem(arn) ?? partitionProblem(arn, region)
    if (problem) problems.push(field({ input: Input.InventoryRoles, entry: arn }, problem))
    else if (assume && !roles.some((r) => r.arn === arn)) roles.push({ arn, ...assume })
  }
  const set = ROTATION_ONLY.filter((name) => core.getInput(name) !== '')
  if (set.length > 0) problems.push({ kind: 'rotation-only', inputs: set })
  const maxKeyAgeDays = int(Input.InventoryMaxKeyAgeDays, 1, 3650)
  const unusedDays = int(Input.InventoryUnusedDays, 1, 3650)
  const raw = read(Input.SarifFile)
  const base = env.GITHUB_WORKSPACE || process.cwd()
  const sarifFile = raw
    ? isAbsolute(raw)
      ? raw
      : resolve(base, raw)
    : join(env.RUNNER_TEMP || base, 'rotate-iam-key-inventory.sarif')
  if (!sarifFile.endsWith('.sarif') && !sarifFile.endsWith('.json')) {
    problems.push(field({ input: Input.SarifFile }, { rule: 'sarif-file', got: raw }))
  }
  if (problems.length > 0) throw new InputError(problems)
  return { roles, region, limits: { maxKeyAgeDays, unusedDays }, sarifFile }
}

/** The region and the role ARN (empty: none): every mode reaches AWS the same way. */
function readAws(
  read: (name: Input) => string,
  problems: Problem[]
): { region: string; roleArn: string } {
  const region = read(Input.AwsRegion)
  const badRegion = regionProblem(region)
  if (badRegion) problems.push(field({ input: Input.AwsRegion }, badRegion))
  const roleArn = read(Input.RoleToAssume)
  if (roleArn) {
    const problem = roleArnProblem(roleArn) ?? partitionProblem(roleArn, region)
    if (problem) problems.push(field({ input: Input.RoleToAssume }, problem))
  }
  return { region, roleArn }
}

/**
 * How roles are assumed, read only when one is: `roleArn`'s or `others` (the manifest's, the
 * inventory's), so a run with the environment's credentials is not held to the role inputs.
 */
function readRoles(
  read: (name: Input) => string,
  int: (name: Input, min: number, max: number) => number,
  problems: Problem[],
  roleArn: string,
  others: boolean
): { role: Inputs['role']; assume?: RoleOptions } {
  if (!roleArn && !others) return { role: undefined }
  const assume = readRoleOptions(read, int, problems)
  return { role: roleArn ? { arn: roleArn, ...assume } : undefined, assume }
}

/**
 * What every mode reads its inputs with: the credential inputs masked first, so no message, nor
 * any later, may show a credential, even a malformed one; each problem collected, none thrown.
 */
function startReading(): {
  problems: Problem[]
  read: (name: Input) => string
  int: (name: Input, min: number, max: number) => number
} {
  const problems: Problem[] = []
  maskCredentials()
  const read = (name: Input): string => core.getInput(name) || DEFAULTS[name] || ''
  const int = (name: Input, min: number, max: number): number => {
    const raw = read(name)
    const problem = wholeNumberProblem(raw, min, max)
    if (problem) problems.push(field({ input: name }, problem))
    return Number(raw)
  }
  return { problems, read, int }
}

/**
 * Register every credential input with the runner's masker, before anything is checked. A runner
 * masks line by line, so each line of a multi-line value is registered on its own, as well as the
 * whole.
 */
function maskCredentials(): void {
  for (const name of [Input.GitHubToken, Input.AppPrivateKey, Input.IssuesToken]) {
    const raw = core.getInput(name, { trimWhitespace: false })
    const values = new Set([raw.trim(), ...raw.split(/\r?\n|\r/).map((line) => line.trim())])
    for (const value of values) if (value) core.setSecret(value)
  }
}

function readUsers(
  read: (name: Input) => string,
  env: NodeJS.ProcessEnv,
  secretNames: SecretNames,
  problems: Problem[],
  readManifest: ManifestReader | undefined
): UserSpec[] {
  const manifest = read(Input.Manifest)
  const userName = read(Input.IamUserName)
  const spec: TargetSpec = Object.fromEntries(
    TARGET_FIELDS.map((f) => [f, parseList(read(f as Input))])
  )
  const anyTarget = TARGET_FIELDS.some((f) => (spec[f]?.length ?? 0) > 0)
  if (manifest) {
    if (userName || anyTarget) problems.push({ kind: 'manifest-and-inputs' })
    // Cannot happen: index.ts loads the reader whenever the input is set.
    if (!readManifest) throw new Error('manifest-reader-unloaded')
    const read = readManifest(manifest, env.GITHUB_WORKSPACE ?? process.cwd(), secretNames)
    problems.push(...read.problems)
    return read.users
  }
  if (!userName) problems.push({ kind: 'user-missing' })
  if (!anyTarget) {
    if (env.GITHUB_REPOSITORY) spec.repositories = [env.GITHUB_REPOSITORY]
    else problems.push({ kind: 'no-target' })
  }
  const { targets, problems: found } = parseTargetSpec(spec)
  problems.push(...found.map((p) => field({ input: p.field }, p.fault)))
  return [{ userName, targets, secretNames }]
}
