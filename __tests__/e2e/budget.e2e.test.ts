/**
 * End to end, GitHub's hourly budget: a run whose writes cannot fit one hour of GitHub's
 * secondary limits is refused before any change, with the ways out.
 */
import { expect, it } from '@jest/globals'
import { runAction } from '../../emulators/runner.js'
import { roleInputs, startWorld, type World } from '../../emulators/world.js'
import { mutations, scanRunsAfterEach } from './helpers.js'

let world: World
const { record } = scanRunsAfterEach(() => world)

it('refuses 251 repositories (502 writes) before any change, saying what would fit', async () => {
  const repos = Array.from({ length: 251 }, (_, i) => `acme/r${i}`)
  world = await startWorld({ repos })
  const result = await runAction(world, roleInputs(world, { repositories: repos.join('\n') }))
  record(result)
  expect(result.code).toBe(1)
  expect(result.log).toContain('502 secret writes as the token')
  expect(result.log).toContain('more than the 500 writes GitHub allows one identity in an hour')
  expect(result.log).toContain('organization secrets')
  expect(result.log).toContain('Nothing was changed')
  expect(mutations(world)).toEqual([])
})
