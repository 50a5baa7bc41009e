export const id = 609;
export const ids = [609];
export const modules = {

/***/ 3116:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   JH: () => (/* binding */ RateLimited),
/* harmony export */   Kv: () => (/* binding */ isHeaderError),
/* harmony export */   l: () => (/* binding */ reason),
/* harmony export */   lR: () => (/* binding */ AuthError),
/* harmony export */   oQ: () => (/* binding */ answered),
/* harmony export */   xd: () => (/* binding */ rateLimited)
/* harmony export */ });
/* unused harmony exports rateLimitWait, wait */
/**
 * What a failed GitHub request may say in a message. GitHub's answers (status and message) are
 * safe to show; the text of a local error is not: Node's fetch quotes a header it refuses whole,
 * `Authorization: token …` included, so a token with a line break would land in the log, the job
 * summary and the `results` output.
 */
/** Whether GitHub answered the request (with an error status), as opposed to a local failure. */
function answered(error) {
    const e = error;
    return typeof e?.status === 'number' && e.response !== undefined;
}
/** The causes of a local error, outermost first. */
function chain(error) {
    const found = [];
    for (let e = error; e && found.length < 8;) {
        found.push(e);
        e = typeof e.cause === 'object' ? e.cause : undefined;
    }
    return found;
}
/** Whether a request failed because Node refused a header value, as for a token with a line break. */
function isHeaderError(error) {
    return chain(error).some((e) => /header/i.test(String(e.message ?? '')));
}
/**
 * Why a request failed, in words that never quote a credential: GitHub's status and message when
 * it answered; for a local failure only what kind it was (a refused header, a timeout, a system
 * error code such as ECONNREFUSED), never its text.
 */
function reason(error) {
    const e = error;
    if (answered(error))
        return `${e?.status}: ${e?.message ?? ''}`;
    if (isHeaderError(error))
        return 'not sent: a credential holds a character HTTP headers refuse';
    const causes = chain(error);
    if (causes.some((c) => c.name === 'TimeoutError' || c.name === 'AbortError'))
        return 'no response: timed out';
    const code = causes.map((c) => c.code).find((c) => typeof c === 'string' && /^[A-Z_\d]+$/.test(c));
    return code ? `no response: ${code}` : 'no response';
}
/** A failure to authenticate whose message already says what failed and what to change. */
class AuthError extends Error {
    name = 'AuthError';
}
/** GitHub refused for a rate limit; `waitMs` is how long it asks to wait (retry-after or the reset). */
class RateLimited extends Error {
    waitMs;
    name = 'RateLimited';
    constructor(message, waitMs) {
        super(message);
        this.waitMs = waitMs;
    }
}
const header = (e, name) => {
    const value = e.response?.headers?.[name];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
};
/**
 * How long GitHub asks to wait when `error` is its rate-limit answer, in ms; undefined for any
 * other failure. A 429 is always a rate limit; a 403 is one only when `x-ratelimit-remaining` is
 * 0 (primary) or its message names a rate limit (secondary), since a 403 otherwise means a
 * missing permission. The wait is `retry-after`, else until `x-ratelimit-reset`, else a minute,
 * as GitHub's docs say to wait when neither is given.
 */
function rateLimitWait(error, now = Date.now()) {
    if (!answered(error))
        return undefined;
    const e = error;
    if (e.status !== 403 && e.status !== 429)
        return undefined;
    const body = e.response?.data?.message;
    const said = `${typeof body === 'string' ? body : ''} ${e.message ?? ''}`;
    const exhausted = header(e, 'x-ratelimit-remaining') === '0';
    if (e.status === 403 && !exhausted && !/rate limit/i.test(said))
        return undefined;
    const after = Number(header(e, 'retry-after'));
    if (header(e, 'retry-after') !== undefined && Number.isFinite(after) && after >= 0)
        return after * 1000;
    const reset = Number(header(e, 'x-ratelimit-reset'));
    if (exhausted && Number.isFinite(reset) && reset > 0)
        return Math.max(0, reset * 1000 - now);
    return 60_000;
}
/** A wait, for messages: "3 s", "2 min", "2 h 5 min". */
function wait(ms) {
    const s = Math.ceil(ms / 1000);
    if (s < 120)
        return `${s} s`;
    const min = Math.ceil(s / 60);
    return min < 120 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}
/**
 * The {@link RateLimited} for a rate-limit answer to `doing`, saying it is not a permission
 * problem; undefined when `error` is not one.
 */
function rateLimited(error, doing, now = Date.now()) {
    const waitMs = rateLimitWait(error, now);
    if (waitMs === undefined)
        return undefined;
    const limited = new RateLimited(`GitHub rate-limited ${doing} (${reason(error)}) and asks to wait ${wait(waitMs)}. ` +
        'This is a rate limit, not a missing permission: the credentials need no change; run the workflow again after the wait, or rotate fewer targets per run.', waitMs);
    limited.cause = error;
    return limited;
}


/***/ }),

/***/ 5609:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// UNUSED EXPORTS: PACE_WRITES_ABOVE

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 18 modules
var core = __webpack_require__(6257);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-iam/dist-cjs/index.js
var dist_cjs = __webpack_require__(6764);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-sts/dist-cjs/index.js
var client_sts_dist_cjs = __webpack_require__(1695);
// EXTERNAL MODULE: ./node_modules/@smithy/core/dist-cjs/submodules/retry/index.js
var retry = __webpack_require__(3609);
;// CONCATENATED MODULE: ./src/aws/retry.ts
/**
 * How AWS calls are retried. The SDK's standard strategy retries throttling, 5xx and network
 * errors, which is right for reads and for calls that are safe to repeat. Two of its choices are
 * wrong for the action: it counts IAM's `LimitExceeded` (a quota: two keys, 50 tags per user) as
 * throttling and retries it for seconds, and it repeats a call that is not idempotent after an
 * answer that never came, so CreateAccessKey could create a second key whose secret is lost.
 */

/** IAM's quota errors: asking again gets the same answer until someone frees the quota. */
function isQuota(error) {
    const name = error?.name;
    return name === 'LimitExceededException' || name === 'LimitExceeded';
}
/**
 * Whether the service may have acted although the call failed: no answer (network error,
 * time-out) or a 5xx. A 4xx is a definite refusal: nothing changed.
 */
function isUncertain(error) {
    const status = error?.$metadata?.httpStatusCode;
    return status === undefined || status >= 500;
}
/** Set on errors of calls that must not be repeated blind (see {@link notIdempotent}). */
const ONCE = Symbol('rotate-iam-key: not idempotent');
/** The standard strategy, minus quotas and blind repeats of calls marked {@link notIdempotent}. */
class NoBlindRetry extends retry.StandardRetryStrategy {
    async refreshRetryTokenForRetry(...[token, info]) {
        if (!mayRetry(info))
            throw info.error ?? new Error('not retried');
        return super.refreshRetryTokenForRetry(token, info);
    }
}
function mayRetry(info) {
    const error = info.error;
    if (isQuota(error))
        return false;
    // A throttled or otherwise refused call did nothing: repeating it is safe even when it creates.
    return !(error?.[ONCE] && isUncertain(error));
}
/**
 * A command middleware that marks the command's errors so the retry strategy never repeats it
 * after an uncertain outcome; the caller reads the state back and decides instead.
 */
function notIdempotent() {
    return (next) => async (args) => {
        try {
            return await next(args);
        }
        catch (error) {
            if (error && typeof error === 'object')
                error[ONCE] = true;
            throw error;
        }
    };
}

;// CONCATENATED MODULE: ./src/aws/config.ts
/** Settings every AWS client of the action shares. */

/** Attempts per AWS call: the SDK's standard strategy backs off on throttling and 5xx (see retry.ts for what it never repeats). */
const MAX_ATTEMPTS = 5;
/** A call that has not answered by then is abandoned and retried, so a hung endpoint cannot stall the run. */
const REQUEST_TIMEOUT_MS = 10_000;
/**
 * Client settings: region plus timeouts. Endpoints are left to the SDK, which honours
 * `AWS_ENDPOINT_URL_IAM`, `AWS_ENDPOINT_URL_STS` and `AWS_ENDPOINT_URL` by itself.
 */
function clientConfig(region, maxAttempts = MAX_ATTEMPTS) {
    return {
        region,
        maxAttempts,
        retryStrategy: new NoBlindRetry(maxAttempts),
        requestHandler: {
            requestTimeout: REQUEST_TIMEOUT_MS,
            connectionTimeout: REQUEST_TIMEOUT_MS,
            // Without it the SDK only warns about a request past its timeout and keeps waiting.
            throwOnRequestTimeout: true
        }
    };
}

// EXTERNAL MODULE: ./node_modules/@smithy/property-provider/dist-cjs/index.js
var property_provider_dist_cjs = __webpack_require__(8857);
// EXTERNAL MODULE: ./src/oidc-token.ts
var oidc_token = __webpack_require__(7742);
;// CONCATENATED MODULE: ./src/aws/credentials.ts
/**
 * The admin credentials the rotation works with: a role assumed with GitHub's OIDC token, or
 * whatever the AWS SDK's default chain finds in the environment.
 */





/** Renew the session when less than this is left, so no call is signed with expiring credentials. */
const REFRESH_BEFORE_MS = 60_000;
/**
 * A provider that fetches a fresh OIDC token and assumes `role` with it, once: concurrent first
 * calls share one session. It assumes the role again when the session nears expiry, so a long
 * run gets new credentials on its own. `firstToken`, when given, is the token requested at
 * start-up ({@link startOidcToken}): the first session uses it, later ones fetch their own.
 */
function assumeRoleWithOidc(role, region, firstToken, getIdToken = core.getIDToken) {
    let early = firstToken;
    const assume = async () => {
        let token;
        try {
            // getIDToken masks the token itself.
            token = await (early ?? (0,oidc_token/* oidcToken */.dQ)(role.audience, getIdToken));
        }
        catch (error) {
            early = undefined; // a failed early request is not repeated: the next session asks anew
            throw new Error(`Could not get GitHub's OIDC token (${error.message}). Give the job 'permissions: id-token: write', or leave 'role-to-assume' empty to use credentials from the environment.`, { cause: error });
        }
        early = undefined; // a token is good for one session: a renewal fetches a fresh one
        // The web-identity call is unsigned, so this client needs no credentials of its own.
        const sts = new client_sts_dist_cjs/* STSClient */.iM(clientConfig(region));
        try {
            const { Credentials: c } = await sts.send(new client_sts_dist_cjs/* AssumeRoleWithWebIdentityCommand */.WH({
                RoleArn: role.arn,
                RoleSessionName: role.sessionName,
                WebIdentityToken: token,
                DurationSeconds: role.durationSeconds
            }));
            if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
                throw new Error('STS returned no credentials');
            }
            core.setSecret(c.SecretAccessKey);
            core.setSecret(c.SessionToken);
            return {
                accessKeyId: c.AccessKeyId,
                secretAccessKey: c.SecretAccessKey,
                sessionToken: c.SessionToken,
                expiration: c.Expiration
            };
        }
        catch (error) {
            const e = error;
            throw new Error(`Could not assume role ${role.arn} with GitHub's OIDC token (${e.name}: ${e.message}). Check that the role trusts the GitHub OIDC provider for this repository and branch (condition on 'token.actions.githubusercontent.com:sub') and audience '${role.audience}'.`, { cause: error });
        }
        finally {
            sts.destroy();
        }
    };
    return (0,property_provider_dist_cjs/* memoize */.Bj)(assume, (c) => c.expiration !== undefined && c.expiration.getTime() - Date.now() < REFRESH_BEFORE_MS, (c) => c.expiration !== undefined);
}

;// CONCATENATED MODULE: ./src/aws/verify.ts
/**
 * Proof that a new key works before anyone depends on it: STS GetCallerIdentity signed with the
 * key must name the user. IAM is eventually consistent, so a new key is refused for a few seconds.
 */


/** Thrown when the key never verified; the caller must not hand that key to anyone. */
class VerifyError extends Error {
    name = 'VerifyError';
}
/** GetCallerIdentity signed by `key`, one attempt per call: the poll loop is the retry. */
function stsCallerArn(region) {
    return async (key) => {
        const sts = new client_sts_dist_cjs/* STSClient */.iM({
            ...clientConfig(region, 1),
            credentials: { accessKeyId: key.id, secretAccessKey: key.secret }
        });
        try {
            const { Arn } = await sts.send(new client_sts_dist_cjs/* GetCallerIdentityCommand */.zI({}));
            return Arn ?? '';
        }
        finally {
            sts.destroy();
        }
    };
}
/**
 * Poll `callerArn` about once a second (attempts start `intervalMs` apart, so a slow answer does
 * not add to the wait) until it returns `expectedArn` or `timeoutMs` has passed.
 */
