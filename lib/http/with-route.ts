import type { z } from 'zod'
import { auditRepository } from '@/lib/audit/audit-repository'
import { can, type TPermission } from '@/lib/auth/permissions'
import { readCookie, userFromRequest, type TStaffUser } from '@/lib/auth/session'
import { isUuid } from '@/lib/bars/headers'
import { translateDbError } from '@/lib/db/db-errors'
import { env } from '@/lib/env'
import { AppError, ERROR_KINDS, isAppError, type TErrorKind } from '@/lib/errors/app-error'
import { log } from '@/lib/log'
import { checkRateLimit } from '@/lib/security/check-rate-limit'
import { csrfCookieName, originAllowed, ownOrigins, STATE_CHANGING, validDoubleSubmit } from '@/lib/security/csrf'
import { clientAddress } from './client-address'
import { readJsonBody } from './read-json-body'
import { parseRouteParams } from './route-params'

/**
 * The wrapper every staff JSON route (app/api/**, except next-auth's own) uses, one per exported
 * method: `export const POST = apiRoute({ permission, body: ZThing, handler })`. In order:
 * session (401), permission from lib/auth/permissions.ts (403), CSRF on state changes (403),
 * per-user rate limit (429), body size (413) / media type (415) / zod (400); AppError → JSON
 * { error, message }; an audit row for every call, written once the status is known.
 */
export interface TAuditTarget {
  entityType?: string
  entityId?: string
  patientNhs?: string
}

export interface TRouteContext<B, Q> {
  req: Request
  url: URL
  user: TStaffUser
  params: Record<string, string>
  body: B
  query: Q
  ip?: string
  requestId: string
  /** Name the record (and patient) this call touched, for its audit row. */
  audit: (target: TAuditTarget) => void
}

export interface TRouteSpec<B, Q> {
  permission: TPermission | 'signed-in'
  body?: z.ZodType<B>
  query?: z.ZodType<Q>
  /** Return data (sent as JSON 200) or a Response (sent as is, e.g. a CSV download). */
  handler: (ctx: TRouteContext<B, Q>) => Promise<unknown>
}

const JSON_MEDIA = /^application\/json\s*(;.*)?$/i

function jsonError(status: number, error: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Response {
  return Response.json({ error, message, ...extra }, { status, headers: { 'cache-control': 'no-store', ...headers } })
}


function csrfOk(req: Request): boolean {
  const e = env()
  if (originAllowed(req.headers.get('origin'), ownOrigins(req, [e.NEXTAUTH_URL, e.BARS_PUBLIC_URL]))) return true
  const secure = e.NEXTAUTH_URL?.startsWith('https://') ?? false
  return validDoubleSubmit(req.headers.get('x-csrf-token'), readCookie(req, csrfCookieName(secure)), e.NEXTAUTH_SECRET)
}

class ValidationFailure extends Error {
  constructor(readonly issues: { path: string; message: string }[]) {
    super('validation failed')
  }
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value)
  if (!r.success) throw new ValidationFailure(r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })))
  return r.data
}

export function apiRoute<B = undefined, Q = undefined>(spec: TRouteSpec<B, Q>) {
  return async (req: Request, routeCtx?: { params?: Promise<Record<string, string>> }): Promise<Response> => {
    const url = new URL(req.url)
    const incoming = req.headers.get('x-request-id')
    const requestId = isUuid(incoming) ? incoming : crypto.randomUUID()
    const ip = clientAddress(req)
    let user: TStaffUser | null = null
    let target: TAuditTarget = {}
    let res: Response
    let errorKind: string | undefined
    try {
      user = await userFromRequest(req)
      if (!user) throw new AppError('unauthenticated', 'Sign in to use this service.')
      if (spec.permission !== 'signed-in' && !can(user.roles, spec.permission)) throw new AppError('forbidden', 'Your account does not have permission for this.')
      if (STATE_CHANGING.has(req.method) && !csrfOk(req)) throw new AppError('forbidden', 'Cross-site request refused.')
      await checkRateLimit(`user:${user.id}`, env().BARS_USER_RATE_LIMIT)
      const rawBody = spec.body && STATE_CHANGING.has(req.method) ? await readJsonBody(req, { limit: env().BARS_API_MAX_BODY_BYTES, mediaType: JSON_MEDIA, mediaName: 'application/json' }) : undefined
      const body = spec.body ? parseWith(spec.body, rawBody) : (undefined as B)
      const query = spec.query ? parseWith(spec.query, Object.fromEntries(url.searchParams)) : (undefined as Q)
      const result = await spec.handler({
        req,
        url,
        user,
        params: parseRouteParams((await routeCtx?.params) ?? {}),
        body,
        query,
        ip,
        requestId,
        audit: (t) => {
          target = { ...target, ...t }
        },
      })
      res = result instanceof Response ? result : Response.json(result ?? { ok: true }, { headers: { 'cache-control': 'no-store' } })
    } catch (caught) {
      // A database failure we can name becomes its AppError (unique → 409, missing → 404, unreachable → 503).
      const db = isAppError(caught) ? undefined : translateDbError(caught)
      if (db) log.warn('database error in API route', { requestId, path: url.pathname, dbCode: db.dbCode, status: db.status })
      const e: unknown = db ?? caught
      if (e instanceof ValidationFailure) {
        errorKind = 'invalid'
        res = jsonError(400, 'invalid', 'Some answers need correcting.', { issues: e.issues })
      } else if (isAppError(e)) {
        errorKind = e.kind
        // An AppError that names a field (expression) points the form at it, like a validation issue.
        const issues = e.expression?.length ? { issues: [{ path: e.expression[0], message: e.message }] } : {}
        res = jsonError(ERROR_KINDS[e.kind as TErrorKind].status, e.kind, e.message, issues, e.headers)
      } else {
        errorKind = 'server-error'
        log.error('unhandled error in API route', { requestId, path: url.pathname, error: e instanceof Error ? e.name : typeof e })
        if (env().NODE_ENV !== 'production') console.error(e)
        res = jsonError(500, 'server-error', 'Something went wrong. Try again, and tell the service desk if it keeps happening.')
      }
    }
    res.headers.set('x-request-id', requestId)
    // Database unreachable: the audit row cannot be written either (the log line is the record).
    if (errorKind !== 'unavailable') {
      try {
        await auditRepository.record({
          actorType: 'USER',
          actorId: user?.id,
          action: `api.${req.method} ${url.pathname}`.slice(0, 200),
          ...target,
          requestId,
          correlationId: req.headers.get('x-correlation-id')?.slice(0, 64) ?? undefined,
          outcome: res.status < 400 ? 'success' : 'failure',
          ip,
          detail: { status: res.status, error: errorKind },
        })
      } catch (e) {
        log.error('audit write failed', { requestId, error: e instanceof Error ? e.name : typeof e })
      }
    }
    log.info('api request', { method: req.method, path: url.pathname, status: res.status, requestId, userId: user?.id })
    return res
  }
}
