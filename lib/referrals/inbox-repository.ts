import type { Prisma } from '@/generated/prisma/client'
import { prisma } from '@/lib/db/prisma'
import type { TReferralState } from '@/lib/bars/referral-state'
import type { TInboxSort, TSortDirection } from './inbox-tabs'

export interface TInboxFilter {
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
  if (f.service) and.push({ service: { dosServiceId: f.service } })
  if (f.useCase) and.push({ useCase: f.useCase })
  if (f.sender) and.push({ sourceEndpoint: { endsWith: `|${f.sender}` } })
  if (f.receivedFrom) and.push({ receivedAt: { gte: f.receivedFrom } })
  if (f.receivedTo) and.push({ receivedAt: { lt: f.receivedTo } })
  const q = f.q?.trim()
  if (q) {
    const digits = q.replace(/[\s-]/g, '')
    const words = q.split(/\s+/).filter(Boolean)
    and.push({
      OR: [
        ...(/^\d{3,10}$/.test(digits) ? [{ patientNhsNumber: { startsWith: digits } }] : []),
        { caseReference: { equals: q.toUpperCase() } },
        // Every word must match the given or family name.
        { AND: words.map((w) => ({ OR: [{ patientGiven: { contains: w, mode: 'insensitive' as const } }, { patientFamily: { contains: w, mode: 'insensitive' as const } }] })) },
      ],
    })
  }
  return { AND: and }
}


function orderBy(sort: TInboxSort, dir: TSortDirection): Prisma.ReferralOrderByWithRelationInput[] {
  const tail: Prisma.ReferralOrderByWithRelationInput[] = [{ safeguarding: 'desc' }, { flagCount: 'desc' }, { receivedAt: 'asc' }]
  if (sort === 'name') return [{ patientFamily: { sort: dir, nulls: 'last' } }, { patientGiven: { sort: dir, nulls: 'last' } }, ...tail]
  if (sort === 'received') return [{ receivedAt: dir }]
  // Closed tabs: the latest decision first by default; a cancellation has no decision, so updatedAt.
  if (sort === 'decided') return [{ decidedAt: { sort: dir, nulls: 'last' } }, { updatedAt: dir }]
  return [{ deadline: { sort: dir, nulls: 'last' } }, ...tail]
}

export const inboxRepository = {
  /** The worklist: by default least time left first (no deadline last), then safeguarding, then oldest. */
  async list(f: TInboxFilter, limit = 200, sort: { by: TInboxSort; dir: TSortDirection } = { by: 'deadline', dir: 'asc' }) {
    const rows = await prisma().referral.findMany({
      where: where(f, true),
      orderBy: orderBy(sort.by, sort.dir),
      take: limit,
      select: {
        id: true, caseReference: true, state: true, fhirStatus: true, useCase: true, version: true, patientNhsNumber: true, patientFamily: true,
        patientGiven: true, patientBirthDate: true, chiefConcern: true, dispositionCode: true, dispositionDisplay: true, deadline: true, deadlineSource: true,
        safeguarding: true, flagCount: true, receivedAt: true, senderName: true, senderOdsCode: true, sourceEndpoint: true,
        decisionCode: true, decisionText: true, decidedAt: true, decidedById: true, cancelReason: true, updatedAt: true,
        service: { select: { name: true, amberMinutes: true, redMinutes: true } },
        bookings: { where: { status: 'booked' }, select: { start: true, end: true }, orderBy: { start: 'asc' }, take: 1 },
      },
    })
    return rows
  },

  async countsByState(f: TInboxFilter) {
    const groups = await prisma().referral.groupBy({ by: ['state'], where: where(f, false), _count: { _all: true } })
    return Object.fromEntries(groups.map((g) => [g.state, g._count._all])) as Partial<Record<TReferralState, number>>
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

  async services() {
    return prisma().service.findMany({ where: { active: true }, select: { id: true, dosServiceId: true, name: true, useCases: true, amberMinutes: true, redMinutes: true } })
  },

  /** The referral screen: the record, every version as received, its bookings. */
  async getForView(id: string) {
    return prisma().referral.findUnique({
      where: { id },
      include: {
        service: { select: { name: true, dosServiceId: true, amberMinutes: true, redMinutes: true } },
        versions: { orderBy: { version: 'asc' }, select: { version: true, bundle: true, fhirStatus: true, summary: true, createdAt: true } },
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
      orderBy: [{ deadline: { sort: 'asc', nulls: 'last' } }, { safeguarding: 'desc' }, { receivedAt: 'asc' }],
      select: { id: true },
    })
  },
}