async function verifyKey(key, expectedArn, callerArn, clock, timeoutMs, intervalMs = 1000) {
    const start = clock.now();
    let lastError;
    for (let attempts = 1;; attempts++) {
        const attemptStart = clock.now();
        try {
            const arn = await callerArn(key);
            if (arn === expectedArn)
                return { afterMs: clock.now() - start, attempts };
            // A key that authenticates as someone else is a fault, not a delay: do not wait it out.
            throw new VerifyError(`the new key ${key.id} authenticates as ${arn}, not as ${expectedArn}`);
        }
        catch (error) {
            if (error instanceof VerifyError)
                throw error;
            const e = error;
            lastError = `${e.name}: ${e.message}`;
        }
        const next = attemptStart + intervalMs;
        if (next - start >= timeoutMs) {
            throw new VerifyError(`the new key ${key.id} was still refused by STS after ${Math.round((clock.now() - start) / 1000)} s and ${attempts} attempts (last answer: ${lastError})`);
        }
        await clock.sleep(Math.max(0, next - clock.now()));
    }
}

// EXTERNAL MODULE: ./src/github/targets.ts
var targets = __webpack_require__(5617);
;// CONCATENATED MODULE: ./src/budget.ts
/**
 * GitHub's budget for writes, checked before any change. GitHub's secondary rate limits allow one
 * identity 80 content-creating requests a minute and 500 an hour, and ask for a second between
 * mutating requests when there are many. Every secret write is one, and a run writes two secrets
 * per target: a fleet of 1,000 repositories needs 2,000 writes, over three hours of waiting.
 *
 * A run must not span hours. While it publishes a user's key it holds that user's lease, and
 * until every target holds the new key both keys stay Active: every hour spent waiting out
 * GitHub's budget is an hour two live keys exist and nothing else may rotate the user. A run that
 * would need more than one hour's budget is refused before anything changes, with what would help.
 */

/** GitHub: no more than 80 content-creating requests per minute… */
const WRITES_PER_MINUTE = 80;
/** …and no more than 500 per hour, for one user, App installation or token. */
const WRITES_PER_HOUR = 500;
/** GitHub: wait at least one second between mutating requests when making many. */
const SECONDS_BETWEEN_WRITES = 1;
/** The key ID and the secret access key: two secrets per target. */
const WRITES_PER_TARGET = 2;
const GITHUB_WRITE_LIMITS = {
    perMinute: WRITES_PER_MINUTE,
    perHour: WRITES_PER_HOUR,
    spacingSeconds: SECONDS_BETWEEN_WRITES
};
/**
 * The earliest the `writes`-th write may start, in seconds after the first, when every write
 * keeps the spacing and no 60 s or 3,600 s window holds more than its budget (GitHub counts in
 * rolling windows; the run's own reads and other clients of the identity only add to this).
 */
function leastSeconds(writes, limits = GITHUB_WRITE_LIMITS) {
    const starts = [];
    for (let i = 0; i < writes; i++) {
        const after = (n, seconds) => i >= n ? (starts[i - n] ?? 0) + seconds : 0;
        starts.push(Math.max(i > 0 ? (starts[i - 1] ?? 0) + limits.spacingSeconds : 0, after(limits.perMinute, limits.minuteSeconds ?? 60), after(limits.perHour, limits.hourSeconds ?? 3600)));
    }
    return starts.at(-1) ?? 0;
}
/**
 * Writes per GitHub identity, and whether each fits one hour's budget. A token is one identity;
 * a GitHub App writes with one installation token per account that owns targets, and each
 * installation has a budget of its own. The count is of the writes a run plans: a key ID put back
 * after a failed write only adds to it, which is one more reason not to plan up to the limit.
 */
function budget(users, auth, limits = GITHUB_WRITE_LIMITS) {
    const writes = new Map();
    for (const target of users.flatMap((u) => u.targets)) {
        // Accounts are compared as GitHub compares logins, case-insensitively.
        const identity = auth === 'token'
            ? 'the token'
            : `the GitHub App's installation on ${(0,targets/* owner */.eC)(target).toLowerCase()}`;
        writes.set(identity, (writes.get(identity) ?? 0) + WRITES_PER_TARGET);
    }
    const identities = [...writes].map(([identity, n]) => ({
        identity,
        writes: n,
        leastSeconds: leastSeconds(n, limits)
    }));
    const over = identities.filter((i) => i.writes > limits.perHour);
    return over.length === 0
        ? { fits: true, identities }
        : { fits: false, identities, message: refusal(over, limits) };
}
function refusal(over, limits) {
    const each = over
        .map((i) => `${i.writes} secret writes as ${i.identity} (at least ${duration(i.leastSeconds)})`)
        .join(', ');
    return (`This run would make ${each}: more than the ${limits.perHour} writes GitHub allows one identity in an hour ` +
        `(and ${limits.perMinute} a minute, ${limits.spacingSeconds} s apart). ` +
        'A run that waits hours for its budget keeps a half-published key, and both keys live, for every hour it waits, so it is refused before any change. ' +
        'To fit an hour: share one key through organization secrets (one organization target serves many repositories, for two writes); ' +
        "split the fleet across runs (with 'max-age-days' on a frequent schedule, users that are not due are skipped, so the rotations spread out over the days); " +
        'or rotate parts of the fleet from several workflows, each with its own GitHub App. Nothing was changed.');
}
/** `3 h 8 min 19 s`, `1 min 39 s`, `0 s`. */
function duration(seconds) {
    const parts = [
        [Math.floor(seconds / 3600), 'h'],
        [Math.floor((seconds % 3600) / 60), 'min'],
        [seconds % 60, 's']
    ];
    const shown = parts.filter(([n]) => n > 0).map(([n, unit]) => `${n} ${unit}`);
    return shown.length > 0 ? shown.join(' ') : '0 s';
}
/**
 * The run's budget, taken user by user as each is found due: a user whose writes would take the
 * run past one hour's budget is refused before any change of its own, and the next run, with a
 * fresh budget, finds it still due. Users rotate a few at a time, so the order is first come.
 */
