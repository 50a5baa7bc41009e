/**
 * Quoting what a person wrote, safely. Inputs and manifest values reach log lines and errors, and
 * a runner reads every line of a step's output for workflow commands (`::add-mask::`, `::error::`
 * …): a value with a line break could start a line of its own and be read as one. So a quoted
 * value keeps to one line, shows what cannot be seen, and stays short.
 */

/** Past this many characters a quoted value is cut: a message names the value, it need not hold it all. */
const MAX_SHOWN = 120

/**
 * Characters that are escaped: controls (line breaks included), format characters (bidi
 * overrides and zero-width characters make a value read as something it is not), the line and
 * paragraph separators, unassigned and private code points, and the quote and escape themselves.
 */
const UNSAFE = /[\p{C}\p{Zl}\p{Zp}'\\]/gu

const escape = (c: string): string => {
  if (c === "'" || c === '\\') return `\\${c}`
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }
  if (named[c]) return named[c]
  const code = c.codePointAt(0) ?? 0
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/** `value` in single quotes, on one line, with unprintable characters escaped and long values cut. */
export function quote(value: string): string {
  const chars = [...value]
  const shown = chars.slice(0, MAX_SHOWN).join('').replace(UNSAFE, escape)
  return chars.length > MAX_SHOWN ? `'${shown}…' (${chars.length} characters)` : `'${shown}'`
}

/** Whether `value` has a character {@link quote} would escape, other than a quote or backslash. */
export function hasUnprintable(value: string): boolean {
  return /[\p{C}\p{Zl}\p{Zp}]/u.test(value)
}

/** `text` made one printable line, as {@link quote} makes a value, without the quotes. */
export function printable(text: string, max = 200): string {
  const chars = [...text]
  const shown = chars
    .slice(0, max)
    .join('')
    .replace(/[\p{C}\p{Zl}\p{Zp}]/gu, escape)
  return chars.length > max ? `${shown}…` : shown
}
