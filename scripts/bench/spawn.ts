/**
 * `runAction`'s twin for a script other than dist/index.js (a temporary ncc build, the committed
 * bundle checked out elsewhere, or another action's bundle): same runner environment, same inputs
 * with action.yml's defaults. `runAction` always runs dist/index.js, hence this.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { runnerEnv, type Endpoints } from '../../emulators/runner.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

const inputDefaults = (): Record<string, string> => {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
  return Object.fromEntries(
    Object.entries(action.inputs).flatMap(([k, v]) =>
      v.default === undefined ? [] : [[k, String(v.default)]]
    )
  )
}

export interface Spawned {
  code: number | null
  ms: number
  startedAt: number
  /** Standard error, then standard output when `stdout` asked for it. */
  stderr: string
}

export interface SpawnOptions {
  /** Node's own arguments, before the script (e.g. `--require` of a preload). */
  nodeArgs?: string[]
  /** Fill in this action's defaults from action.yml (true); false for another action's inputs. */
  defaults?: boolean
  /** Keep standard output too, after standard error (where an action reports why it failed). */
  stdout?: boolean
}

export async function spawnAction(
  world: Endpoints,
  inputs: Record<string, string>,
  script: string,
  extraEnv: Record<string, string> = {},
  { nodeArgs = [], defaults = true, stdout = false }: SpawnOptions = {}
): Promise<Spawned> {
  const dir = mkdtempSync(join(tmpdir(), 'rotate-bench-'))
  for (const f of ['output', 'summary', 'env', 'state', 'path']) writeFileSync(join(dir, f), '')
  const all = { ...(defaults ? inputDefaults() : {}), ...inputs }
  const env = {
    ...runnerEnv(world, dir),
    ...Object.fromEntries(Object.entries(all).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...extraEnv
  }
  const startedAt = Date.now()
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env,
    stdio: ['ignore', stdout ? 'pipe' : 'ignore', 'pipe']
  })
  let stderr = ''
  let out = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { code, ms: Date.now() - startedAt, startedAt, stderr: stderr + out }
}
