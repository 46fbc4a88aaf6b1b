/**
 * Which guards run on which route (issue 11; ADR 0019): one table, keyed by Fastify's
 * `METHOD url`, in the spirit of node-oidc-provider's check tables. `guards.ts` attaches
 * them as each route registers; `docs/routes.md` is generated from it (`npm run docs`).
 *
 * Rules:
 * - Every route is here, or the platform refuses to start (`guards.ts`); every entry here is
 *   a registered route, or `guards.test.ts` fails. A route with no guard says `public`.
 * - Guards run in the order written, before the route's own preHandler (if any).
 * - `citizen` / `staff`: a page (not under `/api/`) sends a signed-out request to its sign-in
 *   (303), the API answers a 401 problem (P7.2, P7.3).
 * - `cross-site`: a state-changing request a browser sent from another site is refused (403).
 * - `limit:<bucket>`: one attempt counted per source address in a named bucket (P7.3); a page
 *   and its JSON twin name the SAME bucket (`twins` below). `limit:<bucket>|code` counts in
 *   `code` instead when the form sends a code (`send=1`), in `<bucket>` otherwise.
 * - Checked where they are, not by a preHandler, and listed so a reviewer sees them:
 *   `step-up` (fresh proof: the page asks for it itself and signin/reauth.ts refuses a change
 *   without it), `department` (the department's access token, checked by the handler's
 *   caller: oidc/department-api.ts), `provider` (the OpenID provider's own endpoints, hijacked to
 *   Koa: oidc/mount.ts counts them with its own per-source limit, `OIDC_RATE_LIMIT_PER_MINUTE`).
 */

/** Per-source attempt buckets: `staff-*` are the console's, ten a minute (P7.2). */
export const buckets = [
  'sign-in',
  'code',
  'register',
  'reset',
  'staff-password',
  'staff-code',
  'staff-enrol',
  'push',
] as const;
export type Bucket = (typeof buckets)[number];

export type Guard =
  | 'public'
  | 'citizen'
  | 'staff'
  | 'cross-site'
  | `limit:${Bucket}`
  | `limit:${Bucket}|code`
  | 'step-up'
  | 'department'
  | 'provider';

/** What each guard is, for people (docs/routes.md). */
export const guardMeaning: Readonly<Record<string, string>> = {
  public: 'no guard',
  citizen: 'signed-in person: a page redirects to /login?next=…, the API answers 401 `http.unauthenticated`',
  staff:
    'full staff session (both factors): a page redirects to the next sign-in step, the API answers 401 `http.unauthenticated`',
  'cross-site': 'a state-changing request from another site answers 403 `http.cross_site`',
  limit:
    'one attempt per source address in the named bucket; past it 429 `http.rate_limited` with Retry-After',
  'step-up':
    'fresh proof (password, app code or SMS code within 5 minutes), asked by the page; signin/reauth.ts',
  department: "the department's access token, checked in the handler (oidc department caller)",
  provider: "the OpenID provider's own endpoints and their own per-source limit (oidc/mount.ts)",
};

