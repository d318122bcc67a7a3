import type { Prisma } from '@/generated/prisma/client'
import { dbText, likeText } from '@/lib/db/like'
import { prisma } from '@/lib/db/prisma'
import type { TReferralState } from '@/lib/bars/referral-state'
import type { TInboxSort, TSortDirection } from './inbox-tabs'
import { versionBundleSelect } from '@/lib/referrals/version-bundle'

export interface TInboxFilter {
  /** Our service's row id (resolved from `service` by the caller); preferred over `service` so the index serves the order. */
  serviceId?: string
  /** Without a service: the services whose referrals this worklist shows (emergency departments). */
  serviceIds?: string[]
  state?: TReferralState
  /** Name, NHS number or case reference. */
  q?: string
  useCase?: string
  /** Sender DoS service id. */
  sender?: string
  /** Our service (DoS service id): each department works its own list. */
  service?: string
  receivedFrom?: Date
  receivedTo?: Date
}

function where(f: TInboxFilter, withState: boolean): Prisma.ReferralWhereInput {
  const and: Prisma.ReferralWhereInput[] = []
  if (withState && f.state) and.push({ state: f.state })
  if (f.serviceId) and.push({ serviceId: f.serviceId })
  else if (f.service) and.push({ service: { dosServiceId: f.service } })
  else if (f.serviceIds) and.push({ serviceId: { in: f.serviceIds } })
  if (f.useCase) and.push({ useCase: f.useCase })
  if (f.sender) and.push({ sourceEndpoint: { endsWith: `|${likeText(f.sender)}` } })
  if (f.receivedFrom) and.push({ receivedAt: { gte: f.receivedFrom } })
  if (f.receivedTo) and.push({ receivedAt: { lt: f.receivedTo } })
  const q = f.q === undefined ? undefined : dbText(f.q).trim()
  if (q) {
    const digits = q.replace(/[\s-]/g, '')
    const words = q.split(/\s+/).filter(Boolean)
    and.push({
      OR: [
        ...(/^\d{3,10}$/.test(digits) ? [{ patientNhsNumber: { startsWith: digits } }] : []),
        { caseReference: { equals: q.toUpperCase() } },
        // Every word must match the given or family name.
        { AND: words.map((w) => ({ OR: [{ patientGiven: { contains: likeText(w), mode: 'insensitive' as const } }, { patientFamily: { contains: likeText(w), mode: 'insensitive' as const } }] })) },
      ],
    })
  }
  return { AND: and }
}

/**
 * The worklist's default order: least time left first (no deadline last), then safeguarding, then
 * more flags, then oldest. The indexes Referral_worklist_idx and Referral_service_worklist_idx have
 * exactly these columns and directions, so the first page is an index range read with no sort at any
 * size. The other sorts (name, received, decided) are for the closed tabs and searches.
 */
export const WORKLIST_ORDER = [{ deadline: { sort: 'asc', nulls: 'last' } }, { safeguarding: 'desc' }, { flagCount: 'desc' }, { receivedAt: 'asc' }] satisfies Prisma.ReferralOrderByWithRelationInput[]

/** Filters the maintained counters cannot answer (they are kept per service and state only). */
const needsRowCount = (f: TInboxFilter) => Boolean(f.q?.trim() || f.useCase || f.sender || f.receivedFrom || f.receivedTo)

function orderBy(sort: TInboxSort, dir: TSortDirection): Prisma.ReferralOrderByWithRelationInput[] {
  const tail: Prisma.ReferralOrderByWithRelationInput[] = [{ safeguarding: 'desc' }, { flagCount: 'desc' }, { receivedAt: 'asc' }]
  if (sort === 'name') return [{ patientFamily: { sort: dir, nulls: 'last' } }, { patientGiven: { sort: dir, nulls: 'last' } }, ...tail]
  if (sort === 'received') return [{ receivedAt: dir }]
  // Closed tabs: the latest decision first by default; a cancellation has no decision, so updatedAt.
  if (sort === 'decided') return [{ decidedAt: { sort: dir, nulls: 'last' } }, { updatedAt: dir }]
  if (dir === 'asc') return WORKLIST_ORDER
  return [{ deadline: { sort: dir, nulls: 'last' } }, ...tail]
}

