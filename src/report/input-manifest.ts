/**
 * The manifest's own problems in words: the file that could not be read, a file that is not a
 * manifest (nothing of it quoted), YAML's and Ajv's findings. YAML's messages are made one
 * printable line here: they may quote the file.
 */
import type { ManifestFileFault, Problem, SchemaDetail } from '../inputs/problems.js'
import { printable, quote } from '../inputs/quote.js'
import { pathName } from './input-places.js'

type ManifestProblem = Extract<
  Problem,
  { kind: 'manifest-file' | 'not-manifest' | 'yaml' | 'yaml-data' | 'unknown-key' | 'schema' }
>

export function manifestWords(p: ManifestProblem): string {
  switch (p.kind) {
    case 'manifest-file':
      return fileWords(`'manifest' file ${quote(p.path)}`, p.fault)
    case 'not-manifest':
      return [
        `'manifest' file ${p.file} is not a rotation manifest:`,
        "it must be a YAML mapping with a 'users' list at the top" +
          (p.yaml ? ` (YAML error ${p.yaml.code} at ${p.yaml.where})` : '') +
          '. Nothing from the file is shown, as it may not be a manifest at all: check the path'
      ].join(' ')
    case 'yaml':
      return `${p.where}: ${printable(p.message)}`
    case 'yaml-data':
      return `${p.file}: ${printable(p.message)}`
    case 'unknown-key':
      return [
        `${p.where}: unknown key ${quote(p.key)}${p.path.length ? ` in ${pathName(p.path)}` : ''};`,
        `allowed keys are ${p.allowed.join(', ')}`
      ].join(' ')
    case 'schema':
      return `${p.where}: ${p.path.length ? pathName(p.path) : 'the manifest'} ${detailWords(p.detail)}`
  }
}

const FIX_PATH = [
  'check the path, relative to the repository root,',
  'and that the workflow checks the repository out first'
].join(' ')

/** Why the file at `input` (`'manifest' file 'path'`) was not read. */
function fileWords(input: string, f: ManifestFileFault): string {
  switch (f.rule) {
    case 'no-workspace':
      return [
        `${input} cannot be read: the workspace ${quote(f.workspace)}`,
        `does not exist (${f.code ?? 'unknown error'})`
      ].join(' ')
    case 'unreadable':
      return `${input} cannot be read (${f.code ?? 'unknown error'}): ${FIX_PATH}`
    case 'outside':
      return [
        `${input} leads outside the workspace (to ${quote(f.file)}):`,
        'give the path of a file of the repository, relative to the repository root'
      ].join(' ')
    case 'not-file':
      return `${input} is not a regular file: give the path of the YAML file itself`
    case 'too-large':
      return [
        `${input} is larger than 1 MiB, the limit for a manifest:`,
        'check the path, or split the users over several workflows'
      ].join(' ')
  }
}

function detailWords(d: SchemaDetail): string {
  switch (d.rule) {
    case 'enum':
      return `must be one of ${d.allowed.join(', ')}`
    case 'type':
      return typeWords(d.types, d.entries)
    case 'ajv':
      return d.message
  }
}

function typeWords(types: string[], entries: boolean): string {
  if (types.includes('array') && types.includes('string'))
    return entries
      ? "must be a string or a list of strings and mappings ('org', 'visibility', 'selected-repositories')"
      : 'must be a string or a list of strings'
  const each = types.map((t) =>
    t === 'array' ? 'a list' : t === 'object' ? 'a mapping' : `a ${t}`
  )
  return `must be ${each.join(' or ')}`
}
