import * as core from '@actions/core'
import sodium from 'libsodium-wrappers'
import { expect, test } from '@jest/globals'

test('esm works', async () => {
  await sodium.ready
  expect(typeof core.setSecret).toBe('function')
  expect(process.versions.node.startsWith('24')).toBe(true)
})