class WriteBudget {
    auth;
    limits;
    taken = [];
    constructor(auth, limits = GITHUB_WRITE_LIMITS) {
        this.auth = auth;
        this.limits = limits;
    }
    /** Take `targets`' writes from the budget; the refusal when they do not fit. */
    take(targets) {
        const verdict = budget([...this.taken, { targets }], 'token' in this.auth ? 'token' : 'app', this.limits);
        if (!verdict.fits)
            return verdict.message;
        this.taken.push({ targets });
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/aws/keys.ts
/** The IAM calls on one user: its keys, their last use, and the marks the action keeps on them. */



/** The user's ARN and tags; fails with IAM's NoSuchEntity when the user does not exist. */
async function getUser(iam, userName) {
    const { User } = await iam.send(new dist_cjs/* GetUserCommand */.T3b({ UserName: userName }));
    if (!User?.Arn)
        throw new Error(`IAM returned no ARN for user ${userName}`);
    const tags = {};
    for (const t of User.Tags ?? [])
        if (t.Key !== undefined)
            tags[t.Key] = t.Value ?? '';
    return { arn: User.Arn, tags };
}
/** The user's access keys, oldest first. */
async function listKeys(iam, userName) {
    const { AccessKeyMetadata = [] } = await iam.send(new dist_cjs/* ListAccessKeysCommand */.Qxm({ UserName: userName }));
    return AccessKeyMetadata.map((k) => ({
        id: k.AccessKeyId ?? '',
        status: k.Status === 'Active' ? 'Active' : 'Inactive',
        created: k.CreateDate ?? new Date(0)
    })).sort((a, b) => a.created.getTime() - b.created.getTime());
}
/**
 * Create a key and mask its secret before anything else can print it. Sent once: after an answer
 * that never came the caller reads the user's keys back (see `notIdempotent`).
 */
async function createKey(iam, userName) {
    const command = new dist_cjs/* CreateAccessKeyCommand */.hN({ UserName: userName });
    command.middlewareStack.add(notIdempotent(), {
        step: 'finalizeRequest',
        priority: 'low',
        name: 'notIdempotent'
    });
    const { AccessKey } = await iam.send(command);
    const secret = AccessKey?.SecretAccessKey;
    if (secret)
        core.setSecret(secret);
    if (!AccessKey?.AccessKeyId || !secret)
        throw new Error('IAM returned no access key');
    return { id: AccessKey.AccessKeyId, secret };
}
/** A key that is already gone is what deleting or deactivating it wanted: another run did it. */
const gone = (error) => {
    const name = error.name;
    if (name !== 'NoSuchEntityException' && name !== 'NoSuchEntity')
        throw error;
};
/** Mark a key Inactive: reversible, unlike deletion. */
async function deactivateKey(iam, userName, id) {
    await iam
        .send(new dist_cjs/* UpdateAccessKeyCommand */.SF3({ UserName: userName, AccessKeyId: id, Status: 'Inactive' }))
        .then(() => undefined, gone);
}
async function deleteKey(iam, userName, id) {
    await iam
        .send(new dist_cjs/* DeleteAccessKeyCommand */.yq0({ UserName: userName, AccessKeyId: id }))
        .then(() => undefined, gone);
}
async function keys_lastUse(iam, id) {
    const { AccessKeyLastUsed: u } = await iam.send(new dist_cjs/* GetAccessKeyLastUsedCommand */.qRl({ AccessKeyId: id }));
    return { date: u?.LastUsedDate, service: u?.ServiceName === 'N/A' ? undefined : u?.ServiceName };
}
/** Write tags on the user (the action's marks); writing the same value again changes nothing. */
async function tag(iam, userName, tags) {
    const list = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    if (list.length > 0)
        await iam.send(new dist_cjs/* TagUserCommand */.pkA({ UserName: userName, Tags: list }));
}
/** Remove tags from the user; removing a tag that is not there changes nothing. */
async function untag(iam, userName, keys) {
    if (keys.length > 0)
        await iam.send(new dist_cjs/* UntagUserCommand */.KZ_({ UserName: userName, TagKeys: keys }));
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/aws/marks.ts
/**
 * What the action remembers between runs, kept as IAM user tags. A tag whose key is an access key
 * ID is that key's "description" in the IAM console, so people see it there; the `rotate-iam-key`
 * tag is the intent (a lease) of the run rotating the user now. Marks identify, never guess: the
 * intent names the keys that existed before the run created one, so the announced key is the one
 * not in that set, and every mark names its run and workflow.
 *
 * IAM tag values allow letters, digits, spaces and `_ . : / = + - @` (256 at most), so a mark is
 * `<Word> by rotate-iam-key at <time>` followed by `name value` pairs without spaces.
 */

/** The user tag of the intent. */
const INTENT_TAG = 'rotate-iam-key';
/** An access key ID as a tag key (IAM's own format). */
const ACCESS_KEY_ID = /^A[KS]IA[A-Z0-9]{12,124}$/;
/** Tags the action holds at once at most: the intent, the current key's mark, the new key's mark. */
const TAGS_NEEDED = 3;
/** IAM's quota of tags per user. */
const MAX_USER_TAGS = 50;
const HEAD = /^(Published|Deactivated|Rotating) by rotate-iam-key at (\S+Z)((?: \S+ \S+)*)$/;
const WORD = {
    published: 'Published',
    deactivated: 'Deactivated',
    intent: 'Rotating'
};
const identity = (i) => [
    ...(i.run ? [`run ${i.run.id}.${i.run.attempt}`] : []),
    ...(i.workflow ? [`workflow ${i.workflow}`] : [])
];
function formatKeyMark(m) {
    const parts = [`${WORD[m.state]} by rotate-iam-key at ${m.at.toISOString()}`, ...identity(m)];
    if (m.targets)
        parts.push(`targets ${m.targets}`);
    return parts.join(' ');
}
function formatIntent(i) {
    return [
        `${WORD.intent} by rotate-iam-key at ${i.at.toISOString()}`,
        `lease ${i.lease.toISOString()}`,
        `keys ${i.before.length ? i.before.join('+') : 'none'}`,
        ...(i.created ? [`new ${i.created}`] : []),
        ...(i.rewrite ? ['rewrite all'] : []),
        ...identity(i)
    ].join(' ');
}
function parse(value) {
    const m = HEAD.exec(value);
    if (!m)
        return undefined;
    const at = new Date(m[2]);
    if (Number.isNaN(at.getTime()))
        return undefined;
    const words = (m[3] ?? '').trim().split(' ').filter(Boolean);
    const fields = new Map();
    for (let i = 0; i + 1 < words.length; i += 2)
        fields.set(words[i], words[i + 1]);
    return { word: m[1], at, fields };
}
function identityOf(fields) {
    const run = /^(\d+)\.(\d+)$/.exec(fields.get('run') ?? '');
    const workflow = fields.get('workflow');
    return {
        ...(run ? { run: { id: run[1], attempt: Number(run[2]) } } : {}),
        ...(workflow ? { workflow } : {})
    };
}
/** The mark a key's tag holds, or undefined when the tag is not the action's. */
function parseKeyMark(value) {
    const p = parse(value);
    if (!p || p.word === WORD.intent)
        return undefined;
    const state = p.word === WORD.published ? 'published' : 'deactivated';
    const targets = p.fields.get('targets');
    return { state, at: p.at, ...identityOf(p.fields), ...(targets ? { targets } : {}) };
}
/** The intent the `rotate-iam-key` tag holds, or undefined when it holds none. */
function parseIntent(value) {
    const p = parse(value);
    const lease = new Date(p?.fields.get('lease') ?? '');
    const keys = p?.fields.get('keys');
    if (!p || p.word !== WORD.intent || Number.isNaN(lease.getTime()) || !keys)
        return undefined;
    const created = p.fields.get('new');
    return {
        at: p.at,
        lease,
        before: keys === 'none' ? [] : keys.split('+'),
        ...(created ? { created } : {}),
        ...(p.fields.get('rewrite') === 'all' ? { rewrite: true } : {}),
        ...identityOf(p.fields)
    };
}
/** Whether a tag is one the action keeps (so it does not count against the user's own tags). */
function isActionTag(key, value) {
    if (key === INTENT_TAG)
        return true;
    return ACCESS_KEY_ID.test(key) && parseKeyMark(value) !== undefined;
}
const TAG_UNSAFE = /[^\p{L}\p{N}_.:/=+\-@]/gu;
/**
 * Long workflow paths keep their start and a hash, so every mark stays within 256 characters: the
 * longest, an intent naming two keys seen, the new key, `rewrite all` and an 11-digit run, takes
 * about 200 more.
 */
const MAX_WORKFLOW = 48;
/**
 * The workflow as marks name it: `owner/repo/file.yml` from `GITHUB_WORKFLOW_REF`
 * (`owner/repo/.github/workflows/file.yml@ref`). Owner and repository are case-insensitive on
 * GitHub, so they are lower-cased; the branch is not part of it: a workflow is one owner whatever
 * branch it runs from.
 */
function workflowId(workflowRef) {
    if (!workflowRef)
        return undefined;
    const path = workflowRef.replace(/@.*$/, '');
    const m = /^([^/]+)\/([^/]+)\/(?:\.github\/workflows\/)?(.+)$/.exec(path);
    if (!m)
        return undefined;
    const id = `${m[1].toLowerCase()}/${m[2].toLowerCase()}/${m[3]}`;
    const safe = id.replace(TAG_UNSAFE, '_');
    if (safe.length <= MAX_WORKFLOW)
        return safe;
    const hash = (0,external_node_crypto_.createHash)('sha256').update(id).digest('hex').slice(0, 16);
    return `${safe.slice(0, MAX_WORKFLOW - 17)}+${hash}`;
}
/** A short fingerprint of a target list, so a later run can tell the list changed. */
function fingerprint(items) {
    const sorted = [...new Set(items.map((s) => s.toLowerCase()))].sort();
    return (0,external_node_crypto_.createHash)('sha256').update(sorted.join('\n')).digest('hex').slice(0, 12);
}

;// CONCATENATED MODULE: ./src/messages.ts

const DAY_MS = 86_400_000;
/** Explain an AWS SDK error raised while `doing`, with the fix for the common causes. */
function explainAws(error, doing) {
    const e = error;
    const what = `AWS failed while ${doing} (${e.name}: ${e.message})`;
    switch (e.name) {
        case 'NoSuchEntityException':
        case 'NoSuchEntity':
            return `${what}. Check 'iam-user-name': the user must exist in the account the credentials belong to.`;
        case 'AccessDenied':
        case 'AccessDeniedException':
            return `${what}. Allow the admin role the IAM actions in docs/aws-setup.md on this user.`;
        case 'InvalidClientTokenId':
        case 'SignatureDoesNotMatch':
        case 'ExpiredToken':
        case 'UnrecognizedClientException':
            return `${what}. The admin credentials were refused: set 'role-to-assume', or configure valid credentials before this step.`;
        case 'CredentialsProviderError':
            return `${what}. No AWS credentials were found: set 'role-to-assume' (with 'permissions: id-token: write'), or configure credentials before this step.`;
        case 'LimitExceeded':
        case 'LimitExceededException':
            return /TagsPerUser/i.test(e.message)
                ? `${what}. IAM allows ${MAX_USER_TAGS} tags per user and the action needs ${TAGS_NEEDED} of them: remove tags the user no longer needs ('aws iam untag-user'), then run again.`
                : `${what}. IAM allows two access keys per user and this one has two: another rotation may be running for it. Give the rotation workflows one 'concurrency:' group, and run again.`;
        default:
            return `${what}. The AWS SDK retried and gave up; run the workflow again later.`;
    }
}
const age = (d, now) => `${Math.floor((now - d.getTime()) / DAY_MS)} days old`;
const use = (u) => !u
    ? 'last use unknown'
    : u.date
        ? `last used ${u.date.toISOString()}${u.service ? ` (${u.service})` : ''}`
        : 'never used';
/** Why a user with two Active keys is not rotated, and how to unblock it. */
function twoActiveKeys(user, keys, uses, now) {
    const lines = keys.map((k, i) => `  - ${k.id}: Active, ${age(k.created, now)}, ${use(uses[i])}`);
    return [
        `IAM user ${user} has two Active access keys, so IAM has no room for a new one and the action cannot tell which one deploys use:`,
        ...lines,
        `Nothing was changed. Find the key no deploy uses (the last-use dates help), deactivate it ('aws iam update-access-key --user-name ${user} --access-key-id ID --status Inactive'), check deploys still work, then run the workflow again: it deletes the Inactive key and rotates the other.`
    ].join('\n');
}
/** Why a user is left alone while another run holds its lease. */
function busy(user, intent) {
    const run = intent.run ? `run ${intent.run.id} (attempt ${intent.run.attempt})` : 'another run';
    const from = intent.workflow ? ` of ${intent.workflow}` : '';
    return `IAM user ${user} is being rotated by ${run}${from}, which started at ${intent.at.toISOString()} and holds it until ${intent.lease.toISOString()}. Nothing was changed. Let that run finish; give the rotation workflows one 'concurrency:' group so runs queue instead of overlapping. If that run was killed, re-running it takes over at once; any other run takes over when its lease ends.`;
}
/** Why a run does not touch a user another workflow rotates. */
function otherOwner(user, key, theirs, ours) {
    return `IAM user ${user}'s key ${key} was published by workflow ${theirs}; this is ${ours}. Rotating it from here would retire a key that workflow's targets hold, so nothing was changed. Rotate each IAM user from one workflow only: list every target of ${user} there and remove it from the other, or give each workflow its own IAM user.`;
}
/** Why a run stops when the user has no room for the action's marks. */
function tagQuota(user, own) {
    const free = MAX_USER_TAGS - own;
    return `IAM user ${user} has ${own} tags of its own; IAM allows ${MAX_USER_TAGS} per user and the action needs ${TAGS_NEEDED} for its marks (it has ${Math.max(free, 0)}). Nothing was changed. Remove ${TAGS_NEEDED - free} tag(s) the user no longer needs ('aws iam list-user-tags --user-name ${user}', then 'aws iam untag-user'), and run again.`;
}

;// CONCATENATED MODULE: ./src/rotation/describe.ts
/** What a dry run would do, in order: the plan in words. */

function describePlan(plan, req) {
    const lines = [];
    if (plan.unretired)
        lines.push(`retire ${plan.unretired.key.id}, which an earlier run replaced`);
    for (const k of plan.expired)
        lines.push(`delete ${k.id}: past its grace period`);
    if (plan.kind === 'idle')
        return [...lines, `not rotate: ${plan.reason}`];
    for (const k of plan.kept)
        lines.push(`delete Inactive ${k.id} to make room`);
    if (plan.lost)
        lines.push(`recover ${plan.lost.key.id}, whose secret an ended run lost`);
    lines.push(`create a new key and verify it with STS (${plan.reason})`);
    for (const t of req.targets)
        lines.push(`write ${req.secretNames.accessKeyId} and ${req.secretNames.secretAccessKey} to ${(0,targets/* describe */.q0)(t)}`);
    // Reading a public key needs only read access: GitHub has no dry-run write to prove more.
    if (req.targets.length > 0)
        lines.push('not checked: that the token may write these secrets (GitHub has no dry-run write)');
    const old = plan.current ?? plan.lost?.key;
    if (old) {
        lines.push(req.deleteOldKey && req.gracePeriodDays === 0
            ? `deactivate ${old.id}, then delete it`
            : `deactivate ${old.id}${req.deleteOldKey ? `; delete it after ${req.gracePeriodDays} days` : ''}`);
    }
    return lines;
}

;// CONCATENATED MODULE: ./src/rotation/types.ts
/** A failure with what it left behind; `message` says what happened and what to do next. */
class RotationError extends Error {
    outcome;
    name = 'RotationError';
    constructor(message, outcome) {
        super(message);
        this.outcome = outcome;
    }
}
/** The two secret names, ID first. */
const namesOf = (req) => [
    req.secretNames.accessKeyId,
    req.secretNames.secretAccessKey
];

;// CONCATENATED MODULE: ./src/rotation/recovery.ts


/** GitHub's timestamps count whole seconds: compare on the second `since` falls in. */
const atOrAfter = (d, since) => d !== undefined && d.getTime() >= Math.floor(since.getTime() / 1000) * 1000;
/**
 * Which targets hold `newer` (written at or after `since`) and which `older`. A target whose key
 * ID was written but not its secret holds a mismatched pair: the ID is no secret, so the older
 * key's ID is put back and the pair works again at once.
 */
async function holders(ctx, older, newer, since) {
    const [idName, secretName] = namesOf(ctx.req);
    const { secrets, log } = ctx.deps;
    const holds = await Promise.all(ctx.prepared.map(async (p) => {
        const [id, secret] = await Promise.all([
            secrets.updatedAt(p, idName),
            secrets.updatedAt(p, secretName)
        ]);
        if (atOrAfter(id, since) && secret !== undefined && !atOrAfter(secret, since)) {
            await secrets.write(p, idName, older.id);
            log.info(`${(0,targets/* describe */.q0)(p.target)}: ${idName} put back to ${older.id}, matching its secret`);
            return 'older';
        }
        return atOrAfter(secret, since) ? 'newer' : secret === undefined ? 'empty' : 'older';
    }));
    const where = (h) => ctx.prepared.filter((_, i) => holds[i] === h);
    return {
        newer: where('newer'),
        older: [...where('older'), ...where('empty')],
        empty: where('empty')
    };
}
/**
 * Decide which of `current` and `lost` to delete so a new key can be created. IAM allows two keys,
 * so when some targets hold each, deleting one leaves its holders without a working key until the
 * new one reaches them: invariant 1's one exception, kept as short as possible.
 */
async function recover(ctx, current, lost, since) {
    const { newer, older } = await holders(ctx, current, lost, since);
    const list = (ps) => ps.map((p) => (0,targets/* describe */.q0)(p.target)).join(', ') || 'no target';
    const hold = (ps) => (ps.length === 1 ? 'holds' : 'hold');
    ctx.deps.log.info(`${list(newer)} ${hold(newer)} ${lost.id}; ${list(older)} ${hold(older)} ${current.id}`);
    if (newer.length <= older.length)
        return { deleted: lost, survivor: current, affected: newer };
    if (older.length > 0) {
        ctx.deps.log.warning(`More targets hold ${lost.id} than ${current.id}: deleting ${current.id}; ${list(older)} ${older.length === 1 ? 'is' : 'are'} without a working key until the new one is written there (first)`);
    }
    return { deleted: current, survivor: lost, affected: older };
}

;// CONCATENATED MODULE: ./src/rotation/settled.ts
/**
 * Like Promise.all, but fails only once every call has settled: a failure must not be handled
 * (a key deleted, the intent cleared or released) while a sibling call can still land after it.
 */
async function settled(calls) {
    const results = await Promise.allSettled(calls);
    for (const r of results)
        if (r.status === 'rejected')
            throw r.reason;
    return results.map((r) => r.value);
}

;// CONCATENATED MODULE: ./src/rotation/retire.ts
/** Retiring a key: deactivate it, then delete it now or leave it, marked, for a later run. */



const retire_DAY_MS = 86_400_000;
/**
 * Deactivate `old`, then delete it (and forget its mark) or mark it deactivated for its grace
 * period. `alsoForget` are tags removed in the same call (the run's intent, when it ends here).
 */
async function retire(ctx, old, alsoForget = []) {
    const { iam, log, clock } = ctx.deps;
    const { req, outcome } = ctx;
    outcome.old = { id: old.id, created: old.created, fate: 'kept' };
    // Deactivate before delete: a deactivated key can be re-enabled if a consumer breaks.
    if (old.status === 'Active')
        await deactivateKey(iam, req.userName, old.id);
    outcome.old.fate = 'deactivated';
    if (req.deleteOldKey && req.gracePeriodDays === 0) {
        // The delete and the removal of the key's mark (and the intent) side by side: a round trip
        // off every run. Either may land without the other and the next run copes: marks of a
        // deleted key are stale marks it clears, and an Inactive key without a mark is a leftover
        // the next rotation deletes to make room. Neither state can break a target: every target
        // already holds the new key.
        await settled([
            deleteKey(iam, req.userName, old.id).then(() => {
                if (outcome.old)
                    outcome.old.fate = 'deleted';
            }),
            untag(iam, req.userName, [old.id, ...alsoForget])
        ]);
    }
    else {
        const mark = formatKeyMark({
            state: 'deactivated',
            at: new Date(clock.now()),
            ...ctx.deps.identity
        });
        await Promise.all([
            tag(iam, req.userName, { [old.id]: mark }),
            untag(iam, req.userName, alsoForget)
        ]);
        if (req.deleteOldKey) {
            const when = new Date(clock.now() + req.gracePeriodDays * retire_DAY_MS).toISOString().slice(0, 10);
            outcome.old.deleteAfter = when;
            log.info(`${old.id} stays Inactive until ${when}; a run after that deletes it`);
        }
    }
    log.info(`Old key ${old.id} ${outcome.old.fate}`);
}
/** Delete a key that nobody holds, with its mark. */
async function remove(ctx, id) {
    await deleteKey(ctx.deps.iam, ctx.req.userName, id);
    await untag(ctx.deps.iam, ctx.req.userName, [id]);
}

;// CONCATENATED MODULE: ./src/rotation/housekeeping.ts
/**
 * Finishing what earlier runs left and making room for a new key: the first changes a run makes,
 * each safe to repeat, so a run that fails among them leaves work the next run redoes.
 */




/** Refused: a target still holds the key an earlier run published over. */
class StillHeld extends Error {
    name = 'StillHeld';
}
/** Retire a key an earlier run replaced, delete keys past their grace period, forget stale marks. */
async function housekeep(ctx, plan) {
    const { iam, log } = ctx.deps;
    const user = ctx.req.userName;
    if (plan.unretired) {
        const { key, over } = plan.unretired;
        // Retire only what nobody holds: every target written since `over` was created holds it.
        const { older, empty } = await holders(ctx, key, over, over.created);
        const holding = older.filter((p) => !empty.includes(p));
        if (holding.length > 0) {
            throw new StillHeld(`${key.id} is Active beside ${over.id}, which an earlier run published, but ${holding.map((p) => (0,targets/* describe */.q0)(p.target)).join(', ')} ${holding.length === 1 ? 'was' : 'were'} last written before ${over.id} existed and may still hold ${key.id}. Retiring it could break ${holding.length === 1 ? 'that target' : 'those targets'}, so nothing was changed. Check which key ${holding.length === 1 ? 'it holds' : 'they hold'}: if none uses ${key.id}, deactivate it ('aws iam update-access-key --user-name ${user} --access-key-id ${key.id} --status Inactive') and run again; otherwise rotate this user from the workflow that lists every target.`);
        }
        await log.group(`Retire ${key.id}, replaced by an earlier run`, () => retire(ctx, key));
        ctx.outcome.finished = `retired ${key.id}, which an earlier run replaced but did not retire`;
    }
    for (const key of plan.expired) {
        await remove(ctx, key.id);
        ctx.outcome.cleared.push(key.id);
        log.info(`Deleted ${key.id}: Inactive since ${key.mark?.at.toISOString()}, past its grace period`);
    }
    await untag(iam, user, plan.staleMarks);
}
/** Delete what must go so the new key fits (IAM allows two), recovering a lost key. */
async function makeRoom(ctx, plan) {
    const { log } = ctx.deps;
    for (const key of plan.kept) {
        if (key.mark?.state === 'deactivated' && ctx.req.deleteOldKey) {
            log.warning(`Deleting ${key.id} before its grace period ends: the user needs room for a new key`);
        }
        await remove(ctx, key.id);
        ctx.outcome.cleared.push(key.id);
    }
    const { current, lost } = plan;
    if (!lost)
        return { old: current, order: ctx.prepared };
    if (!current)
        return { old: lost.key, order: ctx.prepared };
    const r = await log.group(`Recover ${lost.key.id}, whose secret an ended run lost`, () => recover(ctx, current, lost.key, lost.intent.at));
    await remove(ctx, r.deleted.id);
    const deletedAt = ctx.deps.clock.now();
    ctx.outcome.cleared.push(r.deleted.id);
    ctx.outcome.recovery = {
        lostKey: lost.key.id,
        deleted: r.deleted.id,
        affected: r.affected.map((p) => ({ target: (0,targets/* describe */.q0)(p.target) }))
    };
    // The targets left without a working key go first.
    const order = [...r.affected, ...ctx.prepared.filter((p) => !r.affected.includes(p))];
    return { old: r.survivor, order, ...(r.affected.length ? { deletedAt } : {}) };
}

;// CONCATENATED MODULE: ./src/rotation/create.ts
/**
 * CreateAccessKey, sent once. It is the one call whose repetition is not harmless: a second key
 * fills IAM's quota, and a key whose answer was lost has a secret nobody will ever see. So after
 * an uncertain outcome (no answer, a 5xx, a time-out) or a quota refusal the run reads the user
 * back and decides from what IAM shows.
 */




/** Creates tried per run: each after reading back that the previous one left nothing behind. */
const CREATE_ATTEMPTS = 3;
/** Another run is rotating the same user at this very moment. */
class Contended extends Error {
    name = 'Contended';
}
/** Create the new key, reading the user back after any outcome that leaves a doubt. */
async function create_createKey(ctx, intent) {
    const { iam, log } = ctx.deps;
    const user = ctx.req.userName;
    let lostAnswer = false;
    let last;
    for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
        try {
            return await createKey(iam, user);
        }
        catch (error) {
            last = error;
            if (!isQuota(error) && !isUncertain(error))
                throw error;
            lostAnswer ||= isUncertain(error);
        }
        const [info, listed] = await Promise.all([getUser(iam, user), listKeys(iam, user)]);
        const unknown = listed.filter((k) => !intent.before.includes(k.id));
        // Every run writes its intent before it creates: an intent that is no longer ours means
        // another run started on this user after this one.
        if (info.tags[INTENT_TAG] !== formatIntent(intent)) {
            throw new Contended(`another run took over IAM user ${user} while this run was creating a key${unknown.length ? ` (keys it did not see before: ${unknown.map((k) => k.id).join(', ')})` : ''}`);
        }
        if (unknown.length > 0 && !lostAnswer) {
            // IAM answered every create of this run: a key it did not create belongs to another run.
            throw new Contended(`another run created ${unknown.map((k) => k.id).join(', ')} for IAM user ${user} at the same time`);
        }
        for (const k of unknown) {
            // Created by a call whose answer never arrived: nobody ever saw its secret.
            await deleteKey(iam, user, k.id);
            ctx.outcome.cleared.push(k.id);
            log.warning(`IAM created ${k.id} but its answer was lost, so its secret was never seen: deleted it`);
        }
        if (unknown.length === 0 && isQuota(last))
            throw last;
        log.info(`CreateAccessKey had no definite answer (attempt ${attempt}): IAM kept no key; once more`);
    }
    throw new Error(`${explainAws(last, `creating a new access key for ${user}`)} CreateAccessKey went ${CREATE_ATTEMPTS} times without a definite answer, and each time IAM showed no key it kept.`, { cause: last });
}
/**
 * After a create, the user holds no key this run did not expect: another run that created one at
 * the same time could not have seen ours, so a run that sees a stranger backs off.
 */
async function checkAlone(ctx, intent, key) {
    const listed = await listKeys(ctx.deps.iam, ctx.req.userName);
    const strangers = listed.filter((k) => k.id !== key.id && !intent.before.includes(k.id));
    if (strangers.length > 0) {
        throw new Contended(`another run created ${strangers.map((k) => k.id).join(', ')} for IAM user ${ctx.req.userName} at the same time as this run created ${key.id}`);
    }
}

;// CONCATENATED MODULE: ./src/rotation/lease.ts
/**
 * The run's lease on the user, kept in the intent tag: taken before CreateAccessKey, renewed while
 * the run publishes, released when it fails (so the next run takes over at once) and cleared when
 * it ends well. A run killed outright cannot release it: it expires, a re-run of the same workflow
 * run takes over at once, and GitHub can say that the run has ended.
 */


/** Slack on top of the planned work: IAM's tag write, retries, a slow runner. */
const LEASE_MARGIN_MS = 120_000;
/** How long the run needs the user for: verification, then every write still to make. */
function leaseMs(ctx, writesLeft) {
    return ctx.req.verifyTimeoutMs + writesLeft * ctx.deps.msPerWrite + LEASE_MARGIN_MS;
}
/** Write the intent; the lease runs from now for the work still planned. */
async function writeIntent(ctx, intent) {
    await tag(ctx.deps.iam, ctx.req.userName, { [INTENT_TAG]: formatIntent(intent) });
}
/** A fresh intent for this run: the keys it sees now, and a lease for all its work. */
function newIntent(ctx, before, rewrite) {
    const now = ctx.deps.clock.now();
    return {
        at: new Date(now),
        lease: new Date(now + leaseMs(ctx, ctx.prepared.length * 2)),
        before,
        ...(rewrite ? { rewrite } : {}),
        ...ctx.deps.identity
    };
}
/** Renew when less than the remaining work (and half the margin) is left on the lease. */
function needsRenewal(ctx, intent, writesLeft) {
    const left = intent.lease.getTime() - ctx.deps.clock.now();
    return left < writesLeft * ctx.deps.msPerWrite + LEASE_MARGIN_MS / 2;
}
/** The intent with its lease extended over `writesLeft` writes from now. */
function renewed(ctx, intent, writesLeft) {
    const lease = ctx.deps.clock.now() + writesLeft * ctx.deps.msPerWrite + LEASE_MARGIN_MS;
    return { ...intent, lease: new Date(lease) };
}
/**
 * Release the lease and keep the intent: the next run, whatever its workflow run, takes over at
 * once and still knows which key this run created. Returns what a person should know when even
 * that failed.
 */
async function release(ctx, intent) {
    const released = { ...intent, lease: new Date(ctx.deps.clock.now()) };
    return writeIntent(ctx, released).then(() => '', (e) => ` Releasing this run's lease failed too (${e.message}): another run waits until ${intent.lease.toISOString()}, or a re-run of this workflow run takes over at once.`);
}

;// CONCATENATED MODULE: ./src/rotation/states.ts
/** Every state, in order: the list docs/state-machine.md must match. */
const STATES = (/* unused pure expression or super */ null && ([
    'planned',
    'leased',
    'created',
    'verified',
    'publishing',
    'published',
    'retired'
]));
/** Raised when the runner asked the action to stop, at a point where stopping is safe. */
class Cancelled extends Error {
    name = 'Cancelled';
}

;// CONCATENATED MODULE: ./src/rotation/failures.ts







/** Why a step failed, in words: an AWS error with its fix; the action's own errors as they are. */
const why = (e, doing) => e.$metadata ? explainAws(e, doing) : e.message;
const cleared = (ctx) => ctx.outcome.cleared.length ? `; deleted before: ${ctx.outcome.cleared.join(', ')}` : '';
/** Delete the new key nobody holds yet; clear the lease when that worked, release it otherwise. */
async function undo(ctx, { intent, key }) {
    const user = ctx.req.userName;
    ctx.outcome.newKeyId = undefined;
    try {
        await deleteKey(ctx.deps.iam, user, key.id);
    }
    catch (e) {
        return `Deleting the new key ${key.id} failed too (${e.message}): the next run deletes it, or delete it with 'aws iam delete-access-key --user-name ${user} --access-key-id ${key.id}'.${await release(ctx, intent)}`;
    }
    // An intent that asks for every target to be rewritten stays, released, for the next run.
    const clearing = intent.rewrite
        ? await release(ctx, intent)
        : await untag(ctx.deps.iam, user, [INTENT_TAG]).then(() => '', () => release(ctx, intent));
    return `The new key ${key.id} was deleted again.${clearing}`;
}
const AGAIN = 'Run the workflow again (a re-run of this job takes over at once); if it keeps failing, check the AWS and GitHub status pages.';
const onFailure = {
    planned(ctx, _s, e) {
        const done = cleared(ctx);
        return Promise.resolve(`${why(e, 'finishing earlier runs and making room for a new key')}\nNo key was created${done}. ${AGAIN}`);
    },
    async leased(ctx, { room, intent }, e) {
        // Another run owns the intent now: leave it alone.
        const lease = e instanceof Contended ? '' : await release(ctx, intent);
        return `${why(e, `creating a new access key for ${ctx.req.userName}`)}\nNo new key was kept and no target was changed${cleared(ctx)}; ${room.old?.id ?? 'no other key'} still works.${lease} ${e instanceof Contended ? CONTENDED : AGAIN}`;
    },
    async created(ctx, s, e) {
        const undone = e instanceof Contended ? await deleteOnly(ctx, s.key) : await undo(ctx, s);
        return `${e instanceof Cancelled ? e.message : `Verification failed: ${why(e, 'verifying the new key')}`}\n${undone} No target was changed${cleared(ctx)}; ${s.room.old?.id ?? 'no other key'} still works. ${e instanceof Contended ? CONTENDED : AGAIN}`;
    },
    async verified(ctx, s, e) {
        return `${why(e, 'starting to write secrets')}\n${await undo(ctx, s)} No target was changed${cleared(ctx)}. ${AGAIN}`;
    },
    async publishing(ctx, s, e) {
        const message = why(e, 'writing secrets');
        const recovering = s.room.deletedAt !== undefined;
        if (s.written.length === 0 && !recovering) {
            return `Writing secrets failed: ${message}\n${await undo(ctx, s)} No target holds it${cleared(ctx)}; ${s.room.old?.id ?? 'no other key'} still works. ${AGAIN}`;
        }
        const lease = await release(ctx, s.intent);
        if (s.pending.length === 0) {
            return `${why(e, `recording that ${s.key.id} reached every target`)}\nEvery target holds the new key ${s.key.id} and both keys stay Active, so every deploy keeps working; only the mark saying so failed.${lease} Run the workflow again: the next run finds every target holding ${s.key.id} and completes the rotation.`;
        }
        const written = s.written.map((p) => (0,targets/* describe */.q0)(p.target));
        const pending = s.pending.map((p) => (0,targets/* describe */.q0)(p.target));
        const holds = (n) => (n === 1 ? 'holds' : 'hold');
        return `${message}\nBoth access keys stay Active so every deploy keeps working: ${written.join(', ') || 'no target'} now ${holds(written.length)} the new key ${s.key.id}; ${pending.join(', ')} still ${holds(pending.length)} the old key${s.room.old ? ` ${s.room.old.id}` : ''}.${lease} Fix the cause above and run the workflow again: the next run finds ${s.key.id} unfinished, checks which targets hold it, and completes the rotation.`;
    },
    async published(ctx, s, e) {
        const lease = await release(ctx, s.intent);
        const what = e instanceof Cancelled
            ? `${e.message}; ${s.room.old?.id ?? 'no old key'} was not retired yet`
            : `${why(e, `retiring the old key ${s.room.old?.id ?? ''}`)}\nThe new key ${s.key.id} is verified and in every target; only the old key's clean-up failed`;
        return `${what}.${lease} ${cleanUp(ctx)}`;
    }
};
/** What the next run does about an old key whose retirement stopped halfway. */
function cleanUp(ctx) {
    const old = ctx.outcome.old;
    // Deactivated, not deleted: an Inactive key nobody can use, deleted when a rotation needs room.
    if (old?.fate === 'deactivated' && ctx.req.deleteOldKey && ctx.req.gracePeriodDays === 0) {
        return `${old.id} is Inactive, so nothing can sign with it: the next rotation deletes it to make room, or delete it now with 'aws iam delete-access-key --user-name ${ctx.req.userName} --access-key-id ${old.id}'.`;
    }
    if (old?.fate === 'deleted')
        return `${old.id} is deleted; the next run clears its mark.`;
    return 'Run the workflow again: it finishes the clean-up.';
}
const CONTENDED = "Another run is rotating this user: let it finish, and give the rotation workflows one 'concurrency:' group so runs queue instead of overlapping.";
/** A run that lost a race deletes only its own key: the intent belongs to the other run now. */
async function deleteOnly(ctx, key) {
    ctx.outcome.newKeyId = undefined;
    return deleteKey(ctx.deps.iam, ctx.req.userName, key.id).then(() => `This run deleted its own new key ${key.id} and left the user to the other run.`, (e) => `Deleting this run's new key ${key.id} failed (${e.message}): the next run finds and deletes it.`);
}

// EXTERNAL MODULE: ./src/github/errors.ts
var errors = __webpack_require__(3116);
;// CONCATENATED MODULE: ./src/rotation/publish.ts




/**
 * The longest a run waits for GitHub's rate limits in all: below the six hours a GitHub-hosted job
 * may run, so the run ends itself, with the lease released, instead of being killed holding it.
 */
const MAX_RATE_LIMIT_WAIT_MS = 5 * 3_600_000;
/**
 * Write `key` into `target`. When the second write fails, the first is put back to `oldId`
 * (the ID is no secret), so the target holds a matching pair again; the error says whether that
 * worked. `oldId` is undefined when the target's old pair is not one to restore.
 */
async function writeTarget(ctx, key, target, oldId) {
    const [idName, secretName] = namesOf(ctx.req);
    const { secrets } = ctx.deps;
    // ID first, then secret: the ID is the half that can be put back; between the two writes the
    // target holds a mismatched pair for one round trip.
    await secrets.write(target, idName, key.id);
    try {
        await secrets.write(target, secretName, key.secret);
    }
    catch (e) {
        const name = (0,targets/* describe */.q0)(target.target);
        // Waited out and written again by the caller: putting the ID back would meet the same limit.
        if (e instanceof errors/* RateLimited */.JH) {
            throw new errors/* RateLimited */.JH(`${e.message} (${name}'s ${idName} already holds the new key ID: a mismatched pair until its secret is written)`, e.waitMs);
        }
        if (!oldId)
            throw e;
        const repair = await secrets.write(target, idName, oldId).then(() => `${name}'s ${idName} was put back to ${oldId}, matching its secret again.`, (r) => `Putting ${name}'s ${idName} back to ${oldId} failed too (${r.message}): it holds a mismatched pair until the next run.`);
        throw new Error(`${e.message}\n${repair}`, { cause: e });
    }
}
/**
 * Wait as long as GitHub asks after a rate limit, the lease renewed over the wait and the writes
 * still to make: once a key is part-published, giving up would leave two keys live for nothing.
 * Returns the renewed intent; rethrows when the run has waited as long as it may.
 */
async function waitOut(ctx, intent, limited, writesLeft) {
    const { deps, outcome } = ctx;
    const waited = outcome.rateLimitWaitMs ?? 0;
    if (waited + limited.waitMs > MAX_RATE_LIMIT_WAIT_MS)
        throw limited;
    const next = renewed(ctx, { ...intent }, writesLeft);
    const lease = { ...next, lease: new Date(next.lease.getTime() + limited.waitMs) };
    const kept = await writeIntent(ctx, lease).then(() => lease, (e) => {
        deps.log.warning(`Renewing the lease before waiting failed: ${e.message}`);
        return intent;
    });
    deps.log.warning(`GitHub answered a secret write with a rate limit. Waiting ${Math.ceil(limited.waitMs / 1000)} s as GitHub asks, the lease kept over the wait, then writing again (${writesLeft} write(s) left).`);
    await deps.clock.sleep(limited.waitMs);
    outcome.rateLimitWaitMs = waited + limited.waitMs;
    return kept;
}

;// CONCATENATED MODULE: ./src/rotation/machine.ts
/**
 * The rotation as a state machine. Each state is a type (states.ts); `step` takes a state to the
 * next one; `onFailure` (failures.ts) says, for each state, what a failure there leaves and turns
 * it into the message a person reads. docs/state-machine.md tells the same story, and a test
 * holds its list of states to {@link STATES}.
 */















const step = {
    async planned(ctx, { plan }) {
        await housekeep(ctx, plan);
        const room = await makeRoom(ctx, plan);
        stopIfCancelled(ctx, 'before creating a key');
        // Keys deleted since the plan stay in `before`: IDs are never reused, so that is harmless.
        // A recovery that left targets without a working key carries that into the intent, so the
        // next run rewrites every target even if this one fails first.
        const intent = newIntent(ctx, plan.seen, room.deletedAt !== undefined || Boolean(plan.leftIntent?.rewrite));
        await writeIntent(ctx, intent);
        return { at: 'leased', room, intent };
    },
    async leased(ctx, { room, intent }) {
        const key = await ctx.deps.log.group('Create access key', () => create_createKey(ctx, intent));
        ctx.outcome.newKeyId = key.id;
        ctx.deps.log.info(`Created ${key.id}`);
        return { at: 'created', room, intent, key };
    },
    async created(ctx, { room, intent, key }) {
        const { deps, req, arn } = ctx;
        const clock = {
            now: () => deps.clock.now(),
            sleep: async (ms) => {
                await deps.clock.sleep(ms);
                stopIfCancelled(ctx, 'while verifying');
            }
        };
        // Beside verification, which waits on IAM anyway: no other run created a key, the lease
        // names the new key, and the old key's last use for the summary.
        const mine = { ...intent, created: key.id };
        const [verified, , , lastUse] = await settled([
            deps.log.group('Verify the new key with STS', () => verifyKey(key, arn, deps.callerArn, clock, req.verifyTimeoutMs)),
            checkAlone(ctx, intent, key),
            writeIntent(ctx, mine),
            room.old ? keys_lastUse(deps.iam, room.old.id).catch(() => undefined) : undefined
        ]);
        ctx.outcome.verifiedAfterMs = verified.afterMs;
        deps.log.info(`Verified after ${verified.afterMs} ms (${verified.attempts} attempt(s))`);
        if (lastUse)
            lastUses.set(ctx, lastUse);
        return { at: 'verified', room, intent: mine, key };
    },
    verified(ctx, s) {
        stopIfCancelled(ctx, 'before writing any secret');
        return Promise.resolve({ ...s, at: 'publishing', written: [], pending: s.room.order });
    },
    async publishing(ctx, s) {
        const [target, ...pending] = s.pending;
        if (!target) {
            await tag(ctx.deps.iam, ctx.req.userName, {
                [s.key.id]: formatKeyMark({
                    state: 'published',
                    at: new Date(ctx.deps.clock.now()),
                    ...ctx.deps.identity,
                    targets: ctx.fingerprint
                })
            });
            ctx.outcome.rotated = true;
            return { at: 'published', room: s.room, intent: s.intent, key: s.key };
        }
        let intent = s.intent;
        const writesLeft = s.pending.length * 2;
        if (needsRenewal(ctx, intent, writesLeft)) {
            const next = renewed(ctx, intent, writesLeft);
            // A lease that cannot be renewed still runs until it expires: warn, and try at the next target.
            await writeIntent(ctx, next).then(() => (intent = next), (e) => ctx.deps.log.warning(`Renewing the lease failed: ${e.message}`));
        }
        const name = (0,targets/* describe */.q0)(target.target);
        // A target holding the old pair gets it back when its second write fails; one whose key a
        // recovery deleted has nothing to go back to.
        const affected = ctx.outcome.recovery?.affected.find((a) => a.target === name);
        try {
            await writeTarget(ctx, s.key, target, affected ? undefined : s.room.old?.id);
        }
        catch (e) {
            if (!(e instanceof errors/* RateLimited */.JH))
                throw e;
            // The same state again: this target is written once the wait is over.
            return { ...s, intent: await waitOut(ctx, intent, e, writesLeft) };
        }
        ctx.outcome.written.push(name);
        if (affected && s.room.deletedAt !== undefined)
            affected.windowMs = ctx.deps.clock.now() - s.room.deletedAt;
        ctx.deps.log.info(`${name}: ${ctx.req.secretNames.accessKeyId}, ${ctx.req.secretNames.secretAccessKey} written`);
        return { ...s, intent, written: [...s.written, target], pending };
    },
    async published(ctx, { room }) {
        stopIfCancelled(ctx, 'after the new key reached every target');
        const { old } = room;
        if (old) {
            await ctx.deps.log.group(`Retire the old key ${old.id}`, () => retire(ctx, old, [INTENT_TAG]));
            const lastUse = lastUses.get(ctx);
            if (ctx.outcome.old && lastUse)
                ctx.outcome.old.lastUse = lastUse;
        }
        else
            await untag(ctx.deps.iam, ctx.req.userName, [INTENT_TAG]);
        return { at: 'retired' };
    }
};
/** The old key's last use, read beside verification, for the summary. */
const lastUses = new WeakMap();
function stopIfCancelled(ctx, when) {
    if (ctx.deps.cancelled())
        throw new Cancelled(`Cancelled ${when}`);
}
/** Drive the machine from `planned` to `retired`; a failure becomes a RotationError. */
async function drive(ctx, plan) {
    let s = { at: 'planned', plan };
    while (s.at !== 'retired') {
        const at = s;
        try {
            s = await step[at.at](ctx, at);
        }
        catch (e) {
            const fail = onFailure[at.at];
            throw new RotationError(await fail(ctx, at, e), ctx.outcome);
        }
    }
}

;// CONCATENATED MODULE: ./src/rotation/plan.ts

const plan_DAY_MS = 86_400_000;
/** Decide what this run does for a user with these keys (oldest first) and tags. */
function plan_plan(listed, tags, me, policy) {
    const own = Object.entries(tags).filter(([k, v]) => !isActionTag(k, v)).length;
    if (MAX_USER_TAGS - own < TAGS_NEEDED)
        return { kind: 'refused', refusal: { why: 'tags', own } };
    const keys = listed.map((k) => {
        const mark = tags[k.id] === undefined ? undefined : parseKeyMark(tags[k.id]);
        return mark ? { ...k, mark } : { ...k };
    });
    const staleMarks = Object.keys(tags).filter((tag) => ACCESS_KEY_ID.test(tag) &&
        parseKeyMark(tags[tag]) !== undefined &&
        !keys.some((k) => k.id === tag));
    const intent = tags[INTENT_TAG] === undefined ? undefined : parseIntent(tags[INTENT_TAG]);
    if (intent && holdsLease(intent, me, policy.now))
        return { kind: 'busy', intent };
    // The key an intent announced is the one not among the keys it saw: no clock matching.
    const announced = intent ? keys.filter((k) => !intent.before.includes(k.id) && !k.mark) : [];
    if (announced.length === 2) {
        return { kind: 'refused', refusal: { why: 'two-active', keys: [announced[0], announced[1]] } };
    }
    const lostKey = announced.find((k) => k.status === 'Active');
    if (lostKey && intent?.workflow && me.workflow && !sameWorkflow(intent.workflow, me.workflow)) {
        return {
            kind: 'refused',
            refusal: { why: 'owner', key: lostKey.id, theirs: intent.workflow, ours: me.workflow }
        };
    }
    const lost = lostKey && intent ? { key: lostKey, intent } : undefined;
    let current;
    let unretired;
    const [a, b] = keys.filter((k) => k.status === 'Active' && k !== lostKey);
    if (a && b) {
        // Two Active keys and no lost one: a mark must say which one the last run published.
        const published = [a, b]
            .filter((k) => k.mark?.state === 'published')
            .sort((x, y) => (y.mark?.at.getTime() ?? 0) - (x.mark?.at.getTime() ?? 0))[0];
        if (!published)
            return { kind: 'refused', refusal: { why: 'two-active', keys: [a, b] } };
        current = published;
        unretired = { key: published === a ? b : a, over: published };
    }
    else
        current = a;
    const owner = current?.mark?.workflow;
    if (current && owner && me.workflow && !sameWorkflow(owner, me.workflow)) {
        return {
            kind: 'refused',
            refusal: { why: 'owner', key: current.id, theirs: owner, ours: me.workflow }
        };
    }
    const targetsChanged = Boolean(current?.mark?.targets && current.mark.targets !== me.targets);
    const graceMs = policy.gracePeriodDays * plan_DAY_MS;
    const expired = [];
    const kept = [];
    for (const k of keys.filter((k) => k.status === 'Inactive')) {
        const since = k.mark?.state === 'deactivated' ? k.mark.at.getTime() : undefined;
        if (policy.deleteOldKey && since !== undefined && policy.now - since >= graceMs)
            expired.push(k);
        else
            kept.push(k);
    }
    const base = {
        seen: keys.map((k) => k.id),
        unretired,
        expired,
        staleMarks,
        targetsChanged,
        ...(intent ? { leftIntent: intent } : {})
    };
    const rotate = (reason) => ({
        kind: 'rotate',
        ...base,
        current,
        lost,
        kept,
        reason
    });
    if (lost) {
        return rotate(`key ${lost.key.id} was created by a run that ended before publishing it, and its secret is lost`);
    }
    if (!current)
        return rotate('the user has no Active key');
    if (intent?.rewrite) {
        return rotate('an earlier run recovered a lost key and ended before every target held a working key again');
    }
    if (policy.force)
        return rotate("'force' is set");
    if (policy.maxAgeDays === 0)
        return rotate('every run rotates (max-age-days is 0)');
    const age = Math.floor((policy.now - current.created.getTime()) / plan_DAY_MS);
    if (age >= policy.maxAgeDays) {
        return rotate(`key ${current.id} is ${age} days old (max-age-days is ${policy.maxAgeDays})`);
    }
    const due = new Date(current.created.getTime() + policy.maxAgeDays * plan_DAY_MS);
    return {
        kind: 'idle',
        ...base,
        current,
        reason: `key ${current.id} is ${age} days old; it is due on ${due.toISOString().slice(0, 10)} (max-age-days is ${policy.maxAgeDays})`
    };
}
/**
 * Whether another run still owns the user: its lease has not expired, it is not an earlier attempt
 * of this very workflow run (a re-run takes over at once), and GitHub has not said it ended.
 */
function holdsLease(intent, me, now) {
    if (intent.lease.getTime() <= now)
        return false;
    if (me.run && intent.run?.id === me.run.id && intent.run.attempt < me.run.attempt)
        return false;
    return !me.leaseHolderEnded;
}
/** Workflows compare case-insensitively: GitHub's owner and repository names are. */
const sameWorkflow = (a, b) => a.toLowerCase() === b.toLowerCase();

;// CONCATENATED MODULE: ./src/rotation/index.ts
/**
 * Rotate one user: read (the user, its keys and marks, every target, side by side), decide
 * (plan.ts), then carry the decision out (machine.ts). docs/state-machine.md tells the same story.
 */











/** Rotate `req.userName`'s access key into every target, or finish what an ended run left. */
async function rotate(deps, req) {
    const { iam, log } = deps;
    const user = req.userName;
    const outcome = { userName: user, rotated: false, written: [], cleared: [] };
    const fail = (message) => {
        throw new RotationError(message, outcome);
    };
    const names = namesOf(req);
    const me = {
        ...deps.identity,
        targets: fingerprint([...req.targets.map(targets/* describe */.q0), ...names])
    };
    // Read-only: the user, its keys and their marks, and every target, side by side.
    const preparing = Promise.all(req.targets.map((t) => deps.secrets.prepare(t, names)));
    preparing.catch(() => undefined); // awaited below; a rejection must not go unhandled meanwhile
    const { arn, plan } = await log.group(`Plan: access keys of IAM user ${user}`, async () => {
        const [info, listed] = await Promise.all([
            getUser(iam, user),
            listKeys(iam, user)
        ]).catch((e) => fail(explainAws(e, `reading IAM user ${user} and its keys`)));
        for (const k of listed) {
            log.info(`${k.id} ${k.status}, created ${k.created.toISOString()}${info.tags[k.id] ? ` (${info.tags[k.id]})` : ''}`);
        }
        const policy = policyOf(deps, req);
        let plan = plan_plan(listed, info.tags, me, policy);
        if (plan.kind === 'busy' && deps.runEnded && (await deps.runEnded(plan.intent))) {
            log.info(`GitHub says run ${plan.intent.run?.id} has ended: taking over its lease`);
            plan = plan_plan(listed, info.tags, { ...me, leaseHolderEnded: true }, policy);
        }
        return { arn: info.arn, plan };
    });
    if (plan.kind === 'busy')
        return fail(busy(user, plan.intent));
    if (plan.kind === 'refused')
        return fail(await rotation_refusal(deps, user, plan.refusal));
    outcome.reason = plan.reason;
    outcome.targetsChanged = plan.targetsChanged || undefined;
    log.info(`${plan.kind === 'rotate' ? 'Rotating' : 'Not rotating'}: ${plan.reason}`);
    if (plan.targetsChanged)
        log.info('The list of targets changed since the current key was published');
    guardAdminKey(deps, plan, fail);
    if (plan.kind === 'rotate') {
        const refused = deps.takeWrites?.(req.targets);
        if (refused)
            fail(refused);
    }
    const prepared = await log.group(`Read the public key of ${req.targets.length} target(s)`, () => preparing);
    await deps.ready.catch((e) => fail(e.message));
    if (req.dryRun) {
        outcome.plan = describePlan(plan, req);
        for (const line of outcome.plan)
            log.info(`Dry run: ${line}`);
        return outcome;
    }
    if (deps.cancelled())
        fail('Cancelled before any change; nothing was changed.');
    const ctx = { deps, req, outcome, arn, prepared, fingerprint: me.targets };
    if (plan.kind === 'rotate') {
        await drive(ctx, plan);
        return outcome;
    }
    // Not due: finish what earlier runs left, and forget an intent that no run holds any more.
    await housekeep(ctx, plan).catch((e) => fail(why(e, 'finishing what an earlier run left')));
    if (plan.leftIntent) {
        await untag(iam, user, [INTENT_TAG])
            .catch((e) => log.warning(`Forgetting an earlier run's intent failed: ${e.message}`));
    }
    return outcome;
}
function policyOf(deps, req) {
    return {
        now: deps.clock.now(),
        maxAgeDays: req.maxAgeDays,
        force: req.force,
        gracePeriodDays: req.gracePeriodDays,
        deleteOldKey: req.deleteOldKey
    };
}
/** The message for a refused plan; two Active keys get their last use, to help a person choose. */
async function rotation_refusal(deps, user, r) {
    switch (r.why) {
        case 'tags':
            return tagQuota(user, r.own);
        case 'owner':
            return otherOwner(user, r.key, r.theirs, r.ours);
        case 'two-active': {
            const uses = await Promise.all(r.keys.map((k) => keys_lastUse(deps.iam, k.id).catch(() => undefined)));
            return twoActiveKeys(user, r.keys, uses, deps.clock.now());
        }
    }
}
/** The action must not retire the key it signs its own IAM calls with. */
function guardAdminKey(deps, plan, fail) {
    const retiring = [
        plan.unretired?.key,
        ...(plan.kind === 'rotate' ? [plan.current, plan.lost?.key] : [])
    ];
    if (deps.adminKeyId && retiring.some((k) => k?.id === deps.adminKeyId)) {
        fail(`The action is signing its IAM calls with ${deps.adminKeyId}, a key this run would retire. Give it other credentials: 'role-to-assume' (recommended) or another user's key.`);
    }
}

;// CONCATENATED MODULE: ./src/fleet.ts
/**
 * Many users in one run. Users rotate independently: one user's failure neither stops nor rolls
 * back another's. A few rotate at once, so their waits for IAM to accept new keys overlap, while
 * GitHub writes still go one at a time through the shared client.
 */


/** Users rotated at the same time: enough to overlap IAM's propagation waits, few enough for IAM's API limits. */
const CONCURRENT_USERS = 4;
/** The log of one user: grouped when it is the only one, prefixed with its name otherwise. */
function userLog(user, alone) {
    if (alone)
        return core;
    const tag = (m) => `[${user}] ${m}`;
    return {
        info: (m) => core.info(tag(m)),
        warning: (m) => core.warning(tag(m)),
        group: (name, fn) => {
            core.info(tag(name));
            return fn();
        }
    };
}
/** Rotate every user; never throws for a user's failure, which is in its result instead. */
async function rotateAll(deps, users, settings) {
    const results = new Array(users.length);
    let next = 0;
    const worker = async () => {
        for (let i = next++; i < users.length; i = next++) {
            const user = users[i];
            const log = userLog(user.userName, users.length === 1);
            try {
                const { userName, targets, secretNames } = user;
                results[i] = {
                    outcome: await rotate({ ...deps, log }, { ...settings, userName, targets, secretNames })
                };
            }
            catch (error) {
                const message = error instanceof Error ? error.message : String(error);
                const outcome = error instanceof RotationError
                    ? error.outcome
                    : { userName: user.userName, rotated: false, written: [], cleared: [] };
                results[i] = { outcome, error: message };
                if (users.length > 1)
                    core.error(`[${user.userName}] ${message}`);
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_USERS, users.length) }, worker));
    return results;
}

// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js
var github = __webpack_require__(1351);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/utils.js + 14 modules
var utils = __webpack_require__(2798);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-retry/dist-bundle/index.js
var dist_bundle = __webpack_require__(9735);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-throttling/dist-bundle/index.js
var plugin_throttling_dist_bundle = __webpack_require__(6856);
// EXTERNAL MODULE: ./node_modules/bottleneck/light.js
var light = __webpack_require__(3251);
var light_default = /*#__PURE__*/__webpack_require__.n(light);
;// CONCATENATED MODULE: ./src/github/bottleneck.ts
/**
 * Bottleneck, which @octokit/plugin-throttling and @octokit/plugin-retry put in front of every
 * GitHub request (four limiters a request), yields to the event loop with `setTimeout(0)` several
 * times before each job starts. Node clamps each of those to 1 ms: about 12 ms on every request,
 * measured between one answer and the next PUT (24 ms, 12 ms without them; SGrondin/bottleneck#144
 * reports the same). `setImmediate` yields to the event loop just as well, without the clamp.
 * Delays Bottleneck means (`minTime`, retry waits) are separate timers and stay as they are.
 *
 * Bottleneck 2.19.5 is its last release (2019) and is pinned; the change applies only where its
 * datastore has the method as expected, and leaves Bottleneck as it is otherwise.
 */

/** Make Bottleneck's zero-delay yields `setImmediate`s; once, for every limiter of the process. */
function quickenBottleneck() {
    const store = new (light_default())()._store;
    const datastore = (store && Object.getPrototypeOf(store));
    if (typeof datastore?.yieldLoop !== 'function')
        return false;
    if (datastore.quick)
        return true;
    const original = datastore.yieldLoop;
    datastore.yieldLoop = function (t = 0) {
        return t > 0 ? original.call(this, t) : new Promise((resolve) => setImmediate(resolve));
    };
    datastore.quick = true;
    return true;
}

;// CONCATENATED MODULE: ./src/github/client.ts
/**
 * The Octokit clients every GitHub request goes through, built as the Actions toolkit builds them
 * (`@actions/github`: its REST methods, pagination and proxy support) plus retries for 5xx and
 * network errors (`@octokit/plugin-retry`), rate limits handled by `@octokit/plugin-throttling`
 * alone, the REST API version on every request, and a timeout so a hung request is retried
 * instead of stalling the run. With a GitHub App, one installation client per account that owns
 * targets, its token narrowed to those targets and masked as it arrives (installation-auth.ts).
 */







/** How many times a rate-limited request is tried again inline before it fails. */
const RATE_LIMIT_RETRIES = 4;
/**
 * Longest wait for a rate limit that a request sits out inline; beyond it the request fails and
 * the failure says how long GitHub asked to wait (`RateLimited`), for the rotation to decide.
 */
const MAX_RETRY_AFTER_SECONDS = 60;
/** A GitHub request that has not answered by then is abandoned (and retried as a 5xx). */
const GITHUB_TIMEOUT_MS = 15_000;
/** The REST API version the action is written against, sent on every request. */
const API_VERSION = '2022-11-28';
/**
 * Statuses plugin-retry leaves alone: its defaults plus 429. It would retry a 429 one and four
 * seconds later whatever `retry-after` says; rate limits (429 and 403) are plugin-throttling's,
 * which waits as long as GitHub asks.
 */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];
