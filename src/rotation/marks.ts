/**
 * What the action remembers between runs, kept as IAM user tags. A tag whose key is an access key
 * ID is that key's "description" in the IAM console, so people see it there; the `rotate-iam-key`
 * tag is the intent (a lease) of the run rotating the user now. Marks identify, never guess: the
 * intent names the keys that existed before the run created one, so the announced key is the one
 * not in that set, and every mark names its run and workflow.
 *
 * IAM tag values allow letters, digits, spaces and `_ . : / = + - @` (256 at most), so a mark is
 * `<Word> by rotate-iam-key at <time>` followed by `name value` pairs without spaces.
 */
import { createHash } from 'node:crypto'

/** A workflow run: `GITHUB_RUN_ID` and `GITHUB_RUN_ATTEMPT`. */
export interface RunRef {
  id: string
  attempt: number
}

/** Who acts: the workflow run, and the workflow (repository and file), when known. */
export interface Identity {
  run?: RunRef
  /** `owner/repo/file.yml`, lower-cased owner and repository, tag-safe. */
  workflow?: string
}

/**
 * published: in every target. deactivated: retired, kept for its grace period. held: replaced,
 * and kept Active because workflow runs queued before the replacement may still sign with it.
 */
export type KeyMarkState = 'published' | 'deactivated' | 'held'

export interface KeyMark extends Identity {
  state: KeyMarkState
  /**
   * When the mark was written; for a publication that did not reach every target (`holders`),
   * when that run announced itself: every secret it wrote is written at or after it.
   */
  at: Date
  /** Fingerprint of the targets and secret names the key was published to. */
  targets?: string
  /**
   * The key this one replaced: the only key a later run may retire as replaced by it. A key the
   * action's own record does not name is a stranger, reported and left alone.
   */
  over?: string
  /**
   * A publication that did not reach every target: what each target of the list (in its order)
   * holds, as this run recorded it. Absent: every target holds the key.
   */
  holders?: Holding[]
  /**
   * `held`: the workflow runs (IDs) that still ran when the run that replaced the key stopped
   * waiting, as many as the tag holds, and how many more there were. A later run lists GitHub's
   * runs again; these are what a person sees in the IAM console.
   */
  runs?: { ids: number[]; more: number }
}

/**
 * What one target holds after a publication, as the run that wrote it recorded it:
 * `new` confirmed (GitHub answered, or its record shows the write), `old` untouched (never
 * written, or a write GitHub refused before anything landed), `refused` (GitHub refused the
 * write for good: the target keeps the old key until a person acts), `doubt` (a write whose
 * outcome is unknown: it may hold a mixed pair until a later run reads GitHub's record and repairs it).
 */
export type Holding = 'new' | 'old' | 'refused' | 'doubt'
const HOLDING_CHARS: Record<Holding, string> = { new: 'N', old: 'O', refused: 'R', doubt: 'D' }

/** A letter per run of targets in list order, with its length: `N12R1D2`. */
export function formatHolders(h: Holding[]): string {
  let out = ''
  for (let i = 0; i < h.length;) {
    let j = i
    while (h[j] === h[i]) j++
    out += `${HOLDING_CHARS[h[i] as Holding]}${j - i}`
    i = j
  }
  return out
}

export function parseHolders(s: string): Holding[] | undefined {
  const back = Object.fromEntries(Object.entries(HOLDING_CHARS).map(([k, v]) => [v, k]))
  if (!/^([A-Z]\d+)+$/.test(s)) return undefined
  const h: Holding[] = []
  for (const [, c, n] of s.matchAll(/([A-Z])(\d+)/g)) {
    const x = back[c as string] as Holding | undefined
    if (!x || Number(n) > 10_000) return undefined
    h.push(...Array<Holding>(Number(n)).fill(x))
  }
  return h.length > 0 ? h : undefined
}

/** IAM's longest tag value. */
const MAX_TAG_VALUE = 256

