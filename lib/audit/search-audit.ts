import { z } from 'zod'
import { staffDirectoryRepository } from '@/lib/admin/staff-directory-repository'
import { londonWallClockToUtc } from '@/lib/time/london'
import { auditRepository, type TAuditFilter } from './audit-repository'
import { toAuditEntries, type TAuditEntry } from './audit-entries'

const date = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date like 2026-11-28')
  .optional()
  .or(z.literal('').transform(() => undefined))
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined))

/** The audit search form (query string of /admin/audit and /api/audit/export). Dates are London dates. */
export const ZAuditSearch = z.object({
  from: date,
  to: date,
  user: text(200),
  action: text(200),
  nhsNumber: z
    .string()
    .trim()
    .transform((v) => v.replace(/\s+/g, ''))
    .pipe(z.string().regex(/^(\d{10})?$/, 'An NHS number has 10 digits'))
    .optional()
    .transform((v) => (v ? v : undefined)),
  caseReference: text(40),
  outcome: z.enum(['success', 'failure', '']).optional().transform((v) => (v ? v : undefined)),
  transactionId: text(64),
  before: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional(),
})
export type TAuditSearch = z.infer<typeof ZAuditSearch>

export const AUDIT_PAGE_SIZE = 50

/** Form values → repository filter; null when the filter can match nothing (unknown user or case). */
export async function auditFilterFor(s: TAuditSearch): Promise<TAuditFilter | null> {
  const filter: TAuditFilter = {
    from: s.from ? londonWallClockToUtc(s.from, 0) : undefined,
    to: s.to ? londonWallClockToUtc(s.to, 24 * 60) : undefined,
    actionPrefix: s.action,
    patientNhs: s.nhsNumber,
    outcome: s.outcome,
    transactionId: s.transactionId,
  }
  if (s.user) {
    const ids = await staffDirectoryRepository.userIdsMatching(s.user)
    if (ids.length === 0) return null
    filter.actorIds = ids
  }
  if (s.caseReference) {
    const id = await staffDirectoryRepository.referralIdByCaseReference(s.caseReference)
    if (!id) return null
    filter.entityId = id
  }
  return filter
}

/** One page of the admin audit search, newest first; the search itself is audited. */
export async function searchAudit(s: TAuditSearch, by: { userId: string; ip?: string }): Promise<{ entries: TAuditEntry[]; nextBefore?: string }> {
  const filter = await auditFilterFor(s)
  const rows = filter ? await auditRepository.search(filter, { take: AUDIT_PAGE_SIZE + 1, before: s.before }) : []
  await auditRepository.record({
    actorType: 'USER',
    actorId: by.userId,
    action: 'audit.search',
    patientNhs: s.nhsNumber,
    outcome: 'success',
    ip: by.ip,
    detail: { filters: { ...s, nhsNumber: undefined } },
  })
  const page = rows.slice(0, AUDIT_PAGE_SIZE)
  return { entries: await toAuditEntries(page), nextBefore: rows.length > AUDIT_PAGE_SIZE ? page.at(-1)?.id : undefined }
}
