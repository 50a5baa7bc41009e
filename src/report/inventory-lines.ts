/** The inventory's log lines and its failure, from what its run counted. */

/** Said once an account's credentials are proven, before any read. */
export const INVENTORY_ONLY = 'Inventory only: nothing will be changed'

/** How far the reads of one account are. */
export const progress = (p: { account: string; read: number; listed: number; done: boolean }) =>
  p.done
    ? `Account ${p.account}: all ${p.read} users read`
    : `Account ${p.account}: ${p.read} of ${p.listed} users listed so far read`

/** What the inventory read and found, in numbers. */
export const inventoryDone = (
  accounts: number,
  r: { keys: number; findings: number; requests: number; ms: number },
  sarifFile: string
): string =>
  [
    `Inventory: ${accounts} account(s), ${r.keys} keys, ${r.findings} findings;`,
    `${r.requests} IAM calls in ${(r.ms / 1000).toFixed(1)} s; SARIF in ${sarifFile}`
  ].join(' ')

/** Why one account could not be listed: its role, when it has one, then the error's words. */
export const accountRefused = (role: string | undefined, words: string): string =>
  `${role ? `Account of ${role}: ` : ''}${words}`

/** The run's failure when accounts could not be listed: each error, or how many, said above. */
export const refusedAccounts = (refused: string[], total: number, held: number): string =>
  refused.length === total
    ? refused.join('\n')
    : [
        `${refused.length} of ${total} accounts could not be listed (each error is above);`,
        `the inventory holds the other ${held}.`
      ].join(' ')
