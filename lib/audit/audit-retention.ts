import { z } from 'zod'
import { settingRepository } from '@/lib/admin/setting-repository'
import { rateLimitRepository } from '@/lib/security/rate-limit-repository'
import { auditRepository } from './audit-repository'

export const AUDIT_RETENTION_KEY = 'audit.retentionYears'
export const DEFAULT_AUDIT_RETENTION_YEARS = 8

export const ZRetentionYears = z.coerce.number().int('Enter a whole number of years').min(1, 'Keep the audit for at least 1 year').max(100, 'Enter 100 years or fewer')

export async function auditRetentionYears(): Promise<number> {
  const r = ZRetentionYears.safeParse(await settingRepository.get(AUDIT_RETENTION_KEY))
  return r.success ? r.data : DEFAULT_AUDIT_RETENTION_YEARS
}

/** The instant before which audit rows are past retention. */
export function retentionCutoff(now: Date, years: number): Date {
  const cutoff = new Date(now)
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years)
  return cutoff
}

/**
 * The retention job (run daily, e.g. `npx tsx scripts/purge-audit.ts` from cron): deletes audit rows
 * older than the configured retention, and stale rate-limit windows. Records what it did.
 */
export async function purgeExpiredAudit(now = new Date()): Promise<{ deleted: number; cutoff: Date }> {
  const years = await auditRetentionYears()
  const cutoff = retentionCutoff(now, years)
  const deleted = await auditRepository.deleteBefore(cutoff)
  await rateLimitRepository.deleteBefore(new Date(now.getTime() - 3600_000))
  await auditRepository.record({ actorType: 'SYSTEM', action: 'audit.retention', outcome: 'success', detail: { deleted, cutoff: cutoff.toISOString(), years } })
  return { deleted, cutoff }
}
