/**
 * What a bundle is built from, hashed: every file of `src/` (but the validator the build itself
 * generates), the lock file (the bundled packages) and the build's own configuration. The build
 * writes it beside the bundle; the end-to-end runner compares it with the sources as they are now,
 * so a test never runs a `dist/` built from other sources without saying so.
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

/** The file the build writes into `dist/`. */
export const SOURCE_HASH_FILE = 'source.sha256'

const INPUTS = [
  'package-lock.json',
  'tsconfig.json',
  'scripts/build.ts',
  'scripts/manifest-validator.ts'
]
/** Outputs of the build that live in src/: generated from src/inputs/manifest-schema.ts. */
const GENERATED = /manifest-validator\.generated\./

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]
  )
}

/** The hash of the sources under `root`, in hex; line endings do not count (git may convert them). */
export function sourceHash(root: string): string {
  const paths = [
    ...files(join(root, 'src')).filter((f) => !GENERATED.test(f)),
    ...INPUTS.map((f) => join(root, f))
  ]
    .map((f) => relative(root, f).split('\\').join('/'))
    .sort()
  const hash = createHash('sha256')
  for (const path of paths)
    hash.update(`${path}\0`).update(readFileSync(join(root, path), 'utf8').replace(/\r\n/g, '\n'))
  return hash.digest('hex')
}