// prettier-ignore
export const routeGuards = {
  // Everyone
  'GET /':                                              ['public'],
  'GET /privacy':                                       ['public'],
  'GET /privacy/versions':                              ['public'],
  'GET /privacy/versions/:version/:file':               ['public'],
  'GET /lang/:locale':                                  ['public'],
  // P3.3.manage the cookie choice and list; the banner posts here too (cross-site refused).
  'GET /cookies':                                       ['public'],
  'POST /cookies':                                      ['cross-site'],
  // P4 P3.2.optional personalisation (ADR 0047): record only with personalisation consent.
  'GET /services/:slug/start':                          ['public'],
  'POST /personal/favourite':                           ['cross-site'],
  'POST /personal/hall':                                ['cross-site'],
  'GET /static/*':                                      ['public'],
  'GET /healthz':                                       ['public'],
  'GET /readyz':                                        ['public'],
  'GET /api/openapi.json':                              ['public'],
  'GET /api/catalogue':                                 ['public'],

  // Registration and sign-in (pages)
  'GET /register':                                      ['public'],
  'POST /register/code':                                ['limit:code', 'cross-site'],
  'POST /register':                                     ['limit:register', 'cross-site'],
  'POST /register/verify':                              ['limit:register|code', 'cross-site'],
  'GET /login':                                         ['public'],
  'POST /login':                                        ['limit:sign-in', 'cross-site'],
  'GET /login/code':                                    ['public'],
  'POST /login/code':                                   ['limit:sign-in|code', 'cross-site'],
  'GET /login/reset':                                   ['public'],
  'POST /login/reset':                                  ['limit:reset|code', 'cross-site'],
  'GET /login/phone-lost':                              ['public'],
  'POST /login/phone-lost':                             ['limit:reset|code', 'cross-site'],
  'GET /login/second-step':                             ['public'],
  'POST /login/second-step/send':                       ['limit:code', 'cross-site'],
  'POST /login/second-step':                            ['limit:sign-in', 'cross-site'],
  'POST /logout':                                       ['cross-site'],
  'GET /login/linked/:provider':                        ['public'],
  // The upstream provider's redirect back: the handler checks its state against the cookie.
  'GET /linked/callback':                               ['public'],

  // Registration and sign-in (JSON twins)
  'POST /api/identity/codes':                           ['limit:code', 'cross-site'],
  'POST /api/identity/register':                        ['limit:register', 'cross-site'],
  'POST /api/identity/login/password':                  ['limit:sign-in', 'cross-site'],
  'POST /api/identity/login/code':                      ['limit:sign-in', 'cross-site'],
  'POST /api/identity/password/reset':                  ['limit:reset', 'cross-site'],
  'POST /api/identity/phone-recovery':                  ['limit:reset', 'cross-site'],
  'POST /api/identity/phone-recovery/code':             ['limit:code', 'cross-site'],
  'POST /api/identity/phone-recovery/face':             ['limit:reset', 'cross-site'],
  'POST /api/identity/logout':                          ['cross-site'],
  'POST /api/identity/second-step/sms':                 ['limit:code', 'cross-site'],
  'POST /api/identity/second-step/code':                ['limit:sign-in', 'cross-site'],
  'POST /api/identity/second-step/passkey/options':     ['limit:sign-in', 'cross-site'],
  'POST /api/identity/second-step/passkey':             ['limit:sign-in', 'cross-site'],
  'POST /api/identity/passkey/options':                 ['limit:sign-in', 'cross-site'],
  'POST /api/identity/login/passkey':                   ['limit:sign-in', 'cross-site'],

  // The person's own pages
  // P8.1 P8.3 My account (web/portal/account): no per-source bucket, like the other signed-in
  // pages; codes are limited per number (one a minute, a daily budget: signin/attempts.ts),
  // guesses per code (5) and wrong proofs per session (the 5th ends it).
  'GET /me':                                            ['citizen'],
  'GET /me/password':                                   ['citizen'],
  'POST /me/password':                                  ['cross-site', 'citizen', 'step-up'],
  'POST /me/password/step-up':                          ['cross-site', 'citizen', 'step-up'],
  'GET /me/phone':                                      ['citizen'],
  'POST /me/phone':                                     ['cross-site', 'citizen', 'step-up'],
  'POST /me/phone/verify':                              ['cross-site', 'citizen', 'step-up'],
  'POST /me/phone/old-code':                            ['cross-site', 'citizen'],
  'POST /me/phone/confirm':                             ['cross-site', 'citizen'],
  'GET /me/access':                                     ['citizen'],
  'GET /me/export':                                     ['citizen', 'step-up'],
  'POST /me/export':                                    ['cross-site', 'citizen', 'step-up'],
  'GET /me/export/:id/archive.json':                    ['citizen', 'step-up'],
  'GET /me/export/:id/archive.html':                    ['citizen', 'step-up'],
  'GET /me/close':                                      ['citizen'],
  'POST /me/close':                                     ['cross-site', 'citizen', 'step-up'],
  'POST /me/close/undo':                                ['cross-site', 'citizen'],
  'GET /me/consents':                                   ['citizen'],
  'POST /me/consents/:id/withdraw':                     ['cross-site', 'citizen'],
  'GET /privacy/changes':                               ['citizen'],
  'POST /privacy/changes/accept':                       ['cross-site', 'citizen'],
  'POST /privacy/changes/consents/:id':                 ['cross-site', 'citizen'],
  'GET /me/security':                                   ['citizen'],
  'POST /me/security/totp':                             ['cross-site', 'citizen'],
  'POST /me/security/totp/confirm':                     ['cross-site', 'citizen'],
  'POST /me/security/totp/remove':                      ['cross-site', 'citizen', 'step-up'],
  'POST /me/security/passkeys/:id/remove':              ['cross-site', 'citizen', 'step-up'],
  'POST /me/security/recovery-codes':                   ['cross-site', 'citizen', 'step-up'],
  'POST /me/security/recovery-codes/download':          ['cross-site', 'citizen'],
  'GET /me/security/passkeys/:id/rename':               ['citizen'],
  'POST /me/security/passkeys/:id/rename':              ['cross-site', 'citizen'],
  'POST /me/sessions/:id/name':                         ['cross-site', 'citizen'],
  'POST /me/sessions/:id/end':                          ['cross-site', 'citizen'],
  'POST /me/sessions/end-others':                       ['cross-site', 'citizen'],
  'POST /me/linked/:provider':                          ['cross-site', 'citizen'],
  'POST /me/linked/:id/unlink':                         ['cross-site', 'citizen'],
  'GET /me/verify':                                     ['citizen'],
  'POST /me/verify/registry':                           ['cross-site', 'citizen'],
  'POST /me/verify/face':                               ['cross-site', 'citizen'],
  'POST /me/verify/bank':                               ['cross-site', 'citizen'],
  'POST /me/verify/correct':                            ['cross-site', 'citizen'],
  'GET /me/companies':                                  ['citizen'],
  'POST /me/companies':                                 ['cross-site', 'citizen'],
  'GET /me/companies/:id':                              ['citizen'],
  'POST /me/companies/:id/agents':                      ['cross-site', 'citizen'],
  'POST /me/companies/:id/agents/:auth/revoke':         ['cross-site', 'citizen'],
  'POST /me/acting':                                    ['cross-site', 'citizen'],
  'GET /me/deliveries':                                 ['citizen'],
  'POST /me/deliveries/:id/erase':                      ['cross-site', 'citizen'],
  'GET /me/push':                                       ['citizen'],
  // Not per source: the person is signed in, and the notify module caps code mails per person
  // (one a minute, ten a day) and guesses per code (five), as verification caps its attempts.
  'GET /me/services':                                   ['citizen'],
  'POST /me/services/:clientId/disconnect':             ['cross-site', 'citizen'],
  'GET /me/activity':                                   ['citizen'],
  'GET /activity/reported':                             ['public'],
  'POST /me/activity/:entry/not-me':                    ['cross-site', 'citizen'],
  'GET /me/requests':                                   ['citizen'],
  'POST /me/requests':                                  ['cross-site', 'citizen'],
  'GET /me/requests/:id':                               ['citizen'],
  'POST /me/requests/:id/confirm':                      ['cross-site', 'citizen', 'step-up'],
  'POST /me/requests/:id/answer':                       ['cross-site', 'citizen'],
  'POST /me/requests/:id/withdraw':                     ['cross-site', 'citizen'],
  'GET /me/email':                                      ['citizen'],
  'POST /me/email':                                     ['cross-site', 'citizen'],
  'POST /me/email/verify':                              ['cross-site', 'citizen'],
  'POST /me/email/resend':                              ['cross-site', 'citizen'],
  'POST /me/email/cancel':                              ['cross-site', 'citizen'],
  'POST /me/email/remove':                              ['cross-site', 'citizen'],
  // P8.5 one-click unsubscribe (RFC 8058): a mail program posts it from elsewhere, with no
  // session; the signed token is the proof (notify.unsubscribe.ts). GET changes nothing.
  // The inbox, notification choices and dismissing an announcement (issue 13 §3–4).
  'GET /me/inbox':                                      ['citizen'],
  'POST /me/inbox/read':                                ['cross-site', 'citizen'],
  'GET /me/notifications':                              ['citizen'],
  'POST /me/notifications':                             ['cross-site', 'citizen'],
  'POST /announcements/:id/dismiss':                    ['cross-site', 'citizen'],
  'GET /unsubscribe/:token':                            ['public'],
  'POST /unsubscribe/:token':                           ['public'],
  'GET /delivery':                                      ['citizen'],
  'POST /delivery':                                     ['cross-site', 'citizen'],
  'POST /delivery/decline':                             ['cross-site', 'citizen'],

  // The person's own JSON API
  'GET /api/me/access-log':                             ['citizen'],
  'POST /api/me/passkeys/options':                      ['cross-site', 'citizen'],
  'POST /api/me/passkeys':                              ['cross-site', 'citizen'],
  'GET /api/me/verification':                           ['citizen'],
  'POST /api/me/verification/registry':                 ['cross-site', 'citizen'],
  'POST /api/me/verification/face':                     ['cross-site', 'citizen'],
  'POST /api/me/verification/bank':                     ['cross-site', 'citizen'],
  'POST /api/me/verification/correction':               ['cross-site', 'citizen'],
  'GET /api/companies':                                 ['citizen'],
  'POST /api/companies':                                ['cross-site', 'citizen'],
  'GET /api/companies/acting':                          ['citizen'],
  'PUT /api/companies/acting':                          ['cross-site', 'citizen'],
  'GET /api/companies/:id':                             ['citizen'],
  'POST /api/companies/:id/agents':                     ['cross-site', 'citizen'],
  'POST /api/companies/:id/agents/:authorisation/revoke': ['cross-site', 'citizen'],
  'POST /api/me/push/subscription':                     ['cross-site', 'citizen', 'limit:push'],
  'POST /api/me/push/subscription/remove':              ['cross-site', 'citizen', 'limit:push'],
  'GET /api/me/deliveries':                             ['citizen'],
  'GET /api/me/inbox':                                  ['citizen'],
  'POST /api/me/inbox/read':                            ['cross-site', 'citizen'],
  'GET /api/me/notifications':                          ['citizen'],
  'PUT /api/me/notifications':                          ['cross-site', 'citizen'],
  'POST /api/me/deliveries/:id/erase':                  ['cross-site', 'citizen'],

  // Departments' back ends
  'GET /api/department/deliveries/:id':                 ['department'],
  'POST /api/department/deliveries/:id/close':          ['department'],

  // The staff console: sign-in steps (each its own bucket), then pages behind a full session
  'GET /admin/login':                                   ['public'],
  'POST /admin/login':                                  ['cross-site', 'limit:staff-password'],
  'GET /admin/login/code':                              ['public'],
  'POST /admin/login/code':                             ['cross-site', 'limit:staff-code'],
  'GET /admin/enrol':                                   ['public'],
  'POST /admin/enrol':                                  ['cross-site', 'limit:staff-enrol'],
  'POST /admin/logout':                                 ['cross-site'],
  'GET /admin/password':                                ['staff'],
  'POST /admin/password':                               ['cross-site', 'staff'],
  'GET /admin':                                         ['staff'],
  'GET /admin/verify':                                  ['staff'],
  'POST /admin/verify':                                 ['cross-site', 'staff'],
  'GET /admin/verify/reclaim':                          ['staff'],
  'POST /admin/verify/reclaim':                         ['cross-site', 'staff'],
  'POST /admin/verify/reclaim/release':                 ['cross-site', 'staff'],
  'GET /admin/verify/phone':                            ['staff'],
  'POST /admin/verify/phone':                           ['cross-site', 'staff'],
  'POST /admin/verify/phone/code':                      ['cross-site', 'staff'],
  'POST /admin/verify/phone/bind':                      ['cross-site', 'staff'],
  'GET /admin/accounts':                                ['staff'],
  'POST /admin/accounts':                               ['cross-site', 'staff'],
  'POST /admin/accounts/:subjectId/unlock':             ['cross-site', 'staff'],
  'POST /admin/accounts/:subjectId/close':              ['cross-site', 'staff'],
  'GET /admin/suspicious':                              ['staff'],
  'POST /admin/suspicious/:id/close':                   ['cross-site', 'staff'],
  'GET /admin/holds':                                   ['staff'],
  'GET /admin/usage':                                   ['staff'],
  'POST /admin/holds':                                  ['cross-site', 'staff'],
  'GET /admin/policy':                                  ['staff'],
  'POST /admin/policy':                                 ['cross-site', 'staff'],
  'GET /admin/policy/:version':                         ['staff'],
  'POST /admin/policy/:version':                        ['cross-site', 'staff'],
  'POST /admin/policy/:version/schedule':               ['cross-site', 'staff'],
  'POST /admin/policy/:version/discard':                ['cross-site', 'staff'],
  'POST /admin/holds/:id/release':                      ['cross-site', 'staff'],
  'GET /admin/rights':                                  ['staff'],
  'GET /admin/rights/:id':                              ['staff'],
  'POST /admin/rights/:id/confirm':                     ['cross-site', 'staff'],
  'POST /admin/rights/:id/start':                       ['cross-site', 'staff'],
  'POST /admin/rights/:id/ask':                         ['cross-site', 'staff'],
  'POST /admin/rights/:id/decide':                      ['cross-site', 'staff'],
  'GET /admin/transfers':                               ['staff'],
  'POST /admin/transfers':                              ['cross-site', 'staff'],
  'POST /admin/transfers/:id/notify':                   ['cross-site', 'staff'],
  'POST /admin/transfers/:id/transfer':                 ['cross-site', 'staff'],
  'POST /admin/transfers/:id/cancel':                   ['cross-site', 'staff'],
  'GET /admin/deliveries':                              ['staff'],
  'GET /admin/incidents':                               ['staff'],
  'POST /admin/incidents':                              ['cross-site', 'staff'],
  'GET /admin/incidents/:id':                           ['staff'],
  'POST /admin/incidents/:id/advance':                  ['cross-site', 'staff'],
  'POST /admin/incidents/:id/reopen':                   ['cross-site', 'staff'],
  'POST /admin/incidents/:id/update':                   ['cross-site', 'staff'],
  'POST /admin/incidents/:id/severity':                 ['cross-site', 'staff'],
  'POST /admin/incidents/:id/count':                    ['cross-site', 'staff'],
  'POST /admin/incidents/:id/freeze':                   ['cross-site', 'staff'],
  'POST /admin/incidents/:id/send':                     ['cross-site', 'staff'],
  'GET /admin/incidents/:id/report':                    ['staff'],
  'POST /admin/incidents/:id/report':                   ['cross-site', 'staff'],
  // The role check (may manage services) is the page's own preHandler, after these.
  'GET /admin/services':                                ['staff'],
  'POST /admin/services':                               ['cross-site', 'staff'],
  // The role check (may publish announcements) is the page's own preHandler, after these.
  'GET /admin/announcements':                           ['staff'],
  'POST /admin/announcements':                          ['cross-site', 'staff'],
  'POST /admin/announcements/:id/withdraw':             ['cross-site', 'staff'],

  // The staff JSON API
  'POST /api/staff/vault/read':                         ['cross-site', 'staff'],
  'GET /api/staff/subjects/:subjectId/access-log':      ['staff'],
  'POST /api/staff/consents/:consentId/withdraw':       ['cross-site', 'staff'],
  'POST /api/staff/accounts/lookup':                    ['cross-site', 'staff'],
  'POST /api/staff/accounts/:subjectId/unlock':         ['cross-site', 'staff'],
  'GET /api/staff/relying-parties':                     ['staff'],
  'PUT /api/staff/relying-parties/:clientId':           ['cross-site', 'staff'],
  'POST /api/staff/verification/in-person':             ['cross-site', 'staff'],

  // The OpenID provider's interaction pages (the handler sends a signed-out person to /login)
  'GET /oidc/interaction/:uid':                         ['public'],
  'POST /oidc/interaction/:uid/consent':                ['cross-site'],
  // The provider itself, every method: a hijacked Koa app behind its own limiter (oidc/mount.ts).
  '* /oidc/*':                                          ['provider'],
  'GET /.well-known/oauth-authorization-server/oidc':   ['provider'],
} as const satisfies Record<string, readonly Guard[]>;

