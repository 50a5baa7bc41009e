/**
 * Issue 19's proof: every message a person reads comes from src/report/. Outside it, no string
 * in src/ reads as words: a string literal, or a piece of a template between its `${}`, that
 * holds three words in a row (letters, at least two each, apart by spaces or a comma). Inputs,
 * adapters, the rotation and the entry say what happened as data; src/report/ words it.
 *
 * The detector is crude on purpose: it needs no list of message functions, and it cannot be
 * passed by moving a sentence into a variable. What it lets through (two-word labels, names,
 * header values, URLs) names a thing, it says nothing about what happened.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join, posix } from 'node:path'
import ts from 'typescript'

const ROOT = join(import.meta.dirname, '..')

/** Where words belong, and generated files nobody writes by hand. */
const EXEMPT = (file: string): boolean =>
  file.startsWith('src/report/') || file.endsWith('.generated.ts')

/**
 * Files let hold words for now, each with why. Empty since issue 19 emptied the 41 files found
 * when this test was written. A listed file that no longer holds words fails the test too, so
 * the list can only shrink.
 */
const ALLOWED = new Set<string>([])

const WORDS = /[A-Za-z'’]{2,}[ ,]+[A-Za-z'’]{2,}[ ,]+[A-Za-z'’]{2,}/

/** The strings of a source that read as words, with their lines. */
export function wordsIn(file: string, text: string): { line: number; text: string }[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const found: { line: number; text: string }[] = []
  const visit = (n: ts.Node): void => {
    const literal =
      ts.isStringLiteral(n) ||
      ts.isNoSubstitutionTemplateLiteral(n) ||
      ts.isTemplateHead(n) ||
      ts.isTemplateMiddle(n) ||
      ts.isTemplateTail(n)
    const moduleName = ts.isImportDeclaration(n.parent) || ts.isExportDeclaration(n.parent)
    if (literal && !moduleName && WORDS.test(n.text)) {
      const line = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1
      found.push({ line, text: n.text.slice(0, 80) })
    }
    ts.forEachChild(n, visit)
  }
  ts.forEachChild(sf, visit)
  return found
}

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = posix.join(dir, e.name)
    if (e.isDirectory()) return tsFiles(path)
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : []
  })
}

describe('words at the edge', () => {
  it('finds words in strings and template pieces, and lets names, labels and comments be', () => {
    const sample = [
      '// a comment with many words in it',
      "import { x } from './some module with words.js'",
      "const a = 'the token is expired'",
      'const b = `${who} could not read ${what}`',
      "const c = ['application/json', 'x-ratelimit-remaining', 'IAM user', 'arn:aws:iam::1:user/a']",
      "const d = { message: 'GitHub refused it' }"
    ].join('\n')
    expect(wordsIn('sample.ts', sample)).toEqual([
      { line: 3, text: 'the token is expired' },
      { line: 4, text: ' could not read ' },
      { line: 6, text: 'GitHub refused it' }
    ])
  })

  it('src/ holds words only in src/report/', () => {
    const found = tsFiles('src')
      .filter((f) => !EXEMPT(f))
      .flatMap((f) =>
        wordsIn(f, readFileSync(join(ROOT, f), 'utf8')).map((w) => ({ file: f, ...w }))
      )
    const unlisted = found.filter((w) => !ALLOWED.has(w.file))
    expect(unlisted.map((w) => `${w.file}:${w.line} ${w.text}`)).toEqual([])
    const emptied = [...ALLOWED].filter((f) => !found.some((w) => w.file === f))
    expect(emptied).toEqual([])
  })
})