/** The lease of a run rotating the user: written before CreateAccessKey, cleared when it ends. */
export interface Intent extends Identity {
  /** When the run first wrote the intent: every secret it writes is written after this. */
  at: Date
  /** The run owns the user until then. */
  lease: Date
  /**
   * The run gave the user up itself (it failed and said what it left): the next run takes over at
   * once. A lease that merely expired may belong to a run that still works; GitHub is asked.
   */
  released?: boolean
  /** The user's keys when the intent was written: the key the run creates is not among them. */
  before: string[]
  /** The key the run created, once it knows it. */
  created?: string
  /**
   * The run's recovery deleted a key some targets held: every target must be written again, by
   * this run or, if it fails first, by the next one, due or not.
   */
  rewrite?: boolean
}

/** The user tag of the intent. */
export const INTENT_TAG = 'rotate-iam-key'
/** An access key ID as a tag key (IAM's own format). */
export const ACCESS_KEY_ID = /^A[KS]IA[A-Z0-9]{12,124}$/
/** Tags the action holds at once at most: the intent, the current key's mark, the new key's mark. */
export const TAGS_NEEDED = 3
/** IAM's quota of tags per user. */
export const MAX_USER_TAGS = 50

const HEAD = /^(Published|Deactivated|Held|Rotating) by rotate-iam-key at (\S+Z)((?: \S+ \S+)*)$/
const WORD: Record<KeyMarkState | 'intent', string> = {
  published: 'Published',
  deactivated: 'Deactivated',
  held: 'Held',
  intent: 'Rotating'
}

const identity = (i: Identity): string[] => [
  ...(i.run ? [`run ${i.run.id}.${i.run.attempt}`] : []),
  ...(i.workflow ? [`workflow ${i.workflow}`] : [])
]

export function formatKeyMark(m: KeyMark): string {
  const parts = [`${WORD[m.state]} by rotate-iam-key at ${m.at.toISOString()}`, ...identity(m)]
  if (m.targets) parts.push(`targets ${m.targets}`)
  if (m.over) parts.push(`over ${m.over}`)
  if (m.runs) return withRuns(parts, m.runs)
  if (!m.holders) return parts.join(' ')
  const full = [...parts, `holders ${formatHolders(m.holders)}`].join(' ')
  // Too many targets to record one by one: every one in doubt, so a later run reads GitHub's
  // record of each before it lets any key go. Never a shorter claim than the run can make.
  if (full.length <= MAX_TAG_VALUE) return full
  return [...parts, `holders D${m.holders.length}`].join(' ')
}

/** As many run IDs as fit in one tag, and how many more there were. */
function withRuns(parts: string[], runs: { ids: number[]; more: number }): string {
  const ids = [...runs.ids]
  let more = runs.more
  for (;;) {
    const line = [...parts, `runs ${ids.length ? ids.join('+') : 'none'}`]
    if (more > 0) line.push(`more ${more}`)
    const text = line.join(' ')
    if (text.length <= MAX_TAG_VALUE || ids.length === 0) return text
    ids.pop()
    more++
  }
}

export function formatIntent(i: Intent): string {
  return [
    `${WORD.intent} by rotate-iam-key at ${i.at.toISOString()}`,
    `lease ${i.lease.toISOString()}`,
    ...(i.released ? ['released yes'] : []),
    `keys ${i.before.length ? i.before.join('+') : 'none'}`,
    ...(i.created ? [`new ${i.created}`] : []),
    ...(i.rewrite ? ['rewrite all'] : []),
    ...identity(i)
  ].join(' ')
}

type Parsed = { word: string; at: Date; fields: Map<string, string> }

function parse(value: string): Parsed | undefined {
  const m = HEAD.exec(value)
  if (!m) return undefined
  const at = new Date(m[2] as string)
  if (Number.isNaN(at.getTime())) return undefined
  const words = (m[3] ?? '').trim().split(' ').filter(Boolean)
  const fields = new Map<string, string>()
  for (let i = 0; i + 1 < words.length; i += 2)
    fields.set(words[i] as string, words[i + 1] as string)
  return { word: m[1] as string, at, fields }
}

