/**
 * The bench's preload for the peer (`node --require scripts/bench/peer-redirect.cjs peer.js`):
 * sends its HTTPS requests for IAM, STS and GitHub's API to the emulators' http URLs.
 *
 * Why a preload: the peer (softprops/aws-credential-rotary) builds its clients with no endpoint
 * of its own, and its dependencies take none from the environment either. Its AWS SDK (v3.21)
 * predates `AWS_ENDPOINT_URL_IAM` / `AWS_ENDPOINT_URL_STS` (the SDK reads them from 3.4xx on),
 * and its Octokit (`@octokit/rest` 18) has `baseUrl: "https://api.github.com"` and never reads
 * `GITHUB_API_URL`. Short of changing the peer's code, which the bench must run as published,
 * only the transport can be pointed elsewhere. Both clients call `https.request` on the module
 * object when they send (the SDK's node-http-handler as `https_1.request(...)`, node-fetch as
 * `https.request`), so replacing that property before the peer loads reaches every request.
 *
 * What it keeps: the method, path, body and every header as the client built them; in particular
 * the `Host` header the AWS SDK sets and signs (SigV4 covers it), so the emulator checks the
 * signature of exactly the request the real service would get. What it changes: the scheme
 * (https → http, the emulators are plain http), the host and port (the variable's), a path
 * prefix when the variable has one, and the agent (an https Agent cannot carry an http request:
 * each is swapped for an http Agent with the same options, keep-alive included, so connection
 * reuse stays what it was). Hosts it does not know, and hosts whose variable is unset, go
 * through untouched. `https.get` calls the module's own `request`, not the export, so it is
 * replaced too. No header is added: the peer's Octokit 18 predates `X-GitHub-Api-Version`, and
 * GitHub (and the GitHub emulator, as GitHub documents) serves a request without it as 2022-11-28.
 */
'use strict'

const http = require('node:http')
const https = require('node:https')
const process = require('node:process')
const { URL } = require('node:url')

/** Real hosts and the variable naming where the bench serves them (read at each request). */
const ROUTES = [
  [/^iam(\.[a-z0-9-]+)?\.amazonaws\.com$/, 'AWS_ENDPOINT_URL_IAM'],
  [/^sts(\.[a-z0-9-]+)?\.amazonaws\.com$/, 'AWS_ENDPOINT_URL_STS'],
  [/^api\.github\.com$/, 'GITHUB_API_URL']
]

const agents = new WeakMap()
/** An http Agent standing in for the client's https Agent (undefined/false: Node's default). */
function httpAgent(agent) {
  if (!(agent instanceof https.Agent)) return agent
  let swapped = agents.get(agent)
  if (!swapped) {
    // The https Agent's options name its protocol and port; the rest (keep-alive, socket limits)
    // carry over.
    const options = { ...agent.options }
    for (const name of ['protocol', 'defaultPort', 'path']) delete options[name]
    swapped = new http.Agent(options)
    agents.set(agent, swapped)
  }
  return swapped
}

/** `https.request`'s three call forms, as one options object and the callback. */
function normalise(args) {
  let [input, options, callback] = args
  if (typeof options === 'function') {
    callback = options
    options = undefined
  }
  if (typeof input === 'string' || input instanceof URL) {
    const url = new URL(input)
    const fromUrl = {
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`
    }
    return { options: { ...fromUrl, ...options }, callback }
  }
  return { options: { ...input }, callback }
}

const originalRequest = https.request

function request(...args) {
  const { options, callback } = normalise(args)
  const host = String(options.hostname ?? options.host ?? '').replace(/:\d+$/, '')
  const route = ROUTES.find(([pattern]) => pattern.test(host))
  const base = route ? process.env[route[1]] : undefined
  if (!base) return originalRequest.apply(https, args)
  const target = new URL(base)
  const prefix = target.pathname.replace(/\/$/, '')
  const redirected = {
    ...options,
    protocol: 'http:',
    host: target.hostname,
    hostname: target.hostname,
    port: target.port || 80,
    path: `${prefix}${options.path ?? '/'}`,
    agent: httpAgent(options.agent),
    headers: options.headers
  }
  delete redirected.servername
  return callback ? http.request(redirected, callback) : http.request(redirected)
}

function get(...args) {
  const req = request(...args)
  req.end()
  return req
}

https.request = request
https.get = get
