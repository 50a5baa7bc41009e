/**
 * Every action input, read once, parsed and validated into a typed object. Nothing else reads
 * inputs, and nothing is sent anywhere until every input has passed.
 */
import * as core from '@actions/core'
import type { Target } from './github/targets.js'

/** The action's input names, exactly as `action.yml` declares them. */
export enum Input {
  IamUserName = 'iam-user-name',
  RoleToAssume = 'role-to-assume',
  AwsRegion = 'aws-region',
  Audience = 'audience',
  RoleSessionName = 'role-session-name',
  RoleDurationSeconds = 'role-duration-seconds',
  GitHubToken = 'github-token',
  Repositories = 'repositories',
  AccessKeyIdSecretName = 'access-key-id-secret-name',
  SecretAccessKeySecretName = 'secret-access-key-secret-name',
  VerifyTimeoutSeconds = 'verify-timeout-seconds',
  DeleteOldKey = 'delete-old-key'
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
  [Input.DeleteOldKey]: 'true'
}

/** The validated settings of one run. */
export interface Inputs {
  userName: string
  /** Assume this role through GitHub's OIDC token; absent: use the credentials in the environment. */
  role?: { arn: string; audience: string; sessionName: string; durationSeconds: number }
  region: string
  githubToken: string
  targets: Target[]
  secretNames: { accessKeyId: string; secretAccessKey: string }
  verifyTimeoutMs: number
  deleteOldKey: boolean
}

/** Thrown when inputs are invalid; lists every problem at once. */
export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? `Invalid input: ${problems[0]}`
        : `Invalid inputs:\n${problems.map((p) => `  - ${p}`).join('\n')}`
    )
    this.name = 'InputError'
  }
}

const IAM_USER_NAME = /^[\w+=,.@-]{1,64}$/
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/
const REPO = /^[A-Za-z0-9._-]{1,100}$/

/**
 * Why `name` is not a valid GitHub secret name, or undefined when it is. GitHub's rules: letters,
 * digits and underscores only, not starting with a digit or `GITHUB_` (case-insensitive).
 */
export function secretNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9_]+$/.test(name)) return 'may contain only letters, digits and underscores'
  if (/^[0-9]/.test(name)) return 'must not start with a digit'
  if (/^GITHUB_/i.test(name)) return "must not start with 'GITHUB_' (GitHub reserves that prefix)"
  return undefined
}

/** Split a list input on newlines and commas, trimming blanks. */
export function parseList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

/** Read, parse and validate every input; throws {@link InputError} listing all problems. */
export function getInputs(env: NodeJS.ProcessEnv = process.env): Inputs {
  const problems: string[] = []
  const read = (name: Input): string => core.getInput(name) || DEFAULTS[name] || ''
  const int = (name: Input, min: number, max: number): number => {
    const raw = read(name)
    const value = Number(raw)
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`'${name}' must be a whole number from ${min} to ${max}, got '${raw}'`)
    }
    return value
  }

  const userName = read(Input.IamUserName)
  if (!userName)
    problems.push(`'${Input.IamUserName}' is required: the IAM user whose key to rotate`)
  else if (!IAM_USER_NAME.test(userName)) {
    problems.push(
      `'${Input.IamUserName}' must be an IAM user name (1-64 of letters, digits and +=,.@_-), got '${userName}'`
    )
  }

  const region = read(Input.AwsRegion)
  if (!REGION.test(region)) {
    problems.push(`'${Input.AwsRegion}' must look like 'us-east-1', got '${region}'`)
  }

  let role: Inputs['role']
  const roleArn = read(Input.RoleToAssume)
  if (roleArn) {
    if (!ROLE_ARN.test(roleArn)) {
      problems.push(
        `'${Input.RoleToAssume}' must be a role ARN like 'arn:aws:iam::123456789012:role/rotate-iam-key', got '${roleArn}'`
      )
    }
    const sessionName = read(Input.RoleSessionName)
    if (!SESSION_NAME.test(sessionName)) {
      problems.push(
        `'${Input.RoleSessionName}' must be 2-64 of letters, digits and +=,.@_-, got '${sessionName}'`
      )
    }
    const audience = read(Input.Audience)
    if (!audience) problems.push(`'${Input.Audience}' must not be empty`)
    role = {
      arn: roleArn,
      audience,
      sessionName,
      durationSeconds: int(Input.RoleDurationSeconds, 900, 43200)
    }
  }

  const githubToken = read(Input.GitHubToken)
  if (!githubToken) {
    problems.push(
      `'${Input.GitHubToken}' is required: a fine-grained token with 'Secrets: read and write' on every target repository (the workflow's GITHUB_TOKEN cannot write secrets)`
    )
  }

  const targets = parseTargets(read(Input.Repositories), env.GITHUB_REPOSITORY, problems)

  const secretNames = {
    accessKeyId: read(Input.AccessKeyIdSecretName),
    secretAccessKey: read(Input.SecretAccessKeySecretName)
  }
  for (const [input, name] of [
    [Input.AccessKeyIdSecretName, secretNames.accessKeyId],
    [Input.SecretAccessKeySecretName, secretNames.secretAccessKey]
  ] as const) {
    const problem = secretNameProblem(name)
    if (problem) problems.push(`'${input}' is not a valid GitHub secret name: '${name}' ${problem}`)
  }
  if (secretNames.accessKeyId.toUpperCase() === secretNames.secretAccessKey.toUpperCase()) {
    problems.push(
      `'${Input.AccessKeyIdSecretName}' and '${Input.SecretAccessKeySecretName}' must differ (GitHub secret names are case-insensitive), both are '${secretNames.accessKeyId}'`
    )
  }

  const verifyTimeoutMs = int(Input.VerifyTimeoutSeconds, 1, 900) * 1000

  const deleteRaw = read(Input.DeleteOldKey)
  const deleteOldKey = /^(true|True|TRUE)$/.test(deleteRaw)
  if (!deleteOldKey && !/^(false|False|FALSE)$/.test(deleteRaw)) {
    problems.push(`'${Input.DeleteOldKey}' must be 'true' or 'false', got '${deleteRaw}'`)
  }

  if (problems.length > 0) throw new InputError(problems)
  return {
    userName,
    role,
    region,
    githubToken,
    targets,
    secretNames,
    verifyTimeoutMs,
    deleteOldKey
  }
}

function parseTargets(raw: string, current: string | undefined, problems: string[]): Target[] {
  const names = parseList(raw)
  if (names.length === 0) {
    if (!current) {
      problems.push(
        `'${Input.Repositories}' is empty and GITHUB_REPOSITORY is not set: list the repositories as 'owner/repo'`
      )
    } else names.push(current)
  }
  const seen = new Set<string>()
  const targets: Target[] = []
  for (const name of names) {
    const [owner = '', repo = '', ...rest] = name.split('/')
    if (rest.length > 0 || !OWNER.test(owner) || !REPO.test(repo)) {
      problems.push(`'${Input.Repositories}' entries must look like 'owner/repo', got '${name}'`)
      continue
    }
    // GitHub treats repository names case-insensitively: one target per repository.
    const key = name.toLowerCase()
    if (seen.has(key)) continue
    seen.add(key)
    targets.push({ kind: 'repository', owner, repo })
  }
  return targets
}
