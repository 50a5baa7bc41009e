/** Jest in native ESM (run with --experimental-vm-modules): ts-jest compiles TypeScript, `.js` specifiers map back to sources. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.dev.json' }]
  },
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  testTimeout: 60_000,
  collectCoverageFrom: ['src/**/*.ts', '!src/index.ts']
}