/**
 * Sends `X-GitHub-Api-Version` on every request, token minting included. Octokit's `request`
 * constructor option takes fetch settings, not headers: a version placed there is never sent.
 */
function apiVersion(octokit) {
    octokit.hook.before('request', (options) => {
        options.headers['x-github-api-version'] = API_VERSION;
    });
}
const plugins = [dist_bundle/* retry */.L, plugin_throttling_dist_bundle/* throttling */.A, apiVersion];
/** The toolkit's fetch (which goes through the runner's proxy, if any), with a timeout. */
const proxied = utils/* defaults */.NT.request?.fetch ?? fetch;
const timeoutFetch = (input, init) => proxied(input, {
    ...init,
    signal: init?.signal
        ? AbortSignal.any([init.signal, AbortSignal.timeout(GITHUB_TIMEOUT_MS)])
        : AbortSignal.timeout(GITHUB_TIMEOUT_MS)
});
/** Build the client (token) or the per-account clients (GitHub App) for a run writing `targets`. */
function createClients(options, targets) {
    quickenBottleneck();
    const retryOn = (kind) => (retryAfter, request, _o, count) => {
        const again = count < RATE_LIMIT_RETRIES && retryAfter <= MAX_RETRY_AFTER_SECONDS;
        core.warning(`GitHub ${kind} rate limit on ${request.method} ${request.url}: ` +
            (again ? `retrying after ${retryAfter} s` : `not waiting ${retryAfter} s here`));
        return again;
    };
    // The plugin's own write limiter spaces request starts a second apart whatever the count;
    // Secrets paces writes itself, only when there are many, so this one must not add a delay.
    const write = new (light_default()).Group({ maxConcurrent: 1, minTime: 0 });
    const common = {
        baseUrl: options.baseUrl,
        userAgent: 'rotate-iam-key',
        request: { fetch: timeoutFetch },
        retry: { doNotRetry: DO_NOT_RETRY },
        throttle: { onRateLimit: retryOn('primary'), onSecondaryRateLimit: retryOn('secondary'), write }
    };
    const { auth } = options;
    if ('token' in auth) {
        const client = (0,github/* getOctokit */.Q)(auth.token, common, ...plugins);
        return { forTarget: () => Promise.resolve(client), forRuns: () => Promise.resolve(client) };
    }
    // The App's strategy (@octokit/auth-app, its JWT and OAuth code) is loaded only by a run that
    // authenticates as an App; a token run never pays for it at start-up.
    // getOctokit cannot take an auth strategy: it replaces any `auth` object with `token ${token}`.
    // The App's clients are the same class it builds, with the same plugins.
    const GitHub = utils/* GitHub */.gq.plugin(...plugins);
    const app = Promise.all(/* import() */[__webpack_require__.e(479), __webpack_require__.e(580)]).then(__webpack_require__.bind(__webpack_require__, 8580)).then((m) => m.appClients(GitHub, common, auth, targets));
    app.catch(() => undefined); // each caller awaits it: a failure to load is reported there
    return {
        forTarget: (target) => app.then((c) => c.forTarget(target)),
        forRuns: (o, repo) => app.then((c) => c.forRuns(o, repo))
    };
}

