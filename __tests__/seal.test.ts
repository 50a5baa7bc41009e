import { expect, it } from '@jest/globals'
import sodium from 'libsodium-wrappers'
import { seal } from '../src/github/seal.js'

it('seals so that only the private key opens it', async () => {
  await sodium.ready
  const pair = sodium.crypto_box_keypair()
  const publicKey = sodium.to_base64(pair.publicKey, sodium.base64_variants.ORIGINAL)
  const sealed = await seal('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', publicKey)

  const opened = sodium.crypto_box_seal_open(
    sodium.from_base64(sealed, sodium.base64_variants.ORIGINAL),
    pair.publicKey,
    pair.privateKey
  )
  expect(sodium.to_string(opened)).toBe('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')
  expect(sealed).not.toContain('EXAMPLEKEY')
  // Sealed boxes are randomized: the same value never seals to the same text twice.
  expect(await seal('same', publicKey)).not.toBe(await seal('same', publicKey))
})
