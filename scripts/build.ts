/**
 * `npm run build`: the manifest's validator compiled (scripts/manifest-validator.ts), then
 * `src/index.ts` bundled with ncc into `dist/` (or `--out DIR`), the entry and every chunk minified
 * (`--plain`: not), from an empty directory so no chunk of an earlier build is left behind.
 *
 * What a run may not need is imported dynamically, so ncc emits it as chunks beside `index.js`
 * (`dist/NNN.index.js`), loaded only when needed. ncc's `--license` writes one notice file per
 * chunk under the same name, each overwriting the last; the per-chunk files are written under
 * their own names here and joined into the one `licenses.txt`.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { transformSync } from 'esbuild'
import { parseArgs } from 'node:util'
import { SOURCE_HASH_FILE, sourceHash } from './source-hash.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const { values } = parseArgs({
  options: { out: { type: 'string', default: 'dist' }, plain: { type: 'boolean', default: false } }
})
const out = resolve(ROOT, values.out)

const step = (command: string, args: string[]): void => {
  const done = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' })
  if (done.status !== 0) process.exit(done.status ?? 1)
}

rmSync(out, { recursive: true, force: true })
step(process.execPath, ['--import', 'tsx', 'scripts/manifest-validator.ts'])
step(process.execPath, [
  join(ROOT, 'node_modules/@vercel/ncc/dist/ncc/cli.js'),
  'build',
  'src/index.ts',
  '-o',
  out,
  '--license',
  '[name].licenses.txt',
  // Minified, dist/index.js is half the size (2.6 -> 1.3 MiB); start-up measured the same.
  ...(values.plain ? [] : ['--minify'])
])
// ncc minifies only the entry; the chunks (the SDKs and Octokit among them) the same way here,
// unless --plain: they are most of what a run loads.
if (!values.plain) {
  for (const f of readdirSync(out).filter((f) => /^\d+\.index\.js$/.test(f))) {
    const file = join(out, f)
    writeFileSync(file, transformSync(readFileSync(file, 'utf8'), { minify: true }).code)
  }
}
// The notices of every chunk in one file, the entry's first, each package once: a package can be
// in several chunks. ncc writes each notice as `name`, `licence`, then the licence's text.
const parts = readdirSync(out)
  .filter((f) => f.endsWith('.licenses.txt'))
  .sort(
    (a, b) => Number(b.startsWith('main.')) - Number(a.startsWith('main.')) || a.localeCompare(b)
  )
const notices = new Map<string, string>()
for (const f of parts) {
  const text = readFileSync(join(out, f), 'utf8').trimEnd()
  // A notice starts at a line naming a bundled package, followed by its licence's identifier.
  const starts = [...text.matchAll(/^(@?[a-z0-9][\w.-]*(?:\/[\w.-]+)?)\n[\w.() +-]+\n/gm)]
    .filter((m) => m.index === 0 || text[m.index - 1] === '\n')
    .filter((m) => existsSync(join(ROOT, 'node_modules', m[1] as string, 'package.json')))
  starts.forEach((m, i) => {
    const name = m[1] as string
    const end = starts[i + 1]?.index ?? text.length
    if (!notices.has(name)) notices.set(name, text.slice(m.index, end).trimEnd())
  })
}
writeFileSync(join(out, 'licenses.txt'), [...notices.values()].join('\n\n') + '\n')
for (const f of parts) unlinkSync(join(out, f))
// What this bundle was built from: the end-to-end runner refuses a bundle built from other sources.
writeFileSync(join(out, SOURCE_HASH_FILE), `${sourceHash(ROOT)}\n`)