function identityOf(fields: Map<string, string>): Identity {
  const run = /^(\d+)\.(\d+)$/.exec(fields.get('run') ?? '')
  const workflow = fields.get('workflow')
  return {
    ...(run ? { run: { id: run[1] as string, attempt: Number(run[2]) } } : {}),
    ...(workflow ? { workflow } : {})
  }
}

/** The mark a key's tag holds, or undefined when the tag is not the action's. */
export function parseKeyMark(value: string): KeyMark | undefined {
  const p = parse(value)
  if (!p || p.word === WORD.intent) return undefined
  const state: KeyMarkState =
    p.word === WORD.published ? 'published' : p.word === WORD.held ? 'held' : 'deactivated'
  const targets = p.fields.get('targets')
  const over = p.fields.get('over')
  const holders = parseHolders(p.fields.get('holders') ?? '')
  const ids = (p.fields.get('runs') ?? '').split('+').filter((x) => /^\d{1,20}$/.test(x))
  const more = Number(p.fields.get('more') ?? 0)
  const runs =
    state === 'held'
      ? { ids: ids.map(Number), more: Number.isSafeInteger(more) ? more : 0 }
      : undefined
  return {
    state,
    at: p.at,
    ...identityOf(p.fields),
    ...(targets ? { targets } : {}),
    ...(over ? { over } : {}),
    ...(holders ? { holders } : {}),
    ...(runs ? { runs } : {})
  }
}

/** The intent the `rotate-iam-key` tag holds, or undefined when it holds none. */
export function parseIntent(value: string): Intent | undefined {
  const p = parse(value)
  const lease = new Date(p?.fields.get('lease') ?? '')
  const keys = p?.fields.get('keys')
  if (!p || p.word !== WORD.intent || Number.isNaN(lease.getTime()) || !keys) return undefined
  const created = p.fields.get('new')
  return {
    at: p.at,
    lease,
    before: keys === 'none' ? [] : keys.split('+'),
    ...(created ? { created } : {}),
    ...(p.fields.get('rewrite') === 'all' ? { rewrite: true } : {}),
    ...(p.fields.get('released') === 'yes' ? { released: true } : {}),
    ...identityOf(p.fields)
  }
}

/** Whether a tag is one the action keeps (so it does not count against the user's own tags). */
export function isActionTag(key: string, value: string): boolean {
  if (key === INTENT_TAG) return true
  return ACCESS_KEY_ID.test(key) && parseKeyMark(value) !== undefined
}

const TAG_UNSAFE = /[^\p{L}\p{N}_.:/=+\-@]/gu
/**
 * Long workflow paths keep their start and a hash, so every mark stays within 256 characters: the
 * longest, an intent naming two keys seen, the new key, `rewrite all` and an 11-digit run, takes
 * about 200 more.
 */
const MAX_WORKFLOW = 48

/**
 * The workflow as marks name it: `owner/repo/file.yml` from `GITHUB_WORKFLOW_REF`
 * (`owner/repo/.github/workflows/file.yml@ref`). Owner and repository are case-insensitive on
 * GitHub, so they are lower-cased; the branch is not part of it: a workflow is one owner whatever
 * branch it runs from.
 */
export function workflowId(workflowRef: string | undefined): string | undefined {
  if (!workflowRef) return undefined
  const path = workflowRef.replace(/@.*$/, '')
  const m = /^([^/]+)\/([^/]+)\/(?:\.github\/workflows\/)?(.+)$/.exec(path)
  if (!m) return undefined
  const id = `${(m[1] as string).toLowerCase()}/${(m[2] as string).toLowerCase()}/${m[3] as string}`
  const safe = id.replace(TAG_UNSAFE, '_')
  if (safe.length <= MAX_WORKFLOW) return safe
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 16)
  return `${safe.slice(0, MAX_WORKFLOW - 17)}+${hash}`
}

/** A short fingerprint of a target list, so a later run can tell the list changed. */
export function fingerprint(items: string[]): string {
  const sorted = [...new Set(items.map((s) => s.toLowerCase()))].sort()
  return createHash('sha256').update(sorted.join('\n')).digest('hex').slice(0, 12)
}