;// CONCATENATED MODULE: ./src/github/runs.ts
/**
 * Whether a workflow run that holds a lease on a user has ended, as GitHub tells it. Used only
 * when a lease is live, so another run need not wait a killed run's lease out. Reading runs needs
 * the repository permission 'Actions: Read'; without it the answer is "cannot tell" and the run
 * respects the lease.
 */


async function runEnded(forRuns, intent, info = core.info) {
    const repo = /^([^/]+)\/([^/]+)\//.exec(intent.workflow ?? '');
    if (!repo || !intent.run)
        return undefined;
    const [, owner = '', name = ''] = repo;
    try {
        const client = await forRuns(owner, name);
        const { data } = await client.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', {
            owner,
            repo: name,
            run_id: Number(intent.run.id)
        });
        // A later attempt has started: the attempt holding the lease is over.
        if ((data.run_attempt ?? 1) > intent.run.attempt)
            return true;
        return data.status === 'completed';
    }
    catch (error) {
        info(cannotTell(error, `${owner}/${name}`, intent.run.id));
        return undefined;
    }
}
/** Why the run's state is unknown: a rate limit is said as one, never as a missing permission. */
function cannotTell(error, repository, run) {
    const doing = `reading run ${run} of ${repository}`;
    const limited = error instanceof errors/* RateLimited */.JH ? error : (0,errors/* rateLimited */.xd)(error, doing);
    if (limited)
        return `${limited.message} Until then the lease holds.`;
    const status = (0,errors/* answered */.oQ)(error) ? error.status : undefined;
    return status === 403 || status === 404
        ? `Cannot tell whether run ${run} has ended (${(0,errors/* reason */.l)(error)}): give the token or App the repository permission 'Actions: Read' on ${repository} to let a run take over a killed run's lease. Until then the lease holds.`
        : `Cannot tell whether run ${run} of ${repository} has ended (${error instanceof errors/* AuthError */.lR ? error.message : (0,errors/* reason */.l)(error)}). Until then the lease holds.`;
}

