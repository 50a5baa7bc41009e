/**
 * End to end, what a person reads: the job summary the bundled action writes says a dry run and
 * a key not yet due for what they are, never "rotated".
 */
import { describe, expect, it } from '@jest/globals'
import { runAction, type RunResult } from '../../emulators/runner.js'
import { roleInputs, startWorld, type World } from '../../emulators/world.js'
import { mutations, scanRunsAfterEach } from './helpers.js'

let world: World
const { record } = scanRunsAfterEach(() => world)

async function run(inputs: Record<string, string> = {}): Promise<RunResult> {
  const result = await runAction(world, roleInputs(world, inputs), {})
  return record(result)
}

/** The Result cell of the summary's first row. */
const resultCell = (summary: string): string | undefined =>
  /<tr><td>[^<]*<\/td><td>([^<]*)<\/td>/.exec(summary)?.[1]

describe('the job summary', () => {
  it('says a dry run changed nothing, and what it could not check', async () => {
    world = await startWorld()
    const result = await run({ 'dry-run': 'true' })
    expect(result.code).toBe(0)
    expect(mutations(world)).toEqual([])
    expect(resultCell(result.summary)).toBe('🔍 dry run, nothing changed')
    expect(result.summary).not.toContain('✅ rotated')
    expect(result.summary).toContain('cannot check that the token may write the secrets')
  })

  it('says a key younger than max-age-days is not due, and when it is', async () => {
    world = await startWorld()
    const first = await run({ force: 'true' })
    expect(first.code).toBe(0)
    expect(resultCell(first.summary)).toBe('✅ rotated')
    const result = await run({ 'max-age-days': '90' })
    expect(result.code).toBe(0)
    const due = /^⏭️ not due \(next on (\d{4}-\d\d-\d\d)\)$/.exec(resultCell(result.summary) ?? '')
    expect(due).not.toBeNull()
    // The key was created moments ago: due in 90 days (give or take midnight).
    const days = (Date.parse(due?.[1] ?? '') - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(88.9)
    expect(days).toBeLessThan(90.1)
  })
})
