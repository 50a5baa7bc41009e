export const id = 580;
export const ids = [580];
export const modules = {

/***/ 8580:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  appClients: () => (/* binding */ appClients)
});

// EXTERNAL MODULE: ./node_modules/@octokit/auth-app/dist-node/index.js + 9 modules
var dist_node = __webpack_require__(6479);
// EXTERNAL MODULE: ./src/github/targets.ts
var github_targets = __webpack_require__(5617);
;// CONCATENATED MODULE: ./src/github/access.ts
/**
 * What a GitHub App installation token must reach for one run, and nothing more: the run's target
 * repositories in that account and the permissions its targets need. GitHub refuses (422) a token
 * wider than the installation, so each permission asked for is one the run cannot do without.
 */

/** GitHub names at most this many repositories in one installation token. */
const MAX_TOKEN_REPOSITORIES = 500;
/** The permission each kind of target writes with (GitHub App permission names). */
const NEEDS = {
    repository: { secrets: 'write' },
    environment: { secrets: 'write', environments: 'write' },
    dependabot: { dependabot_secrets: 'write' },
    organization: { organization_secrets: 'write' },
    // GitHub documents the organization's Dependabot secrets under the `dependabot_secrets` permission.
    'dependabot-organization': { dependabot_secrets: 'write' }
};
/**
 * The token for `account`'s installation, given every target of the run.
 *
 * Repositories: the repository-level targets' names, plus the repositories an organization
 * secret is `selected` for (their IDs are read with `GET /repos/{owner}/{repo}`, which needs them
 * in reach). Organization secrets need organization permissions, which no repository list limits;
 * when the account has no repository to name, the token is left unrestricted by repository,
 * because GitHub cannot mint a token for no repository, and it then holds only `metadata: read`
 * there beside the organization permissions. Past GitHub's limit of 500 names the same holds.
 */
function installationAccess(targets, account) {
    const mine = targets.filter((t) => (0,github_targets/* owner */.eC)(t).toLowerCase() === account.toLowerCase());
    const permissions = { metadata: 'read' };
    const names = new Map();
    for (const target of mine) {
        Object.assign(permissions, NEEDS[target.kind]);
        const repos = (0,github_targets/* isOrganization */.A2)(target)
            ? target.visibility === 'selected'
                ? (target.selectedRepositories ?? [])
                : []
            : [target.repo];
        for (const repo of repos)
            if (!names.has(repo.toLowerCase()))
                names.set(repo.toLowerCase(), repo);
    }
    const repositoryNames = [...names.values()];
    return repositoryNames.length > 0 && repositoryNames.length <= MAX_TOKEN_REPOSITORIES
        ? { repositoryNames, permissions }
        : { permissions };
}
/** Reading one repository's workflow runs, to tell whether a run holding a lease has ended. */
function runsAccess(repo) {
    return { repositoryNames: [repo], permissions: { actions: 'read', metadata: 'read' } };
}

// EXTERNAL MODULE: ./src/github/errors.ts
var errors = __webpack_require__(3116);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 18 modules
var core = __webpack_require__(6257);
;// CONCATENATED MODULE: ./src/github/installation-auth.ts
/**
 * An Octokit auth strategy for one GitHub App installation whose token is narrowed to what the
 * run needs ({@link Access}) and masked the moment it arrives. @octokit/auth-app's own request
 * hook always mints a token with the installation's every repository and permission, so this hook
 * asks its `auth()` for the narrowed token instead; auth-app still caches it (59 minutes, keyed by
 * the narrowing) and mints a fresh one after, which is masked in turn.
 */