// EXTERNAL MODULE: ./node_modules/p-limit/index.js + 1 modules
var p_limit = __webpack_require__(370);
;// CONCATENATED MODULE: ./src/github/seal.ts
let sodium;
/**
 * libsodium, loaded and initialised once. It is a tenth of the bundle and compiles WebAssembly
 * as it initialises, so it is not loaded at start-up: {@link Secrets.prepare} starts it while the
 * public key is read, long before the first secret is sealed.
 */
function loadSodium() {
    sodium ??= __webpack_require__.e(/* import() */ 768).then(__webpack_require__.bind(__webpack_require__, 4768)).then(async ({ default: loaded }) => {
        await loaded.ready;
        return loaded;
    });
    return sodium;
}
/**
 * Encrypt `value` with `crypto_box_seal` for the holder of `publicKey` (base64, as GitHub returns
 * it). Only GitHub, holding the private key, can open the result.
 */
async function seal(value, publicKey) {
    const sodium = await loadSodium();
    const key = sodium.from_base64(publicKey, sodium.base64_variants.ORIGINAL);
    const sealed = sodium.crypto_box_seal(sodium.from_string(value), key);
    return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL);
}

;// CONCATENATED MODULE: ./src/github/secrets.ts
/**
 * Reading what a target's secrets need (its public key and, for organizations, each secret's
 * visibility) and writing sealed secrets. Each scope's public key is fetched once per run, however
 * many users write to it.
 */




