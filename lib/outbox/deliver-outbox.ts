import { dosIdFromEndpoint, parseToken, SYSTEMS } from '@/lib/bars/identifiers'
import { validationUseContext } from '@/lib/bars/validation-responses'
import { log } from '@/lib/log'
import { outboxRepository, type TClaimedMessage } from './outbox-repository'
import { decide, DEFAULT_RETRY_POLICY, type TAttemptResult, type TRetryPolicy } from './retry-policy'

export interface TDeliveryOptions {
  fetchImpl?: typeof fetch
  now?: () => Date
  batchSize?: number
  /** How long a claimed message is ours before another worker may take it. */
  leaseSeconds?: number
  timeoutMs?: number
  policy?: TRetryPolicy
}

export interface TDeliveryReport {
  claimed: number
  delivered: number
  retried: number
  dead: number
}

/** The HTTP headers of a response message (spec §4.9): new X-Request-Id, same X-Correlation-Id. */
export function deliveryHeaders(m: TClaimedMessage, token: string | null): Record<string, string> {
  const target = parseToken(m.targetEndpoint)
  const targetIdentifier = Buffer.from(JSON.stringify({ system: target?.system ?? SYSTEMS.dosServiceId, value: target?.value ?? m.targetEndpoint })).toString('base64')
  // App 4 responses carry use-context (A4.51).
  const useContext = validationUseContext(m.bundle)
  return {
    ...(useContext ? { 'use-context': useContext } : {}),
    'content-type': 'application/fhir+json',
    accept: 'application/fhir+json; version=1.0.0',
    'x-request-id': m.requestId,
    'x-correlation-id': m.correlationId,
    'nhsd-target-identifier': targetIdentifier,
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  }
}

async function attempt(m: TClaimedMessage, fetchImpl: typeof fetch, timeoutMs: number): Promise<TAttemptResult> {
  if (!m.targetBaseUrl) return { status: 0, outcomeCodes: ['no-response-url'] }
  const url = `${m.targetBaseUrl.replace(/\/$/, '')}/$process-message`
  try {
    const token = await outboxRepository.outboundToken(dosIdFromEndpoint(m.targetEndpoint))
    const res = await fetchImpl(url, {
      method: 'POST',
      headers: deliveryHeaders(m, token),
      body: JSON.stringify(m.bundle),
      signal: AbortSignal.timeout(timeoutMs),
    })
    const text = await res.text().catch(() => '')
    let outcomeCodes: string[] = []
    try {
      const body = JSON.parse(text) as { resourceType?: string; issue?: { code?: string }[] }
      if (body.resourceType === 'OperationOutcome') outcomeCodes = (body.issue ?? []).map((i) => i.code ?? '').filter(Boolean)
    } catch {
      // not JSON: only the status counts
    }
    return { status: res.status, outcomeCodes }
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code
    return { networkError: cause ?? (e instanceof Error ? e.name : 'unknown') }
  }
}

/**
 * One pass of the delivery worker: claim due messages and post each to the sender's
 * `$process-message` with the identical body and ids on every attempt.
 */
export async function deliverDueMessages(opts: TDeliveryOptions = {}): Promise<TDeliveryReport> {
  const now = opts.now ?? (() => new Date())
  const policy = opts.policy ?? DEFAULT_RETRY_POLICY
  const claimed = await outboxRepository.claimDue(now(), opts.batchSize ?? 10, opts.leaseSeconds ?? 60)
  const report: TDeliveryReport = { claimed: claimed.length, delivered: 0, retried: 0, dead: 0 }
  await Promise.all(
    claimed.map(async (m) => {
      const result = await attempt(m, opts.fetchImpl ?? fetch, opts.timeoutMs ?? 10_000)
      const d =
        !m.targetBaseUrl ? ({ kind: 'dead', error: 'the sender has no response base URL configured' } as const) : decide(result, m.attempts, policy)
      const fields = { outboxId: m.id, kind: m.kind, attempts: m.attempts, correlationId: m.correlationId, requestId: m.requestId }
      if (d.kind === 'delivered') {
        await outboxRepository.markDelivered(m.id, now(), d.note ?? null)
        report.delivered++
        log.info('outbox message delivered', fields)
      } else if (d.kind === 'retry') {
        await outboxRepository.scheduleRetry(m.id, new Date(now().getTime() + d.delayMs), d.error)
        report.retried++
        log.warn('outbox delivery failed; will retry', { ...fields, error: d.error, delayMs: d.delayMs })
      } else {
        await outboxRepository.markDead(m.id, d.error)
        report.dead++
        log.error('outbox message dead-lettered', { ...fields, error: d.error })
      }
    }),
  )
  return report
}

/**
 * The worker loop: deliver until stopped. Polls the table (the source of truth), so any number of
 * workers on any number of machines can run side by side.
 */
export async function runOutboxWorker(opts: TDeliveryOptions & { pollMs?: number; signal?: AbortSignal } = {}): Promise<void> {
  const pollMs = opts.pollMs ?? 1000
  while (!opts.signal?.aborted) {
    let report: TDeliveryReport | undefined
    try {
      report = await deliverDueMessages(opts)
    } catch (e) {
      log.error('outbox worker pass failed', { error: e instanceof Error ? e.message : String(e) })
    }
    if (!report?.claimed) await new Promise((r) => setTimeout(r, pollMs))
  }
}
