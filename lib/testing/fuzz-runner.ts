/**
 * Runs fuzz cases (lib/testing/fuzz-cases.ts) through the real POST /fhir/$process-message route
 * handler, in process, against the PostgreSQL in DATABASE_URL, and checks the properties:
 * - never a 5xx;
 * - a rejection (status >= 400) changes no domain row (rowCountsRepository);
 * - every rejection is a BaRS OperationOutcome (REC_* code) with both X-Request-Id and
 *   X-Correlation-Id echoed; a sample is checked with the R4 validator (`validate`);
 * - a sample of rejections is retried with the same ids and must get the same answer.
 */
import { POST } from '@/app/fhir/process-message/route'
import { target } from './fhir-request'
import { caseFor, describeCase, requestFor, type TFuzzCase } from './fuzz-cases'
import { rowCountsRepository, type TRowCounts } from './row-counts-repository'

export interface TCaseResult {
  seed: number
  status: number
  /** What went wrong (empty when every property held). */
  problems: string[]
  fiveXx: boolean
  partialWrite: boolean
  description: string
  outcome?: Record<string, unknown>
}

export interface TRunOptions {
  /** The body size limit the route applies (BARS_MAX_BODY_BYTES). */
  limit: number
  /** Retry every n-th rejection with the same ids (0 = never). */
  retryEvery?: number
  /** Validate every n-th OperationOutcome with the R4 validator (0 = never). */
  validateEvery?: number
  validate?: (resource: Record<string, unknown>) => string[]
  now?: Date
}

const HTTP_ERROR_CODES = 'https://fhir.nhs.uk/Codesystem/http-error-codes'

/** Where the time goes (ms): making the requests, the route handler, the row counts. */
export const timings = { generate: 0, route: 0, counts: 0 }

async function send(c: TFuzzCase, ids: { requestId: string; correlationId: string }, opts: TRunOptions): Promise<Response> {
  let t = performance.now()
  const { body, contentType } = requestFor(c, opts.now ?? new Date(), opts.limit)
  timings.generate += performance.now() - t
  const headers = new Headers({
    accept: 'application/fhir+json; version=1.0.0',
    'nhsd-target-identifier': target(),
    'x-request-id': ids.requestId,
    'x-correlation-id': ids.correlationId,
  })
  if (contentType) headers.set('content-type', contentType)
  t = performance.now()
  try {
    return await POST(new Request('http://localhost:3000/fhir/$process-message', { method: 'POST', headers, body }))
  } finally {
    timings.route += performance.now() - t
  }
}

const COUNTED = ['referrals', 'referralVersions', 'bookings', 'bookingVersions', 'slotBooked', 'outbox', 'domainAudit', 'liveEvents'] as const
const differs = (a: TRowCounts, b: TRowCounts) => COUNTED.filter((k) => a[k] !== b[k]).map((k) => `${k} ${a[k]}→${b[k]}`)

/**
 * The counts after the previous case, which are the counts before this one: each run has its own
 * database and runs its cases one after another, and nothing else writes to it.
 */
let last: TRowCounts | undefined
async function countsNow(since: bigint): Promise<TRowCounts> {
  const t = performance.now()
  last = await rowCountsRepository.counts(since)
  timings.counts += performance.now() - t
  return last
}

let rejections = 0

/** An OperationOutcome's content, without its id, with keys sorted (jsonb does not keep key order). */
function canonical(text: string): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>
    delete parsed.id
    return JSON.stringify(sort(parsed))
  } catch {
    return text
  }
}

export async function runCase(seed: number, opts: TRunOptions): Promise<TCaseResult> {
  const c = caseFor(seed)
  const ids = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() }
  const problems: string[] = []
  const prev = last ?? (await countsNow(BigInt(0)))
  const auditId = prev.lastAuditId
  const before = { ...prev, domainAudit: 0 }
  let res: Response
  try {
    res = await send(c, ids, opts)
  } catch (e) {
    return { seed, status: 0, problems: [`the route handler threw ${e instanceof Error ? e.name : typeof e}`], fiveXx: true, partialWrite: false, description: describeCase(c) }
  }
  const text = await res.text()
  const result: TCaseResult = { seed, status: res.status, problems, fiveXx: res.status >= 500, partialWrite: false, description: describeCase(c) }
  if (res.status >= 500) problems.push(`answered ${res.status}`)
  if (res.headers.get('x-request-id') !== ids.requestId) problems.push('X-Request-Id not echoed')
  if (res.headers.get('x-correlation-id') !== ids.correlationId) problems.push('X-Correlation-Id not echoed')
  const after = await countsNow(auditId)
  if (res.status < 400) return result

  const changed = differs(before, after)
  if (changed.length) {
    result.partialWrite = true
    problems.push(`rejected with ${res.status} but wrote: ${changed.join(', ')}`)
  }
  let outcome: Record<string, unknown> | undefined
  try {
    outcome = JSON.parse(text) as Record<string, unknown>
  } catch {
    problems.push('the error body is not JSON')
  }
  const issue = (outcome?.issue as { code?: string; details?: { coding?: { system?: string; code?: string }[] } }[] | undefined)?.[0]
  const coding = issue?.details?.coding?.[0]
  if (outcome?.resourceType !== 'OperationOutcome' || !issue?.code || coding?.system !== HTTP_ERROR_CODES || !/^REC_[A-Z_]+$/.test(coding.code ?? '')) {
    problems.push('the error is not a BaRS OperationOutcome with a REC_* code')
  }
  result.outcome = outcome
  rejections++
  if (outcome && opts.validate && opts.validateEvery && rejections % opts.validateEvery === 0) {
    for (const p of opts.validate(outcome)) problems.push(`OperationOutcome invalid: ${p}`)
  }
  if (opts.retryEvery && rejections % opts.retryEvery === 0 && res.status !== 413) {
    const again = await send(c, ids, opts)
    const againText = await again.text()
    const afterRetry = await countsNow(after.lastAuditId)
    if (afterRetry.domainAudit || differs({ ...after, domainAudit: 0 }, afterRetry).length) problems.push('a retry of a rejected message wrote rows')
    if (again.status !== res.status || canonical(againText) !== canonical(text)) problems.push(`a retry with the same ids answered ${again.status} (first ${res.status}) or a different body`)
  }
  return result
}

export interface TRunSummary {
  cases: number
  byStatus: Record<number, number>
  fiveXx: number
  partialWrites: number
  failures: TCaseResult[]
  timings?: typeof timings
}

/** Run seeds [from, from + count) one after another (each case's row counts are exact). */
export async function runCases(
  from: number,
  count: number,
  opts: TRunOptions,
  onProgress?: (done: number, summary: TRunSummary) => void,
  onFailure?: (failure: TCaseResult) => void,
): Promise<TRunSummary> {
  const summary: TRunSummary = { cases: 0, byStatus: {}, fiveXx: 0, partialWrites: 0, failures: [] }
  for (let seed = from; seed < from + count; seed++) {
    const r = await runCase(seed, opts)
    summary.cases++
    summary.byStatus[r.status] = (summary.byStatus[r.status] ?? 0) + 1
    if (r.fiveXx) summary.fiveXx++
    if (r.partialWrite) summary.partialWrites++
    if (r.problems.length) {
      const failure = { ...r }
      delete failure.outcome
      summary.failures.push(failure)
      onFailure?.(failure)
    }
    if (onProgress && summary.cases % 100 === 0) onProgress(summary.cases, summary)
  }
  return { ...summary, timings: { ...timings } }
}
