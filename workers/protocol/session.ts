/**
 * The operator session's wire contract between the server and the dashboard (issue 21,
 * item 13). Browsers hold the session in an HttpOnly cookie that scripts cannot read; a
 * request the cookie authenticates that may change something must also carry
 * CSRF_HEADER = CSRF_VALUE. A cross-site HTML form cannot set a header, and a cross-site
 * script cannot send one without a CORS preflight, which this API never grants.
 * Non-browser clients (CLI, tests, integrations) send `Authorization: Bearer` instead and
 * need no CSRF header.
 */
export const SESSION_COOKIE = "os_session";
/** `__Host-`: Secure, Path=/ and no Domain, so a sibling subdomain cannot plant or shadow it. */
export const SESSION_COOKIE_PREFIX = "host";
export const CSRF_HEADER = "x-requested-with";
export const CSRF_VALUE = "omnisupport";
