import { z } from 'zod'

/**
 * The only reader of process.env. Everything configurable is named and validated here.
 */
function zBool(fallback: boolean) {
  return z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : v === 'true' || v === '1'))
}

const ZEnv = z.object({
  DATABASE_URL: z.string().min(1, 'DATABASE_URL is not set (npm start sets it for the embedded database)'),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  /** Our public origin for next-auth (https → __Secure- cookies); also an accepted Origin for CSRF checks. */
  NEXTAUTH_URL: z.string().url().optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Largest $process-message body we accept, in bytes (413 above it). */
  BARS_MAX_BODY_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  /** Prefix of our human-readable case references. */
  BARS_CASE_PREFIX: z.string().regex(/^[A-Z]{2,6}$/).default('ED'),
  /** Public base URL of this receiver (identifier systems in our replies). */
  BARS_PUBLIC_URL: z.string().url().default('http://localhost:3000'),

  // --- Load shedding (issue 10; README "Performance") ---
  /** $process-message requests one instance works on at once; beyond it 503 REC_UNAVAILABLE + Retry-After, before any write. */
  BARS_MAX_INFLIGHT_MESSAGES: z.coerce.number().int().positive().default(16),
  /**
   * How long (ms) service and sender lookups are cached; PostgreSQL NOTIFY clears the cache on admin changes. 0 = no cache.
   * Off by default under Vitest (NODE_ENV=test), where tests rewrite services directly and read them back at once;
   * lib/db/lookup-cache.int.test.ts turns it on.
   */
  BARS_LOOKUP_CACHE_MS: z.coerce.number().int().min(0).default(process.env.NODE_ENV === 'test' ? 0 : 5000),

  // --- Database pool (lib/db/prisma.ts): no request hangs when PostgreSQL is down (503 instead) ---
  /** Connections per app process. */
  BARS_DB_POOL_SIZE: z.coerce.number().int().positive().default(10),
  /** Give up connecting (or waiting for a pooled connection) after this many ms → 503 REC_UNAVAILABLE. */
  BARS_DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(4000),
  /** PostgreSQL statement_timeout in ms (the client gives up 500 ms later) → 503 REC_UNAVAILABLE. */
  BARS_DB_QUERY_TIMEOUT_MS: z.coerce.number().int().positive().default(4000),

  // --- Sender authentication on /fhir (docs/security.md) ---
  /** true: every /fhir call must come from a known sender (client certificate or bearer token), else 401. */
  BARS_REQUIRE_SENDER_AUTH: zBool(false),
  /** true: trust X-Client-Cert-Subject, set by our TLS terminator after it verified the client certificate. */
  BARS_TRUST_CLIENT_CERT_HEADER: zBool(false),
  /** Subjects of the NHS BaRS proxy's client certificates, separated by ";" (subjects contain commas). */
  BARS_PROXY_CERT_SUBJECTS: z.string().default(''),
  /**
   * true: allow production (NODE_ENV=production on a database that is not on this machine) to run
   * without sender authentication (BARS_REQUIRE_SENDER_AUTH not true). Without it such a start is refused.
   */
  BARS_ALLOW_UNAUTHENTICATED_SENDERS: zBool(false),

  // --- Rate limits (fixed one-minute windows in PostgreSQL, shared by every instance) ---
  /** Requests per minute per (sender, service) on /fhir (429 REC_TOO_MANY_REQUESTS above it); sizing in docs/security.md. */
  BARS_SENDER_RATE_LIMIT: z.coerce.number().int().positive().default(1200),
  /** Requests per minute per signed-in user on /api (429 above it). */
  BARS_USER_RATE_LIMIT: z.coerce.number().int().positive().default(300),
  /** Largest staff API (/api) body we accept, in bytes (413 above it). */
  BARS_API_MAX_BODY_BYTES: z.coerce.number().int().positive().default(64 * 1024),

  // --- Staff sign-in via OpenID Connect (e.g. NHS CIS2); credentials sign-in when OIDC_ISSUER is unset ---
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Button text on the sign-in page, e.g. "NHS Care Identity (smartcard)". */
  OIDC_NAME: z.string().default('NHS Care Identity'),
  OIDC_SCOPE: z.string().default('openid profile email nationalrbacaccess'),
  /** CIS2: authentication assurance level, e.g. "AAL3_ANY" (smartcard) or "AAL2_OR_AAL3_ANY". */
  OIDC_ACR_VALUES: z.string().optional(),
  /** Claim holding the user's roles: a path into the ID token/userinfo, e.g. "nhsid_nrbac_roles.role_code". */
  OIDC_ROLE_CLAIM: z.string().default('nhsid_nrbac_roles.role_code'),
  /** Claim value → our role, e.g. "S8000:G8000:R8000=CLINICIAN,S8001:G8001:R8001=RECEPTIONIST". */
  OIDC_ROLE_MAP: z.string().default(''),
  /** false: also allow password sign-in when OIDC is configured (break-glass accounts). */
  BARS_ALLOW_PASSWORD_SIGN_IN: zBool(true),

  // --- Logging ---
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

export type TEnv = z.infer<typeof ZEnv>

/** A database on another machine: what "production" means here (the embedded and test databases are on 127.0.0.1). */
export function isExternalDatabase(databaseUrl: string): boolean {
  try {
    const host = new URL(databaseUrl).hostname.replace(/^\[|\]$/g, '')
    return !['127.0.0.1', 'localhost', '::1', ''].includes(host)
  } catch {
    return true
  }
}

/**
 * Production must not accept unauthenticated FHIR calls by accident (docs/security.md): with
 * NODE_ENV=production, an external database and BARS_REQUIRE_SENDER_AUTH not true, the
 * environment is refused unless BARS_ALLOW_UNAUTHENTICATED_SENDERS=true says it is meant.
 */
const ZCheckedEnv = ZEnv.superRefine((e, ctx) => {
  if (e.NODE_ENV === 'production' && !e.BARS_REQUIRE_SENDER_AUTH && !e.BARS_ALLOW_UNAUTHENTICATED_SENDERS && isExternalDatabase(e.DATABASE_URL)) {
    ctx.addIssue({
      code: 'custom',
      path: ['BARS_REQUIRE_SENDER_AUTH'],
      message: 'refusing to run production without sender authentication: set BARS_REQUIRE_SENDER_AUTH=true (docs/security.md), or BARS_ALLOW_UNAUTHENTICATED_SENDERS=true if this is really meant',
    })
  }
})

let cached: TEnv | undefined

export function env(): TEnv {
  cached ??= ZCheckedEnv.parse(process.env)
  return cached
}

/** Tests only: forget the parsed environment so the next env() reads process.env again. */
export function resetEnvForTests(): void {
  cached = undefined
}