/** GitHub may answer 401 for a token minted moments ago, until the token has replicated. */
const REPLICATION_MS = 5_000;
/** Minting is app-authenticated: auth-app's own hook signs it with the app's JWT. */
const MINT = /\/app\/installations\/[^/]+\/access_tokens$/;
/** Tokens already masked: `::add-mask::` once per token, not once per request. */
const masked = new Set();
function mask(token) {
    if (masked.has(token))
        return;
    masked.add(token);
    core.setSecret(token);
}
function createInstallationAuth(options) {
    const { installationId, repositoryNames, permissions, account, ...rest } = options;
    const app = (0,dist_node/* createAppAuth */.K)({ ...rest, installationId });
    const token = async () => {
        try {
            const auth = await app({ type: 'installation', installationId, repositoryNames, permissions });
            mask(auth.token);
            return auth;
        }
        catch (error) {
            throw ((0,errors/* rateLimited */.xd)(error, `minting an installation token for ${account}`) ??
                new errors/* AuthError */.lR(mintFailure(error, account, options), { cause: error }));
        }
    };
    const hook = async (request, route, parameters) => {
        const merged = request.endpoint.merge(route, parameters);
        const endpoint = { ...merged, url: merged.url ?? '' };
        if (MINT.test(endpoint.url.split('?')[0] ?? ''))
            return app.hook(request, route, parameters);
        const { token: value, createdAt } = await token();
        endpoint.headers.authorization = `token ${value}`;
        try {
            return await request(endpoint);
        }
        catch (error) {
            const fresh = Date.now() - Date.parse(createdAt) < REPLICATION_MS;
            if (error.status !== 401 || !fresh)
                throw error;
            await new Promise((r) => setTimeout(r, 1_000));
            return request(endpoint);
        }
    };
    return Object.assign(token, { hook });
}
/** Why no token was minted, and what to change: GitHub's 422 means the App lacks something asked for. */
function mintFailure(error, account, access) {
    const asked = Object.entries(access.permissions)
        .map(([name, level]) => `${name}: ${level}`)
        .join(', ');
    const repos = access.repositoryNames ? access.repositoryNames.join(', ') : 'all repositories';
    const status = (0,errors/* answered */.oQ)(error) ? error.status : undefined;
    const fix = status === 422
        ? `Grant the App these permissions (and accept them on the installation on ${account}), and give the installation these repositories.`
        : status === 401 || status === 404
            ? "Check 'app-id' and 'app-private-key', and that the App is still installed there."
            : 'Run the workflow again later.';
    return `GitHub did not mint an installation token for ${account} (${(0,errors/* reason */.l)(error)}) limited to ${repos} with ${asked}. ${fix}`;
}

;// CONCATENATED MODULE: ./src/github/app-clients.ts
/**
 * A GitHub App's clients: one installation client per account that owns targets, its token
 * narrowed to those targets and masked as it arrives (installation-auth.ts), and one per
 * repository whose workflow runs are read. Loaded by client.ts only for a run with App inputs.
 */





/** The clients of a run that authenticates as the App `auth`, writing `targets`. */
function appClients(GitHub, common, auth, targets) {
    const app = new GitHub({ ...common, authStrategy: dist_node/* createAppAuth */.K, auth });
    const installations = new Map();
    // One client per token: per account for the targets, per repository for reading runs.
    const installed = (key, target, access) => {
        let client = installations.get(key.toLowerCase());
        if (!client) {
            const account = (0,github_targets/* owner */.eC)(target);
            client = findInstallation(app, target).then((installationId) => new GitHub({
                ...common,
                authStrategy: createInstallationAuth,
                auth: { ...auth, installationId, account, ...access }
            }));
            installations.set(key.toLowerCase(), client);
        }
        return client;
    };
    return {
        forTarget: (target) => installed((0,github_targets/* owner */.eC)(target), target, installationAccess(targets, (0,github_targets/* owner */.eC)(target))),
        forRuns: (o, repo) => installed(`runs:${o}/${repo}`, { kind: 'repository', owner: o, repo }, runsAccess(repo))
    };
}
async function findInstallation(app, target) {
    try {
        const { data } = (0,github_targets/* isOrganization */.A2)(target)
            ? await app.request('GET /orgs/{org}/installation', { org: target.org })
            : await app.request('GET /repos/{owner}/{repo}/installation', {
                owner: target.owner,
                repo: target.repo
            });
        return data.id;
    }
    catch (error) {
        const account = (0,github_targets/* owner */.eC)(target);
        const limited = (0,errors/* rateLimited */.xd)(error, `looking up the GitHub App's installation on ${account}`);
        if (limited)
            throw limited;
        // Only GitHub's answer is quoted: a local error (the JWT, a refused header) may hold a secret.
        throw new Error((0,errors/* answered */.oQ)(error) && error.status === 404
            ? `The GitHub App is not installed on ${account} (or not on that repository): install it there with the permissions in docs/github-setup.md.`
            : `GitHub refused the App while looking up its installation on ${account} (${(0,errors/* reason */.l)(error)}). Check 'app-id' and 'app-private-key'.`, { cause: error });
    }
}


/***/ })

};