const TOKEN_HINT = "The workflow's GITHUB_TOKEN cannot write secrets: use a fine-grained personal access token or a GitHub App.";
/**
 * Turn a GitHub error on `target` into a message that says what to do next: a rate limit becomes a
 * {@link RateLimited} with the wait GitHub asked for, never advice to change permissions.
 */
function explain(error, target, doing) {
    const where = (0,targets/* describe */.q0)(target);
    if (error instanceof errors/* RateLimited */.JH)
        return new errors/* RateLimited */.JH(`${error.message} (while ${doing} for ${where})`, error.waitMs);
    const limited = (0,errors/* rateLimited */.xd)(error, `${doing} for ${where}`);
    if (limited)
        return limited;
    const need = (0,targets/* requiredPermission */.PY)(target);
    // Only GitHub's own answer is quoted: a local error's text can hold the Authorization header.
    const status = (0,errors/* answered */.oQ)(error) ? error.status : undefined;
    const why = (0,errors/* reason */.l)(error);
    const message = error instanceof errors/* AuthError */.lR
        ? `${error.message} (while ${doing} for ${where})`
        : (0,errors/* isHeaderError */.Kv)(error)
            ? `The GitHub credential could not be sent while ${doing} for ${where}: it holds a line break or another character HTTP headers refuse. Store the token behind 'github-token' again without spaces or line breaks (or, with an App, check 'app-id' and 'app-private-key'), then run again.`
            : status === 401
                ? `GitHub refused the credentials while ${doing} for ${where} (${why}). The token is expired, revoked or mistyped: create a new one with ${need}. ${TOKEN_HINT}`
                : status === 403
                    ? `GitHub denied ${doing} for ${where} (${why}). Give the token or App ${need}. ${TOKEN_HINT}`
                    : status === 404
                        ? `GitHub answered 404 while ${doing} for ${where}: it does not exist or the token cannot see it. Check the name, and give the token or App access to it with ${need}.`
                        : `GitHub failed while ${doing} for ${where} (${why}). Retries did not help; run the workflow again later.`;
    return new Error(message, { cause: error });
}
/**
 * How many reads (public keys, visibilities, repository IDs, secret dates) are in flight at once,
 * across every user and client. GitHub asks integrations to make requests serially, counts
 * concurrent requests and points per minute per endpoint against its secondary limits, and
 * Octokit's own limiter lets 10 through at a time: a fleet of 40 targets would otherwise ask for
 * 40 public keys in one burst. A few at a time keeps the reads fast and clear of those limits.
 */
const READ_CONCURRENCY = 4;
/**
 * The secrets side of a run: caches public keys and repository IDs across users, sends reads
 * a few at a time and every write, of every user and client, one at a time.
 */
class Secrets {
    clientFor;
    pacing;
    keys = new Map();
    repositoryIds = new Map();
    // p-limit, not Bottleneck: Bottleneck yields to timers several times before each job starts
    // (about 4 ms a job, measured), on every request of the chain; a queue needs none of that.
    writes = (0,p_limit/* default */.A)(1);
    reads = (0,p_limit/* default */.A)(READ_CONCURRENCY);
    lastWriteEnd = -Infinity;
    constructor(clientFor, pacing) {
        this.clientFor = clientFor;
        this.pacing = pacing;
    }
    /** Everything needed to write `names` into `target`, read before anything changes. */
    async prepare(target, names) {
        // Sealing needs libsodium only after verification: load it while the reads are in flight.
        loadSodium().catch(() => undefined); // a failure to load is reported by the first seal
        const client = await this.clientFor(target);
        // The key and the visibility reads are independent: side by side, off the critical path.
        const [key, visibilities] = await Promise.all([
            this.publicKey(client, target),
            Promise.all((0,targets/* isOrganization */.A2)(target) ? names.map((name) => this.visibility(client, target, name)) : [])
        ]);
        const extra = {};
        visibilities.forEach((v, i) => (extra[names[i]] = v));
        return { target, client, key, extra };
    }
    /** Seal `value` against the target's public key and write it as secret `name`. */
    async write(p, name, value) {
        const { route, params } = (0,targets/* endpoints */.vZ)(p.target).put(name);
        const encrypted = await seal(value, p.key.key);
        const body = { ...params, ...p.extra[name], encrypted_value: encrypted, key_id: p.key.keyId };
        try {
            await this.writes(async () => {
                // Measured from the end of the last write: "a second between requests", not between starts.
                const { writeIntervalMs, now, sleep } = this.pacing;
                const wait = this.lastWriteEnd + writeIntervalMs - now();
                if (wait > 0)
                    await sleep(wait);
                try {
                    await p.client.request(route, body);
                }
                finally {
                    this.lastWriteEnd = now();
                }
            });
        }
        catch (error) {
            throw explain(error, p.target, `writing secret ${name}`);
        }
    }
    /** When secret `name` of a prepared target was last written; undefined when it does not exist. */
    async updatedAt(p, name) {
        const { route, params } = (0,targets/* endpoints */.vZ)(p.target).get(name);
        try {
            const { data } = (await this.read(() => p.client.request(route, params)));
            return new Date(data.updated_at);
        }
        catch (error) {
            if (error.status === 404)
                return undefined;
            throw explain(error, p.target, `reading when secret ${name} was written`);
        }
    }
    /** One read, when fewer than {@link READ_CONCURRENCY} others are in flight. */
    read(request) {
        return this.reads(request);
    }
    publicKey(client, target) {
        const scope = (0,targets/* scopeKey */.OD)(target);
        let key = this.keys.get(scope);
        if (!key) {
            const { route, params } = (0,targets/* endpoints */.vZ)(target).publicKey;
            key = this.read(() => client.request(route, params)).then(({ data }) => {
                const { key_id, key } = data;
                return { keyId: key_id, key };
            }, (error) => {
                throw explain(error, target, 'reading the secrets public key');
            });
            this.keys.set(scope, key);
        }
        return key;
    }
    /**
     * The visibility to write: as configured, or as the secret has it now. A secret that does not
     * exist yet needs a configured visibility: the run refuses, before any change, to pick one that
     * lets repositories nobody chose read the key.
     */
    async visibility(client, target, name) {
        if (target.visibility) {
            if (target.visibility !== 'selected')
                return { visibility: target.visibility };
            const ids = await Promise.all((target.selectedRepositories ?? []).map((repo) => this.repositoryId(client, target, repo)));
            return { visibility: 'selected', selected_repository_ids: ids };
        }
        const routes = (0,targets/* endpoints */.vZ)(target);
        try {
            const get = routes.get(name);
            const { data } = (await this.read(() => client.request(get.route, get.params)));
            if (data.visibility !== 'selected')
                return { visibility: data.visibility };
            // Resend the current selection: the write must not widen or empty who can read the secret.
            const selected = routes.selected(name);
            const repositories = await this.read(() => client.paginate(selected.route, selected.params));
            return { visibility: 'selected', selected_repository_ids: repositories.map((r) => r.id) };
        }
        catch (error) {
            if ((0,errors/* answered */.oQ)(error) && error.status === 404) {
                throw new Error(noVisibility(target, name), { cause: error });
            }
            throw explain(error, target, `reading the visibility of secret ${name}`);
        }
    }
    repositoryId(client, target, repo) {
        const key = `${target.org}/${repo}`.toLowerCase();
        let id = this.repositoryIds.get(key);
        if (!id) {
            id = this.read(() => client.request('GET /repos/{owner}/{repo}', { owner: target.org, repo })).then(({ data }) => Number(data.id), (error) => {
                throw explain(error, target, `looking up the selected repository ${target.org}/${repo}`);
            });
            this.repositoryIds.set(key, id);
        }
        return id;
    }
}
/** Why a new organization secret is refused, and the setting that lets the run create it. */
function noVisibility(target, name) {
    return (`Secret ${name} does not exist yet in ${(0,targets/* describe */.q0)(target)}, and no visibility is set for it: ` +
        `the action does not create an organization secret that every private repository of ${target.org} can read. ` +
        `Set 'organization-secret-visibility' ('selected' with 'organization-selected-repositories' gives the fewest repositories access; ` +
        `in a manifest, the user's 'organization-secret-visibility'), then run again. Nothing was changed.`);
}

