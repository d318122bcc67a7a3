import type { Resource } from '@medplum/fhirtypes'
import { buildOperationOutcome } from '@/lib/bars/operation-outcome'
import { checkAccept, decodeNhsdHeaders, rawTransactionIds, readTransactionIds, type TNhsdHeaders } from '@/lib/bars/headers'
import { auditRepository, type TAuditInput } from '@/lib/audit/audit-repository'
import { translateDbError } from '@/lib/db/db-errors'
import { AppError, ERROR_KINDS, isAppError, ReplayedFailure } from '@/lib/errors/app-error'
import { env } from '@/lib/env'
import { log } from '@/lib/log'
import { checkRateLimit, countCall, type TCallAllowance } from '@/lib/security/check-rate-limit'
import { fhirRateLimitKey } from '@/lib/security/rate-limit-key'
import { authenticateSender, type TSenderIdentity } from '@/lib/senders/authenticate-sender'
import { directSenderDosId } from '@/lib/senders/sender-scope'
import { authoriseSender, resolveTargetService } from '@/lib/services/resolve-target-service'
import { checkQueryText } from '@/lib/bars/search-params'
import type { TServiceRecord } from '@/lib/services/service-repository'
import { clientAddress } from './client-address'
import { busyError, dbErrorCode, isDbBusy, type TInflightLimiter } from './inflight-limit'
import { readJsonBodyWithText } from './read-json-body'

export const FHIR_JSON = 'application/fhir+json; charset=utf-8'

export interface TFhirContext {
  req: Request
  url: URL
  requestId: string
  correlationId: string
  nhsd: TNhsdHeaders
  acceptVersion: string
  params: Record<string, string>
  /** The service NHSD-Target-Identifier names (when the route asks for it). */
  service?: TServiceRecord
  /** Who is calling (proxy, a registered sender, or nobody when sender auth is not required). */
  sender: TSenderIdentity
  /** With `rateLimit: 'handler'`: the caller's allowance, for the handler to count in its transaction (countCall). */
  rateLimit?: TCallAllowance
  /** The per-call audit row of a successful call, for a handler that writes it in its own transaction (then answer `audited: true`). */
  callAudit: () => TAuditInput
}

export interface TRouteOptions {
  /**
   * NHSD-Target-Identifier: 'required' (every endpoint but metadata) resolves it to one of our services
   * (404 when not ours) and applies access control on the NHSD-* headers (401); 'optional' does so
   * only when the header is present; 'none' (default) ignores it.
   */
  target?: 'required' | 'optional' | 'none'
  /** Bound on the requests this route works on at once in this instance (503 + Retry-After beyond it, before any write). */
  inflight?: TInflightLimiter
  /**
   * 'handler': the handler counts the call against the rate limit itself, inside its transaction
   * (ctx.rateLimit); a call the handler refuses (4xx) without having counted it is counted here
   * afterwards. Default: counted before the handler.
   */
  rateLimit?: 'route' | 'handler'
}

/** What the per-call audit row should name besides the call itself (e.g. the record and patient read). */
export interface TFhirAuditTarget {
  entityType?: string
  entityId?: string
  patientNhs?: string
}

export interface TFhirResult {
  status?: number
  body: Resource
  headers?: Record<string, string>
  audit?: TFhirAuditTarget
  /** The handler wrote the call's audit row (ctx.callAudit()) with its own changes. */
  audited?: boolean
}

type THandler = (ctx: TFhirContext) => Promise<TFhirResult>
type TMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
const ALL_METHODS: TMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

function respond(status: number, body: Resource, ids: { requestId?: string; correlationId?: string }, extra: Record<string, string> = {}) {
  // One plain record (the Response builds its Headers from it once).
  const headers: Record<string, string> = { 'content-type': FHIR_JSON, 'cache-control': 'no-store', ...extra }
  if (ids.requestId) headers['x-request-id'] = ids.requestId
  if (ids.correlationId) headers['x-correlation-id'] = ids.correlationId
  return new Response(JSON.stringify(body), { status, headers })
}

