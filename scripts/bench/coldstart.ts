/**
 * Cold start and bundle size: the committed `dist/index.js` beside fresh ncc builds of the current
 * `src/` (plain and `--minify`) in a temporary directory. The committed build is never touched.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleHash } from '../../emulators/runner.js'
import { roleInputs, type World } from '../../emulators/world.js'
import { median } from './bound.js'
import { spawnAction } from './spawn.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const COMMITTED = join(ROOT, 'dist/index.js')

export interface Build {
  name: string
  script: string
  /** The entry point's size. */
  bytes: number
  /** Every `.js` file beside it: the entry and the chunks it loads when a run needs them. */
  allBytes: number
}

export interface ColdStart extends Build {
  /** Median spawn → first request over the runs. */
  coldStartMs: number
  runs: number
}

/**
 * Which build ran: the entry's size, the size and a hash of every `.js` file beside it (the
 * chunks load from there), and for `dist/` whether it is as committed (`git HEAD`).
 */
export function distIdentity(file = COMMITTED): string {
  const committed =
    file === COMMITTED &&
    spawnSync('git', ['diff', '--quiet', 'HEAD', '--', 'dist/'], { cwd: ROOT }).status === 0
  const name = file === COMMITTED ? 'dist/index.js' : file
  return `${name} ${(size(file) / 1024).toFixed(0)} KiB (${(sizeOfBuild(file) / 1024).toFixed(0)} KiB with its chunks), sha256 of all ${bundleHash(file)}${file !== COMMITTED ? '' : committed ? ' (as committed)' : ' (differs from git HEAD)'}`
}

/** Build `src/` as `npm run build` does (scripts/build.ts) into a temporary directory, minified or not. */
export function buildToTemp(minify: boolean): Build | undefined {
  const out = mkdtempSync(join(tmpdir(), `rotate-bench-${minify ? 'min' : 'plain'}-`))
  const args = ['tsx', 'scripts/build.ts', '--out', out]
  const built = spawnSync('npx', minify ? args : [...args, '--plain'], {
    cwd: ROOT,
    encoding: 'utf8'
  })
  if (built.status !== 0) {
    console.error(
      `ncc build${minify ? ' --minify' : ''} of src/ failed; left out:\n${built.stderr}`
    )
    return undefined
  }
  const script = join(out, 'index.js')
  return {
    name: minify ? 'ncc --minify (src now)' : 'ncc (src now)',
    script,
    bytes: size(script),
    allBytes: sizeOfBuild(script)
  }
}

export const size = (file: string): number => statSync(file).size

/** The size of every `.js` file in `script`'s directory: the entry and all its chunks. */
export const sizeOfBuild = (script: string): number =>
  readdirSync(dirname(script))
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + size(join(dirname(script), f)), 0)

/** Milliseconds from spawning `script` to the first request any emulator logged. */
export async function timeToFirstRequest(world: World, script: string): Promise<number> {
  const logs = [world.aws.log, world.github.log, world.oidc.log]
  const before = logs.map((l) => l.length)
  const run = await spawnAction(world, roleInputs(world, { repositories: 'acme/app' }), script)
  if (run.code !== 0) throw new Error(`${script} exited with ${run.code}:\n${run.stderr}`)
  const firsts = logs.flatMap((l, i) => l.slice(before[i]).map((e) => e.time))
  return Math.min(...firsts) - run.startedAt
}

/** Node's own start-up: spawn → exit of an empty script, the floor under every cold start. */
export async function bareNodeMs(runs: number): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = Date.now()
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' })
    await new Promise((resolve) => child.on('close', resolve))
    times.push(Date.now() - started)
  }
  return median(times)
}

/** Median time to first request of each build, runs interleaved so drift hits all alike. */
export async function coldStarts(
  builds: Build[],
  runs: number,
  world: () => Promise<World>
): Promise<ColdStart[]> {
  const times = builds.map((): number[] => [])
  for (let i = 0; i < runs; i++) {
    for (const [b, build] of builds.entries()) {
      const w = await world()
      try {
        times[b]!.push(await timeToFirstRequest(w, build.script))
      } finally {
        await w.close()
      }
    }
  }
  return builds.map((b, i) => ({ ...b, coldStartMs: median(times[i]!), runs }))
}
