/**
 * The admin role's permission policy (docs/policies/permission-policy.json) allows exactly the IAM
 * calls the action's code makes: the calls are read from src/ (every `new XxxCommand(` of a command
 * imported from '@aws-sdk/client-iam' is `iam:Xxx`), so a new call without a policy line fails
 * here. The trust policy admits one repository's environment in both subject forms GitHub issues
 * (name-based and immutable IDs), with `StringEquals`. docs/aws-setup.md embeds both policies; those
 * copies, and the policies in its Terraform and CloudFormation snippets (read out of the HCL's
 * `jsonencode(...)` and the parsed template, their partition/account references resolved to the
 * files' placeholders), must equal the files.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { parse as parseYaml } from 'yaml'

const ROOT = join(import.meta.dirname, '..')
const IAM_MODULE = '@aws-sdk/client-iam'

interface Statement {
  Sid?: string
  Effect: 'Allow' | 'Deny'
  Action?: string | string[]
  NotAction?: string | string[]
  Resource?: string | string[]
  NotResource?: string | string[]
  Principal?: unknown
  Condition?: Record<string, Record<string, string | string[]>>
}
interface Policy {
  Version: string
  Statement: Statement[]
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat())
const readPolicy = (name: string): Policy =>
  JSON.parse(readFileSync(join(ROOT, 'docs/policies', name), 'utf8')) as Policy

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return tsFiles(path)
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : []
  })
}

/** Where one IAM action is called, for the failure message. */
interface Call {
  action: string
  at: string
}

/**
 * Every IAM call in one source file: `new X(` where X is a `...Command` imported from the IAM
 * client (renamed imports and `import * as iam` included). The aggregated `IAM` client's methods
 * (`iam.createAccessKey()`) would escape this scan, so importing it is reported as a problem.
 */
function iamCalls(file: string): { calls: Call[]; problems: string[] } {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const commands = new Map<string, string>() // local name → command name
  const namespaces = new Set<string>()
  const problems: string[] = []
  const where = (node: ts.Node): string => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart())
    return `${relative(ROOT, file)}:${line + 1}`
  }

  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement)) continue
    if (!ts.isStringLiteral(statement.moduleSpecifier)) continue
    if (statement.moduleSpecifier.text !== IAM_MODULE) continue
    const bindings = statement.importClause?.namedBindings
    if (!bindings) continue
    if (ts.isNamespaceImport(bindings)) {
      namespaces.add(bindings.name.text)
      continue
    }
    for (const element of bindings.elements) {
      const imported = (element.propertyName ?? element.name).text
      if (imported.endsWith('Command')) commands.set(element.name.text, imported)
      if (imported === 'IAM') {
        problems.push(
          `${where(element)} imports the aggregated IAM client; send commands instead, so this test sees the calls`
        )
      }
    }
  }

  const calls: Call[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node)) {
      const callee = node.expression
      let command: string | undefined
      if (ts.isIdentifier(callee)) command = commands.get(callee.text)
      else if (
        ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(callee.expression) &&
        namespaces.has(callee.expression.text) &&
        callee.name.text.endsWith('Command')
      ) {
        command = callee.name.text
      }
      if (command)
        calls.push({ action: `iam:${command.slice(0, -'Command'.length)}`, at: where(node) })
    }
    if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      namespaces.has(node.expression.text) &&
      node.name.text === 'IAM'
    ) {
      problems.push(`${where(node)} uses the aggregated IAM client; send commands instead`)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return { calls, problems }
}

const scanned = tsFiles(join(ROOT, 'src')).map(iamCalls)
const calls = scanned.flatMap((s) => s.calls)
const calledActions = new Set(calls.map((c) => c.action))

const permission = readPolicy('permission-policy.json')
const trust = readPolicy('trust-policy.json')
const allowed = permission.Statement.filter((s) => s.Effect === 'Allow')
const allowedActions = new Set(allowed.flatMap((s) => list(s.Action)))