export const inboxRepository = {
  /** The worklist page; only the columns a row shows. */
  async list(f: TInboxFilter, limit = 200, sort: { by: TInboxSort; dir: TSortDirection } = { by: 'deadline', dir: 'asc' }) {
    const rows = await prisma().referral.findMany({
      where: where(f, true),
      orderBy: orderBy(sort.by, sort.dir),
      take: limit,
      select: {
        id: true, caseReference: true, state: true, fhirStatus: true, patientNhsNumber: true, patientFamily: true,
        patientGiven: true, patientBirthDate: true, chiefConcern: true, dispositionCode: true, dispositionDisplay: true, deadline: true, deadlineSource: true,
        safeguarding: true, flagCount: true, receivedAt: true, senderName: true, senderOdsCode: true, sourceEndpoint: true,
        decisionCode: true, decisionText: true, decidedAt: true, decidedById: true, cancelReason: true, updatedAt: true,
        service: { select: { name: true, amberMinutes: true, redMinutes: true } },
        bookings: { where: { status: 'booked' }, select: { start: true, end: true }, orderBy: { start: 'asc' }, take: 1 },
      },
    })
    return rows
  },

  /**
   * Referrals per state. Without a search filter (all services, or one) the counts come from
   * ReferralStateCount, which triggers keep in the same transaction as every insert, state change and
   * delete, so they are exact and read ≤ 16 rows per state whatever the number of referrals. With a
   * search filter (name, use case, sender, day) they are counted over the matching rows.
   */
  async countsByState(f: TInboxFilter) {
    if (!needsRowCount(f)) {
      const serviceWhere = f.serviceId
        ? { serviceId: f.serviceId }
        : f.service
          ? { serviceId: (await this.serviceIdOf(f.service)) ?? '00000000-0000-0000-0000-000000000000' }
          : f.serviceIds
            ? { serviceId: { in: f.serviceIds } }
            : {}
      const groups = await prisma().referralStateCount.groupBy({ by: ['state'], where: serviceWhere, _sum: { n: true } })
      return Object.fromEntries(groups.map((g) => [g.state, g._sum.n ?? 0])) as Partial<Record<TReferralState, number>>
    }
    const groups = await prisma().referral.groupBy({ by: ['state'], where: where(f, false), _count: { _all: true } })
    return Object.fromEntries(groups.map((g) => [g.state, g._count._all])) as Partial<Record<TReferralState, number>>
  },

  /** Our service's row id from its DoS id (null when there is none). */
  async serviceIdOf(dosServiceId: string): Promise<string | null> {
    const row = await prisma().service.findUnique({ where: { dosServiceId }, select: { id: true } })
    return row?.id ?? null
  },

  /** The case reference alone (page titles). */
  async caseReferenceOf(id: string) {
    return prisma().referral.findUnique({ where: { id }, select: { caseReference: true } })
  },

  /** Staff names for "who decided" on the closed tabs. */
  async staffNames(ids: string[]) {
    if (!ids.length) return new Map<string, string>()
    const users = await prisma().staffUser.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
    return new Map(users.map((u) => [u.id, u.name]))
  },

  async senders() {
    return prisma().senderSystem.findMany({ select: { dosServiceId: true, name: true, kind: true }, orderBy: { name: 'asc' } })
  },

  /** The services whose referrals this worklist shows: emergency departments (a CAS and a pharmacy have their own). */
  async services() {
    return prisma().service.findMany({ where: { active: true, kind: 'EMERGENCY' }, select: { id: true, dosServiceId: true, name: true, useCases: true, amberMinutes: true, redMinutes: true } })
  },

  /** The referral screen: the record, every version as received, its bookings. */
  async getForView(id: string) {
    return prisma().referral.findUnique({
      where: { id },
      include: {
        service: { select: { name: true, dosServiceId: true, amberMinutes: true, redMinutes: true } },
        versions: { orderBy: { version: 'asc' }, select: { version: true, ...versionBundleSelect, fhirStatus: true, summary: true, createdAt: true } },
        bookings: { select: { id: true, status: true, start: true, end: true }, orderBy: { start: 'asc' } },
      },
    })
  },

  /** Who viewed and acted on a referral (from the audit trail), newest first, with staff names. */
  async activity(id: string, limit = 50) {
    const events = await prisma().auditEvent.findMany({
      // The route's own "api.POST …" rows repeat the referral.* rows in technical terms: the record view leaves them out.
      where: { entityType: 'Referral', entityId: id, NOT: { action: { startsWith: 'api.' } } },
      orderBy: { at: 'desc' },
      take: limit,
      select: { at: true, actorType: true, actorId: true, action: true, outcome: true, detail: true },
    })
    const userIds = [...new Set(events.filter((e) => e.actorType === 'USER' && e.actorId).map((e) => e.actorId!))].filter((x) => /^[0-9a-f-]{36}$/i.test(x))
    const users = userIds.length ? await prisma().staffUser.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : []
    const names = new Map(users.map((u) => [u.id, u.name]))
    return events.map((e) => ({ ...e, actorName: e.actorType === 'USER' ? (names.get(e.actorId ?? '') ?? 'Unknown user') : null }))
  },

  async stateOf(id: string) {
    return prisma().referral.findUnique({
      where: { id },
      select: {
        state: true, version: true, fhirStatus: true, decisionCode: true, decisionText: true, decidedAt: true, decidedById: true, serviceId: true,
        deadline: true,
        bookings: { select: { status: true, start: true, end: true }, orderBy: { start: 'asc' } },
      },
    })
  },

  /** The next referral still waiting for a decision, in worklist order, other than this one. */
  async nextNew(exceptId?: string) {
    return prisma().referral.findFirst({
      where: { state: 'NEW', fhirStatus: 'active', ...(exceptId ? { id: { not: exceptId } } : {}) },
      orderBy: WORKLIST_ORDER,
      select: { id: true },
    })
  },
}