export type RouteKey = keyof typeof routeGuards;

/**
 * Pages and their JSON twins: the same step through a form or through the API. Each pair
 * counts in one bucket (`guards.test.ts` holds them to it, `limits.test.ts` proves it by
 * exhausting it through one and being refused on the other). `send` is the page form that
 * sends a code (`send=1`).
 */
export const twins: readonly { page: RouteKey; send?: true; api: RouteKey }[] = [
  { page: 'POST /login', api: 'POST /api/identity/login/password' },
  { page: 'POST /login/code', api: 'POST /api/identity/login/code' },
  { page: 'POST /login/code', send: true, api: 'POST /api/identity/codes' },
  { page: 'POST /register/code', api: 'POST /api/identity/codes' },
  { page: 'POST /register', api: 'POST /api/identity/register' },
  // The page proves the number by its code first (step 2), the API in the one register call.
  { page: 'POST /register/verify', api: 'POST /api/identity/register' },
  { page: 'POST /register/verify', send: true, api: 'POST /api/identity/codes' },
  { page: 'POST /login/reset', api: 'POST /api/identity/password/reset' },
  { page: 'POST /login/reset', send: true, api: 'POST /api/identity/codes' },
  { page: 'POST /login/phone-lost', api: 'POST /api/identity/phone-recovery' },
  { page: 'POST /login/phone-lost', send: true, api: 'POST /api/identity/phone-recovery/code' },
  { page: 'POST /login/second-step', api: 'POST /api/identity/second-step/code' },
  { page: 'POST /login/second-step/send', api: 'POST /api/identity/second-step/sms' },
  { page: 'POST /logout', api: 'POST /api/identity/logout' },
  // Unlimited on both sides: the person is signed in, and the verification module caps
  // attempts per person (verification.attempts.ts), partners' costs included.
  { page: 'POST /me/verify/registry', api: 'POST /api/me/verification/registry' },
  { page: 'POST /me/verify/face', api: 'POST /api/me/verification/face' },
  { page: 'POST /me/verify/bank', api: 'POST /api/me/verification/bank' },
  { page: 'POST /me/verify/correct', api: 'POST /api/me/verification/correction' },
  { page: 'POST /me/companies', api: 'POST /api/companies' },
  { page: 'POST /me/companies/:id/agents', api: 'POST /api/companies/:id/agents' },
  {
    page: 'POST /me/companies/:id/agents/:auth/revoke',
    api: 'POST /api/companies/:id/agents/:authorisation/revoke',
  },
  { page: 'POST /me/deliveries/:id/erase', api: 'POST /api/me/deliveries/:id/erase' },
  { page: 'POST /me/inbox/read', api: 'POST /api/me/inbox/read' },
  { page: 'POST /me/notifications', api: 'PUT /api/me/notifications' },
];

/** The bucket a request to this route counts in (`send`: the form sends a code), or none. */
export function bucketOf(key: RouteKey, send = false): Bucket | undefined {
  for (const g of routeGuards[key] as readonly Guard[]) {
    if (!g.startsWith('limit:')) continue;
    const [bucket, sends] = g.slice('limit:'.length).split('|') as [Bucket, Bucket | undefined];
    return send && sends ? sends : bucket;
  }
  return undefined;
}
