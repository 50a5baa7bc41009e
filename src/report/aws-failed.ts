/** A failed AWS call of the entry or the inventory (aws/failed.ts), in words, with the fix. */
import type { AwsFailed } from '../aws/failed.js'
import { explainRead } from './inventory-read.js'
import { explainAws } from './messages.js'

export function awsFailed(e: AwsFailed): string {
  switch (e.doing) {
    case 'admin-check':
      return explainAws(e.cause, 'checking the admin credentials (STS GetCallerIdentity)')
    case 'inventory-read':
      return explainRead(e.cause)
  }
}
