/** The permission a fine-grained token or a GitHub App needs to write a target's secrets. */
import type { Target } from '../github/targets.js'

export function permissionWords(target: Target): string {
  switch (target.kind) {
    case 'repository':
      return `the repository permission 'Secrets: Read and write' on ${target.owner}/${target.repo}`
    case 'environment':
      return `the repository permission 'Environments: Read and write' on ${target.owner}/${target.repo}`
    case 'dependabot':
      return `the repository permission 'Dependabot secrets: Read and write' on ${target.owner}/${target.repo}`
    case 'organization':
      return `the organization permission 'Secrets: Read and write' on ${target.org}`
    case 'dependabot-organization':
      return `the organization permission 'Organization dependabot secrets: Read and write' on ${target.org}`
  }
}