describe('permission policy', () => {
  it('the scan finds the IAM calls at the heart of a rotation', () => {
    // Guards the scanner itself: if it found nothing, every other check would pass vacuously.
    for (const a of ['iam:ListAccessKeys', 'iam:CreateAccessKey', 'iam:DeleteAccessKey']) {
      expect(calledActions).toContain(a)
    }
    expect(scanned.flatMap((s) => s.problems)).toEqual([])
  })

  it('allows every IAM action the code calls', () => {
    const missing = calls.filter((c) => !allowedActions.has(c.action))
    expect(missing.map((c) => `${c.action} (called at ${c.at})`)).toEqual([])
  })

  it('allows nothing the code does not call', () => {
    const unused = [...allowedActions].filter((a) => !calledActions.has(a))
    expect(unused).toEqual([])
  })

  it('has no wildcard, NotAction, NotResource or Deny-by-omission tricks', () => {
    for (const s of permission.Statement) {
      expect(s.Effect).toBe('Allow')
      expect(s.NotAction).toBeUndefined()
      expect(s.NotResource).toBeUndefined()
      for (const action of list(s.Action)) {
        expect(action).toMatch(/^iam:[A-Z][A-Za-z]+$/) // no `*`, no `?`, IAM only
      }
    }
  })

  /**
   * The inventory's read-only addition: it lists every user, so its resource is every user, and
   * it may only read (List and Get), never change.
   */
  const INVENTORY = 'InventoryReadAllUsers'
  const inventory = allowed.filter((s) => s.Sid === INVENTORY)

  it("the inventory's statement only reads, every user, and holds every call the inventory makes", () => {
    expect(inventory).toHaveLength(1)
    const [s] = inventory
    expect(list(s?.Resource)).toEqual(['arn:aws:iam::123456789012:user/*'])
    expect(s?.Condition).toBeUndefined()
    for (const action of list(s?.Action)) expect(action).toMatch(/^iam:(List|Get)[A-Z]\w+$/)
    const inventoryCalls = calls.filter((c) => c.at.startsWith('src/inventory/'))
    expect(inventoryCalls.length).toBeGreaterThan(0)
    expect(inventoryCalls.map((c) => c.action).filter((a) => !list(s?.Action).includes(a))).toEqual(
      []
    )
  })

  it("names only the deploy users, by path (the rotation's statements)", () => {
    for (const s of allowed.filter((x) => x.Sid !== INVENTORY)) {
      const resources = list(s.Resource)
      expect(resources.length).toBeGreaterThan(0)
      for (const r of resources) {
        expect(r).toMatch(
          /^arn:aws:iam::\d{12}:user\/[A-Za-z0-9_+=,.@-]+(\/[A-Za-z0-9_+=,.@-]+)*\/\*$/
        )
      }
    }
  })

  it('lets the action tag a user only with access key IDs as tag keys', () => {
    const tagging = allowed.filter((s) =>
      list(s.Action).some((a) => a === 'iam:TagUser' || a === 'iam:UntagUser')
    )
    for (const s of tagging) {
      expect(list(s.Action).every((a) => a === 'iam:TagUser' || a === 'iam:UntagUser')).toBe(true)
      expect(s.Condition?.['ForAllValues:StringLike']?.['aws:TagKeys']).toEqual([
        'AKIA*',
        'rotate-iam-key'
      ])
    }
  })
})

/** The two `sub` forms GitHub issues for a job in an environment, as `repo:…:environment:NAME`. */
const NAME_SUB = /^repo:([\w.-]+)\/([\w.-]+):environment:([^*?:]+)$/
const IMMUTABLE_SUB = /^repo:([\w.-]+)@\d+\/([\w.-]+)@\d+:environment:([^*?:]+)$/

describe('trust policy', () => {
  const [statement, ...rest] = trust.Statement

  it("lets only GitHub OIDC tokens for one repository's environment assume the role", () => {
    expect(rest).toEqual([])
    expect(statement?.Effect).toBe('Allow')
    expect(statement?.Action).toBe('sts:AssumeRoleWithWebIdentity')
    expect(statement?.Principal).toEqual({
      Federated: expect.stringMatching(
        /^arn:aws:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/
      ) as unknown
    })
    const equals = statement?.Condition?.StringEquals
    expect(Object.keys(statement?.Condition ?? {})).toEqual(['StringEquals'])
    expect(equals?.['token.actions.githubusercontent.com:aud']).toBe('sts.amazonaws.com')
  })

  it('admits the name-based and the immutable subject of the same environment, and nothing else', () => {
    const subs = list(
      statement?.Condition?.StringEquals?.['token.actions.githubusercontent.com:sub']
    )
    expect(subs).toHaveLength(2)
    const named = subs.map((s) => NAME_SUB.exec(s)).filter((m) => m !== null)
    const immutable = subs.map((s) => IMMUTABLE_SUB.exec(s)).filter((m) => m !== null)
    expect(named).toHaveLength(1)
    expect(immutable).toHaveLength(1)
    // owner, repository and environment are the same in both
    expect(immutable[0]?.slice(1)).toEqual(named[0]?.slice(1))
  })
})

