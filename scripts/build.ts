/**
 * `npm run build`: the manifest's validator compiled (scripts/manifest-validator.ts), then
 * `src/index.ts` bundled with ncc into `dist/` (or `--out DIR`), minified (`--plain`: not), from an
 * empty directory so no chunk of an earlier build is left behind.
 *
 * What a run may not need is imported dynamically, so ncc emits it as chunks beside `index.js`
 * (`dist/NNN.index.js`), loaded only when needed. ncc's `--license` writes one notice file per
 * chunk under the same name, each overwriting the last; the per-chunk files are written under
 * their own names here and joined into the one `licenses.txt`.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

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
// The main chunk's notices first, then the others'; a package in two chunks is listed twice.
const parts = readdirSync(out)
  .filter((f) => f.endsWith('.licenses.txt'))
  .sort(
    (a, b) => Number(b.startsWith('main.')) - Number(a.startsWith('main.')) || a.localeCompare(b)
  )
writeFileSync(
  join(out, 'licenses.txt'),
  parts.map((f) => readFileSync(join(out, f), 'utf8').trimEnd()).join('\n\n') + '\n'
)
for (const f of parts) unlinkSync(join(out, f))
