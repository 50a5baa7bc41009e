import { run } from './main.js'

await run()
// A request abandoned after its time-out (the OIDC token call cannot be cancelled) must not keep
// a finished action alive; exit with the code run() set.
process.exit()