// EXTERNAL MODULE: ./src/fail.ts
var fail = __webpack_require__(6971);
;// CONCATENATED MODULE: ./src/run-identity.ts
/**
 * Who this run is, as the Actions toolkit's `context` reads it from the runner: recorded in every
 * mark the action writes.
 */


function runIdentity(env, run = github/* context */._) {
    const { runId, runAttempt } = run;
    // `context` holds the workflow's name, which is not unique; the ref names its file and repository.
    const workflow = workflowId(env.GITHUB_WORKFLOW_REF);
    return {
        ...(Number.isSafeInteger(runId) && runId > 0
            ? { run: { id: String(runId), attempt: runAttempt > 0 ? runAttempt : 1 } }
            : {}),
        ...(workflow ? { workflow } : {})
    };
}

;// CONCATENATED MODULE: ./src/summary.ts
/** The job summary a person reads at a glance, and the step outputs. Key IDs only, never secrets. */

const seconds = (ms) => ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`;
/**
 * Set the outputs. `access-key-id` and `previous-access-key-id` name one user's keys; with a
 * manifest they are empty and `results` holds every user's.
 */
function setOutputs(results) {
    const single = results.length === 1 ? results[0]?.outcome : undefined;
    core.setOutput('rotated', String(results.every((r) => r.outcome.rotated)));
    core.setOutput('access-key-id', single?.rotated ? (single.newKeyId ?? '') : '');
    core.setOutput('previous-access-key-id', single?.old?.id ?? '');
    core.setOutput('results', JSON.stringify(results.map(({ outcome: o, error }) => ({
        'iam-user-name': o.userName,
        rotated: o.rotated,
        'access-key-id': o.rotated ? (o.newKeyId ?? null) : null,
        'previous-access-key-id': o.old?.id ?? null,
        targets: o.written,
        ...(error ? { error } : {})
    }))));
}
const ENTITIES = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;',
    '|': '&#124;'
};
/**
 * Text from outside the action (errors, user and target names, AWS's and GitHub's answers) as
 * HTML text. `@actions/core`'s summary escapes nothing: it wraps table cells, headings and code
 * blocks in tags as given. `|` too, so no cell or line can start a Markdown table.
 */
const escapeHtml = (text) => text.replace(/[&<>"'|]/g, (c) => ENTITIES[c] ?? c);
/** Escaped, on one line: a blank line would end the HTML block and the rest would be Markdown. */
const inline = (text) => escapeHtml(text).replace(/\r?\n/g, '<br>');
/** What happened to one user, at a glance. */
function resultOf({ outcome: o, error }) {
    if (error)
        return o.rotated ? '⚠️ rotated, clean-up failed' : '❌ failed';
    if (o.plan)
        return '🔍 dry run, nothing changed';
    if (o.rotated)
        return '✅ rotated';
    // The plan's reason for an idle run names the day the key is due.
    const due = /\bdue on (\d{4}-\d{2}-\d{2})\b/.exec(o.reason ?? '')?.[1];
    return due ? `⏭️ not due (next on ${due})` : '⏭️ not due';
}
/** Write the job summary: one row per user, then what went wrong for those that failed. */
async function writeSummary(results) {
    const header = ['IAM user', 'Result', 'Old key', 'New key', 'Targets written', 'Verified after'];
    const rows = results.map((result) => {
        const o = result.outcome;
        return [
            inline(o.userName),
            resultOf(result),
            o.old ? inline(`${o.old.id} (${o.old.fate})`) : '—',
            o.newKeyId ? inline(o.newKeyId) : '—',
            o.written.length > 0 ? o.written.map(inline).join('<br>') : '—',
            seconds(o.verifiedAfterMs)
        ];
    });
    core.summary
        .addHeading('IAM access key rotation', 2)
        .addTable([header.map((data) => ({ data, header: true })), ...rows]);
    for (const { outcome: o } of results) {
        const notes = notesFor(o);
        if (notes.length > 0) {
            core.summary.addRaw(`<p><strong>${inline(o.userName)}</strong>: ${inline(notes.join(' '))}</p>`, true);
        }
    }
    for (const { outcome: o, error } of results) {
        if (error) {
            core.summary
                .addHeading(`What happened to ${inline(o.userName)}`, 3)
                .addCodeBlock(escapeHtml(error));
        }
    }
    await core.summary.write();
}
const summary_DAY_MS = 86_400_000;
/** What a person should know about one user's run beyond the table row. */
function notesFor(o) {
    const notes = [];
    if (o.reason)
        notes.push(`${o.rotated ? 'Rotated' : 'Not rotated'}: ${o.reason}.`);
    if (o.plan) {
        notes.push(`Dry run, nothing changed. The run would: ${o.plan.join('; ')}.`, "It read the user, its keys and each target's public key with this token; it cannot check that the token may write the secrets (GitHub has no dry-run write), so a real run can still fail there, before the old key is touched.");
    }
    if (o.rateLimitWaitMs)
        notes.push(`Waited ${Math.ceil(o.rateLimitWaitMs / 1000)} s in all for GitHub's rate limits while writing secrets, as GitHub asked.`);
    if (o.targetsChanged)
        notes.push('The list of targets changed since this workflow published the previous key: check that no target that left the list still needs it.');
    if (o.finished)
        notes.push(`Finished an earlier run's work: ${o.finished}.`);
    if (o.cleared.length > 0)
        notes.push(`Deleted first: ${o.cleared.join(', ')}.`);
    if (o.old) {
        const age = Math.floor((Date.now() - o.old.created.getTime()) / summary_DAY_MS);
        const use = o.old.lastUse?.date
            ? `last used ${o.old.lastUse.date.toISOString()}${o.old.lastUse.service ? ` (${o.old.lastUse.service})` : ''}`
            : o.old.lastUse
                ? 'never used'
                : 'last use unknown';
        const next = o.old.deleteAfter
            ? ` A run on or after ${o.old.deleteAfter} deletes it; until then it can be re-activated if a deploy breaks.`
            : '';
        notes.push(`Old key ${o.old.id}: ${age} days old, ${use}, ${o.old.fate}.${next}`);
    }
    if (o.recovery) {
        const affected = o.recovery.affected
            .map((a) => `${a.target} (${a.windowMs === undefined ? 'not rewritten' : `${(a.windowMs / 1000).toFixed(1)} s`})`)
            .join(', ');
        notes.push(`Recovered ${o.recovery.lostKey}, left by a killed run: deleted ${o.recovery.deleted}; ${affected || 'no target'} had no working key until the new one was written.`);
    }
    return notes;
}

;// CONCATENATED MODULE: ./src/main.ts
/**
 * The action's body, once the inputs have passed: build clients, rotate every user, report. Every
 * failure ends in `fail` below.
 */















/** GitHub asks for at least a second between mutating requests only when a client makes many. */
const PACE_WRITES_ABOVE = 10;
/** What one secret write may take beyond its pause, retries included: sizes a run's lease. */
const WRITE_ALLOWANCE_MS = 5_000;
/**
 * Rotate as `inputs` say. `oidcToken` is GitHub's token when the entry point already asked for it
 * (with `role-to-assume`).
 */
async function run(inputs, env = process.env, oidcToken) {
    // The runner cancels with SIGINT, then SIGTERM, a few seconds apart: note it, and let the
    // rotation finish or undo what is in flight instead of dying halfway.
    let cancelled = false;
    const onSignal = (signal) => {
        if (!cancelled)
            core.warning(`Received ${signal}: finishing or undoing what is in flight, then stopping`);
        cancelled = true;
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
        const credentials = inputs.role
            ? assumeRoleWithOidc(inputs.role, inputs.region, oidcToken)
            : undefined;
        const iam = new dist_cjs/* IAMClient */.h8v({ ...clientConfig(inputs.region), credentials });
        const sts = new client_sts_dist_cjs/* STSClient */.iM({ ...clientConfig(inputs.region), credentials });
        try {
            // Preflight: the admin credentials work. Checked beside each user's own reads, and awaited
            // before anything changes.
            const ready = sts.send(new client_sts_dist_cjs/* GetCallerIdentityCommand */.zI({})).then((admin) => core.info(`AWS: acting as ${admin.Arn}`), (e) => {
                throw new Error(explainAws(e, 'checking the admin credentials (STS GetCallerIdentity)'), {
                    cause: e
                });
            });
            ready.catch(() => undefined); // awaited by every rotation; must not go unhandled meanwhile
            const writes = inputs.users.reduce((n, u) => n + u.targets.length * 2, 0);
            const clock = {
                now: () => Date.now(),
                sleep: (ms) => new Promise((r) => setTimeout(r, ms))
            };
            const clients = createClients({ auth: inputs.github, baseUrl: env.GITHUB_API_URL || 'https://api.github.com' }, inputs.users.flatMap((u) => u.targets));
            const writeIntervalMs = writes > PACE_WRITES_ABOVE ? 1000 : 0;
            // GitHub's hourly budget, taken by each user found due before anything of its own changes.
            const budget = new WriteBudget(inputs.github);
            const results = await rotateAll({
                iam,
                secrets: new Secrets(clients.forTarget, { ...clock, writeIntervalMs }),
                identity: runIdentity(env),
                msPerWrite: writeIntervalMs + WRITE_ALLOWANCE_MS,
                runEnded: (intent) => runEnded(clients.forRuns, intent),
                takeWrites: (targets) => budget.take(targets),
                callerArn: stsCallerArn(inputs.region),
                clock,
                adminKeyId: inputs.role ? undefined : await ambientKeyId(iam),
                cancelled: () => cancelled,
                ready
            }, inputs.users, inputs);
            setOutputs(results);
            await writeSummary(results);
            const failed = results.filter((r) => r.error);
            if (failed.length === 1 && results.length === 1)
                throw new Error(failed[0]?.error);
            if (failed.length > 0) {
                throw new Error(`${failed.length} of ${results.length} users failed: ${failed.map((r) => r.outcome.userName).join(', ')}. Each user's error is above and in the job summary; the other users were rotated.`);
            }
        }
        finally {
            iam.destroy();
            sts.destroy();
        }
    }
    catch (error) {
        (0,fail/* fail */.f)(error);
    }
    finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
    }
}
/** The key ID the ambient credentials sign with, so the rotation never retires its own key. */
async function ambientKeyId(iam) {
    try {
        return (await iam.config.credentials()).accessKeyId;
    }
    catch {
        return undefined; // no credentials: the first IAM call reports it with the fix
    }
}


/***/ })

};