/** Turn any thrown value into the BaRS OperationOutcome response (spec §6). */
export function errorResponse(e: unknown, ids: { requestId?: string; correlationId?: string }): Response {
  if (e instanceof ReplayedFailure) return respond(e.status, e.body as Resource, ids)
  if (isAppError(e)) {
    const k = ERROR_KINDS[e.kind]
    const outcome = buildOperationOutcome({ status: k.status, recCode: k.recCode, issueCode: k.issueCode, diagnostics: e.message, expression: e.expression })
    return respond(k.status, outcome, ids, e.headers)
  }
  // A database failure we can name (unique → 409, missing → 404, unreachable → 503 + Retry-After).
  const db = translateDbError(e)
  if (db) {
    log.warn('database error in FHIR route', { requestId: ids.requestId, correlationId: ids.correlationId, dbCode: db.dbCode, status: db.status })
    return errorResponse(db, ids)
  }
  // Never let details of an unexpected failure (which may hold patient data) reach the sender or the log.
  log.error('unhandled error in FHIR route', { requestId: ids.requestId, correlationId: ids.correlationId, error: e instanceof Error ? e.name : typeof e, dbCode: dbErrorCode(e) })
  if (env().NODE_ENV !== 'production') console.error(e)
  const k = ERROR_KINDS['server-error']
  const outcome = buildOperationOutcome({ status: k.status, recCode: k.recCode, issueCode: k.issueCode, diagnostics: 'Unhandled exception in the receiver.' })
  return respond(k.status, outcome, ids)
}

/**
 * The wrapper every /fhir route uses. It checks the transaction ids (400), the Accept version (406)
 * and decodes the NHSD-* headers before the handler runs; echoes both ids on every response; turns
 * every failure into an OperationOutcome; answers verbs the route does not serve with 405 + Allow.
 */
export function fhirRoute(handlers: Partial<Record<'GET' | 'POST', THandler>>, opts: TRouteOptions = {}) {
  const allow = Object.keys(handlers).join(', ')
  const make = (method: TMethod) => async (req: Request, routeCtx?: { params: Promise<Record<string, string>> }) => {
    const get = (n: string) => req.headers.get(n)
    const raw = rawTransactionIds(get)
    const started = Date.now()
    const url = new URL(req.url)
    const path = url.pathname
    const nhsd = decodeNhsdHeaders(get)
    let sender: TSenderIdentity | undefined
    let res: Response
    let auditTarget: TFhirAuditTarget | undefined
    let audited = false
    let release: (() => void) | undefined
    try {
      release = opts.inflight?.acquire()
      const handler = handlers[method as 'GET' | 'POST']
      if (!handler) {
        throw new AppError('method-not-allowed', `${method} is not supported on this endpoint; use ${allow}.`, { headers: { allow } })
      }
      const e = env()
      sender = await authenticateSender(
        { certSubject: get('x-client-cert-subject'), authorization: get('authorization') },
        { requireAuth: e.BARS_REQUIRE_SENDER_AUTH, trustCertHeader: e.BARS_TRUST_CLIENT_CERT_HEADER, proxySubjects: e.BARS_PROXY_CERT_SUBJECTS.split(';').filter(Boolean) },
      )
      const ids = readTransactionIds(get)
      const { version } = checkAccept(get('accept'))
      checkQueryText(url.searchParams)
      const ctx: TFhirContext = {
        req,
        url,
        ...ids,
        nhsd,
        acceptVersion: version,
        params: (await routeCtx?.params) ?? {},
        sender,
        callAudit: () => fhirCallAudit({ req, method, path, status: 200, raw, nhsd, sender, ms: Date.now() - started }),
      }
      const targetHeader = get('nhsd-target-identifier')
      if (opts.target === 'required' || (opts.target === 'optional' && targetHeader?.trim())) {
        ctx.service = await resolveTargetService(targetHeader)
        // A directly authenticated sender must itself be on the service's sender list (when it has one).
        authoriseSender(ctx.service, ctx.nhsd, directSenderDosId(sender))
      }
      // Per (sender, service), keyed on who authenticated — never on a header the caller picks.
      const rateLimit = { key: fhirRateLimitKey(sender, nhsd, ctx.service), limit: e.BARS_SENDER_RATE_LIMIT, counted: false }
      if (opts.rateLimit === 'handler') ctx.rateLimit = rateLimit
      else await checkRateLimit(rateLimit.key, rateLimit.limit)
      let result: TFhirResult
      try {
        result = await handler(ctx)
      } catch (err) {
        // Refused before the handler's transaction counted it (a body refused on reading, a sender
        // refused): it counts on its own, and over the allowance it is answered 429 instead.
        if (ctx.rateLimit && !ctx.rateLimit.counted && isAppError(err) && err.status < 500) await countCall(ctx.rateLimit)
        throw err
      }
      auditTarget = result.audit
      audited = result.audited === true
      res = respond(result.status ?? 200, result.body, ids, result.headers)
    } catch (e) {
      if (isDbBusy(e)) log.warn('database busy: answered 503', { path, requestId: raw.requestId, dbCode: dbErrorCode(e) })
      res = errorResponse(isDbBusy(e) ? busyError() : e, raw)
    }
    const recCode = res.status >= 400 ? await recCodeOf(res) : undefined
    log.info(res.status < 400 ? 'fhir request' : 'fhir request failed', { method, path, status: res.status, recCode, requestId: raw.requestId, correlationId: raw.correlationId, ms: Date.now() - started })
    // With the database unreachable the audit row cannot be written either: the log line above is
    // the record, and the answer is not held up by a second connection timeout.
    try {
      if (recCode !== 'REC_UNAVAILABLE' && !audited) await auditFhirCall({ req, method, path, status: res.status, recCode, raw, nhsd, sender, target: auditTarget, ms: Date.now() - started })
    } finally {
      release?.() // the in-flight slot is given back whatever happens to the audit row
    }
    return res
  }
  return Object.fromEntries(ALL_METHODS.map((m) => [m, make(m)])) as Record<TMethod, ReturnType<typeof make>>
}