describe('docs/aws-setup.md', () => {
  const markdown = readFileSync(join(ROOT, 'docs/aws-setup.md'), 'utf8')
  /** JSON blocks introduced by `<!-- docs/policies/NAME.json -->`. */
  const embedded = new Map(
    [...markdown.matchAll(/<!-- (docs\/policies\/[\w-]+\.json) -->\s*```json\n([\s\S]*?)```/g)].map(
      (m) => [m[1] as string, m[2] as string]
    )
  )

  it.each(['docs/policies/trust-policy.json', 'docs/policies/permission-policy.json'])(
    'embeds %s exactly',
    (path) => {
      const block = embedded.get(path)
      expect(block).toBeDefined()
      const file = readFileSync(join(ROOT, path), 'utf8')
      expect(JSON.parse(block as string)).toEqual(JSON.parse(file))
      expect((block as string).trim()).toBe(file.trim())
    }
  )

  it('explains every action the permission policy allows', () => {
    for (const action of allowedActions) {
      const name = action.slice('iam:'.length)
      expect(markdown).toMatch(new RegExp('`(iam:)?' + name + '`'))
    }
  })

  /** The fenced blocks of one language. */
  const fenced = (lang: string): string[] =>
    [...markdown.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'gm'))].map(
      (m) => m[1] as string
    )

  /** The placeholders the policy files use, for the references the snippets make instead. */
  const providerArn = (trust.Statement[0]?.Principal as { Federated: string }).Federated
  const account = /^arn:aws:iam::(\d{12}):/.exec(providerArn)?.[1] as string

  describe('the Terraform snippet', () => {
    const hcl = fenced('hcl')

    /** The text of the object passed to `NAME = jsonencode(`, braces balanced outside strings. */
    function jsonencoded(source: string, name: string): string[] {
      const found: string[] = []
      for (const m of source.matchAll(
        new RegExp('^\\s*' + name + '\\s*=\\s*jsonencode\\(', 'gm')
      )) {
        const start = (m.index ?? 0) + m[0].length
        let depth = 0
        let inString = false
        for (let i = start; i < source.length; i++) {
          const c = source[i]
          if (inString) {
            if (c === '\\') i++
            else if (c === '"') inString = false
          } else if (c === '"') inString = true
          else if (c === '{' || c === '[') depth++
          else if (c === '}' || c === ']') {
            depth--
            if (depth === 0) {
              found.push(source.slice(start, i + 1))
              break
            }
          }
        }
      }
      return found
    }

    /** Terraform references the policy files write as placeholders. */
    const REFERENCES: Record<string, string> = {
      'aws_iam_openid_connect_provider.github.arn': providerArn,
      'data.aws_partition.current.partition': 'aws',
      'data.aws_caller_identity.current.account_id': account
    }
    const resolve = (text: string): string =>
      text.replace(/\$\{([^}]*)\}/g, (_, ref: string) => {
        const value = REFERENCES[ref]
        if (value === undefined) throw new Error(`the Terraform snippet refers to \${${ref}}`)
        return value
      })

    it('is there, once', () => {
      expect(hcl).toHaveLength(1)
    })

    it.each([
      ['assume_role_policy', 'trust-policy.json'],
      ['policy', 'permission-policy.json']
    ])('writes %s as docs/policies/%s', (name, file) => {
      const found = jsonencoded(hcl[0] ?? '', name)
      expect(found).toHaveLength(1)
      expect(JSON.parse(resolve(found[0] as string))).toEqual(readPolicy(file))
    })

    it("creates GitHub's provider with the trust policy's audience as a client ID", () => {
      const source = hcl[0] ?? ''
      expect(source).toMatch(/^\s*url\s*=\s*"https:\/\/token\.actions\.githubusercontent\.com"$/m)
      const clients = /^\s*client_id_list\s*=\s*(\[.*\])$/m.exec(source)?.[1]
      expect(JSON.parse(clients ?? '[]')).toContain(
        trust.Statement[0]?.Condition?.StringEquals?.['token.actions.githubusercontent.com:aud']
      )
      expect(source).toMatch(
        /^resource "aws_iam_role_policy" "\w+" \{\n\s*name\s*=.*\n\s*role\s*=\s*aws_iam_role\.\w+\.id$/m
      )
    })
  })

  describe('the CloudFormation snippet', () => {
    interface Resource {
      Type: string
      Properties: Record<string, unknown>
    }
    const templates = fenced('yaml')
      .map((source) => parseYaml(source) as { Resources?: Record<string, Resource> })
      .filter((doc) => doc.Resources !== undefined)
    const resources = templates[0]?.Resources ?? {}
    const ofType = (type: string): [string, Resource][] =>
      Object.entries(resources).filter(([, r]) => r.Type === type)

    /** Resolves `Fn::Sub` (partition and account only) and `Fn::GetAtt` of the provider's ARN. */
    function resolve(node: unknown): unknown {
      if (Array.isArray(node)) return node.map(resolve)
      if (typeof node !== 'object' || node === null) return node
      const entries = Object.entries(node)
      const [key, value] = entries[0] ?? []
      if (entries.length === 1 && key === 'Fn::Sub' && typeof value === 'string') {
        return value.replace(/\$\{([^}]*)\}/g, (_, ref: string) => {
          if (ref === 'AWS::Partition') return 'aws'
          if (ref === 'AWS::AccountId') return account
          throw new Error(`the CloudFormation snippet substitutes \${${ref}}`)
        })
      }
      if (entries.length === 1 && key === 'Fn::GetAtt') {
        const [name, attribute] = value as [string, string]
        if (resources[name]?.Type === 'AWS::IAM::OIDCProvider' && attribute === 'Arn')
          return providerArn
        throw new Error(`the CloudFormation snippet reads ${name}.${attribute}`)
      }
      if (entries.length === 1 && (key?.startsWith('Fn::') || key === 'Ref')) {
        throw new Error(`the CloudFormation snippet uses ${key}`)
      }
      return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v)]))
    }

    it('is there, once, with one provider and one role', () => {
      expect(templates).toHaveLength(1)
      expect(ofType('AWS::IAM::OIDCProvider')).toHaveLength(1)
      expect(ofType('AWS::IAM::Role')).toHaveLength(1)
    })

    it('gives the role the trust policy and the permission policy of docs/policies/', () => {
      const role = ofType('AWS::IAM::Role')[0]?.[1].Properties ?? {}
      expect(resolve(role.AssumeRolePolicyDocument)).toEqual(trust)
      const policies = role.Policies as { PolicyName: string; PolicyDocument: unknown }[]
      expect(policies).toHaveLength(1)
      expect(resolve(policies[0]?.PolicyDocument)).toEqual(permission)
    })

    it('names no account, so a StackSet deploys the same file into every account, in one region', () => {
      const source = fenced('yaml').find((text) => /^Resources:/m.test(text)) ?? ''
      // Any account ID in the template would be wrong in every other account.
      expect(source).not.toMatch(/\b\d{12}\b/)
      const file = /--template-file (\S+)/.exec(markdown)?.[1]
      expect(file).toBe('rotate-iam-key.yaml')
      const stackSet = fenced('sh').find((text) => text.includes('create-stack-set')) ?? ''
      expect(stackSet).toContain(`--template-body file://${file}`)
      // The role has a RoleName: CloudFormation asks for the named-IAM capability.
      expect(ofType('AWS::IAM::Role')[0]?.[1].Properties.RoleName).toBe('rotate-iam-key')
      expect(stackSet).toContain('--capabilities CAPABILITY_NAMED_IAM')
      // IAM is global: a second region would create the provider and the role again, and fail.
      const regions = /--regions ([^\n\\]+)/.exec(stackSet)?.[1]?.trim().split(/\s+/)
      expect(regions).toEqual(['us-east-1'])
    })

    it("creates GitHub's provider with the trust policy's audience as a client ID", () => {
      const provider = ofType('AWS::IAM::OIDCProvider')[0]?.[1].Properties ?? {}
      expect(provider.Url).toBe('https://token.actions.githubusercontent.com')
      expect(provider.ClientIdList).toContain(
        trust.Statement[0]?.Condition?.StringEquals?.['token.actions.githubusercontent.com:aud']
      )
    })
  })
})