async function recCodeOf(res: Response): Promise<string | undefined> {
  try {
    const body = (await res.clone().json()) as { issue?: { details?: { coding?: { code?: string }[] } }[] }
    return body.issue?.[0]?.details?.coding?.[0]?.code
  } catch {
    return undefined
  }
}

interface TCallFacts {
  req: Request
  method: string
  path: string
  status: number
  recCode?: string
  raw: { requestId?: string; correlationId?: string }
  nhsd: TNhsdHeaders
  sender?: TSenderIdentity
  target?: TFhirAuditTarget
  ms: number
}

/** The audit row of one API call (who, what, when, from where, ids, outcome). */
function fhirCallAudit(a: TCallFacts): TAuditInput {
  const get = (n: string) => a.req.headers.get(n)
  let targetService: string | undefined
  try {
    const header = get('nhsd-target-identifier')
    if (header) targetService = (JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as { value?: string }).value?.slice(0, 64)
  } catch {
    targetService = undefined
  }
  const sender = a.sender
  return {
    actorType: 'SENDER',
    actorId: sender && 'senderId' in sender ? sender.senderId : (a.nhsd.endUserOrganisation?.odsCode ?? undefined),
    action: `fhir.${a.method} ${a.path}`.slice(0, 200),
    entityType: a.target?.entityType,
    entityId: a.target?.entityId,
    patientNhs: a.target?.patientNhs,
    requestId: a.raw.requestId?.slice(0, 64),
    correlationId: a.raw.correlationId?.slice(0, 64),
    outcome: a.status < 400 ? 'success' : 'failure',
    ip: clientAddress(a.req),
    detail: {
      status: a.status,
      recCode: a.recCode,
      auth: sender?.method ?? 'rejected',
      senderName: sender && 'senderName' in sender ? sender.senderName : undefined,
      senderOds: a.nhsd.endUserOrganisation?.odsCode,
      software: a.nhsd.requestingSoftware?.id,
      practitioner: a.nhsd.requestingPractitioner?.sdsRoleProfileId,
      targetService,
      ms: a.ms,
    },
  }
}

/** One audit row per API call, written once the answer is known (unless the handler wrote it in its transaction). */
async function auditFhirCall(a: TCallFacts) {
  try {
    await auditRepository.record(fhirCallAudit(a))
  } catch (e) {
    log.error('audit write failed', { requestId: a.raw.requestId, error: e instanceof Error ? e.name : typeof e })
  }
}

const FHIR_MEDIA = /^application\/(fhir\+)?json\s*(;.*)?$/i

/**
 * Read a FHIR JSON request body: 415 for another media type, 413 over the limit, 400 if empty or
 * unparsable; with its text as received (stored verbatim with the message).
 */
export async function readFhirJsonWithText(req: Request): Promise<{ value: unknown; text: string }> {
  const body = await readJsonBodyWithText(req, { limit: env().BARS_MAX_BODY_BYTES, mediaType: FHIR_MEDIA, mediaName: 'application/fhir+json' })
  if (body === undefined) throw new AppError('structure', 'The request body is empty.')
  return body
}
