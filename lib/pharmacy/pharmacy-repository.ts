import type { Prisma } from '@/generated/prisma/client'
import { prisma, type Tx } from '@/lib/db/prisma'
import type { TPharmacyDetail, TPharmacyOutcome } from '@/lib/bars/pharmacy-referral'

export type TPharmacyStatus = 'OPEN' | 'OUTCOME_RECORDED' | 'CLOSED'
/** Worklist tabs: still to do, closed by the pharmacy, cancelled by the sender. */
export type TPharmacyTab = 'open' | 'closed' | 'cancelled'

const listColumns = {
  referralId: true,
  guideTime: true,
  guideTimeSource: true,
  referringOrgName: true,
  referringOrgOds: true,
  condition: true,
  adjustmentCount: true,
  status: true,
  outcome: true,
  version: true,
  detail: true,
  referral: {
    select: {
      caseReference: true,
      fhirStatus: true,
      receivedAt: true,
      patientNhsNumber: true,
      patientFamily: true,
      patientGiven: true,
      patientBirthDate: true,
      service: { select: { name: true, dosServiceId: true } },
    },
  },
} as const

type TListRow = Prisma.PharmacyReferralGetPayload<{ select: typeof listColumns }>
export type TPharmacyRow = Omit<TListRow, 'detail'> & { detail: TPharmacyDetail }

// The detail column is written by this repository only, from TPharmacyDetail (lib/bars/pharmacy-referral.ts).
const withDetail = <T extends { detail: Prisma.JsonValue }>(r: T): Omit<T, 'detail'> & { detail: TPharmacyDetail } => ({ ...r, detail: r.detail as unknown as TPharmacyDetail })

function tabWhere(tab: TPharmacyTab): Prisma.PharmacyReferralWhereInput {
  if (tab === 'cancelled') return { referral: { fhirStatus: { in: ['revoked', 'entered-in-error'] } } }
  if (tab === 'closed') return { status: 'CLOSED' }
  return { status: { not: 'CLOSED' }, referral: { fhirStatus: 'active' } }
}

function searchWhere(q: string | undefined): Prisma.PharmacyReferralWhereInput {
  const text = q?.trim()
  if (!text) return {}
  const digits = text.replace(/\s+/g, '')
  if (/^\d{3,10}$/.test(digits)) return { referral: { patientNhsNumber: { startsWith: digits } } }
  const words = text.split(/\s+/).filter(Boolean).slice(0, 4)
  return {
    AND: words.map((w) => ({
      OR: [
        { referral: { patientFamily: { contains: w, mode: 'insensitive' as const } } },
        { referral: { patientGiven: { contains: w, mode: 'insensitive' as const } } },
      ],
    })),
  }
}

export const pharmacyRepository = {
  async create(tx: Tx, r: { referralId: string; serviceId: string; detail: TPharmacyDetail }) {
    await tx.pharmacyReferral.create({
      data: {
        referralId: r.referralId,
        serviceId: r.serviceId,
        guideTime: new Date(r.detail.guideTime),
        guideTimeSource: r.detail.guideTimeSource,
        detail: r.detail as unknown as Prisma.InputJsonValue,
        referringOrgName: r.detail.referringOrganisation.name ?? null,
        referringOrgOds: r.detail.referringOrganisation.odsCode ?? null,
        condition: r.detail.condition ?? null,
        adjustmentCount: r.detail.flags.filter((f) => f.reasonableAdjustment).length,
      },
    })
  },

  /** The pharmacies (PHARMACY services) there are, for the worklist's service filter. */
  async pharmacies() {
    return prisma().service.findMany({ where: { kind: 'PHARMACY', active: true }, select: { id: true, name: true, dosServiceId: true }, orderBy: { name: 'asc' } })
  },

  /** The worklist, soonest guide time first (served by PharmacyReferral(serviceId, status, guideTime)). */
  async list(f: { serviceIds: string[]; tab: TPharmacyTab; q?: string; take?: number }): Promise<TPharmacyRow[]> {
    const rows = await prisma().pharmacyReferral.findMany({
      where: { serviceId: { in: f.serviceIds }, AND: [tabWhere(f.tab), searchWhere(f.q)] },
      orderBy: f.tab === 'open' ? [{ guideTime: 'asc' }, { referralId: 'asc' }] : [{ updatedAt: 'desc' }],
      take: f.take ?? 200,
      select: listColumns,
    })
    return rows.map(withDetail)
  },

  async get(id: string) {
    const row = await prisma().pharmacyReferral.findUnique({
      where: { referralId: id },
      select: {
        ...listColumns,
        outcomeNote: true,
        outcomeAt: true,
        outcomeById: true,
        closedAt: true,
        closedById: true,
        serviceId: true,
        referral: { select: { ...listColumns.referral.select, cancelReason: true, patientPostcode: true, updatedAt: true } },
        contactAttempts: { orderBy: { at: 'desc' }, select: { id: true, method: true, result: true, note: true, at: true, byId: true } },
      },
    })
    return row ? withDetail(row) : null
  },

  /** Whether a staff user's home service (StaffUser.homeServiceId) is a community pharmacy. */
  async homeIsPharmacy(userId: string): Promise<boolean> {
    const u = await prisma().staffUser.findUnique({ where: { id: userId }, select: { homeServiceId: true } })
    if (!u?.homeServiceId) return false
    const s = await prisma().service.findUnique({ where: { id: u.homeServiceId }, select: { kind: true } })
    return s?.kind === 'PHARMACY'
  },

  /** Names of staff users, for "recorded by". */
  async staffNames(ids: string[]): Promise<Record<string, string>> {
    if (!ids.length) return {}
    const rows = await prisma().staffUser.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })
    return Object.fromEntries(rows.map((r) => [r.id, r.name]))
  },

  async forAction(tx: Tx, id: string) {
    return tx.pharmacyReferral.findUnique({
      where: { referralId: id },
      select: { referralId: true, serviceId: true, status: true, version: true, referral: { select: { fhirStatus: true, patientNhsNumber: true } } },
    })
  },

  /**
   * A contact attempt: only while the referral is open here and still active at the sender. The
   * conditional UPDATE (which also bumps the version others act on) decides; 0 rows = refused.
   */
  async addContactAttempt(tx: Tx, a: { id: string; method: string; result: string; note?: string; byId: string; at: Date }): Promise<boolean> {
    const n = await tx.$executeRaw`
      UPDATE "PharmacyReferral" p SET "version" = p."version" + 1, "updatedAt" = ${a.at}
      FROM "Referral" r
      WHERE p."referralId" = ${a.id}::uuid AND r."id" = p."referralId" AND p."status" <> 'CLOSED' AND r."fhirStatus" = 'active'`
    if (n !== 1) return false
    await tx.pharmacyContactAttempt.create({ data: { referralId: a.id, method: a.method, result: a.result, note: a.note ?? null, byId: a.byId, at: a.at } })
    return true
  },

  /** Record (or correct) the outcome, guarded by the version the pharmacist saw. */
  async recordOutcome(tx: Tx, o: { id: string; expectedVersion: number; outcome: TPharmacyOutcome; note?: string; byId: string; at: Date }): Promise<boolean> {
    const n = await tx.$executeRaw`
      UPDATE "PharmacyReferral" p
      SET "status" = 'OUTCOME_RECORDED', "outcome" = ${o.outcome}::"PharmacyOutcome", "outcomeNote" = ${o.note ?? null},
          "outcomeById" = ${o.byId}::uuid, "outcomeAt" = ${o.at}, "version" = p."version" + 1, "updatedAt" = ${o.at}
      FROM "Referral" r
      WHERE p."referralId" = ${o.id}::uuid AND r."id" = p."referralId" AND p."version" = ${o.expectedVersion}
        AND p."status" <> 'CLOSED' AND r."fhirStatus" = 'active'`
    return n === 1
  },

  /**
   * Close: only once an outcome is recorded (also a CHECK constraint), at the version seen, while the
   * sender has not cancelled. The referral's FHIR status becomes `completed` in the same transaction,
   * conditionally, so a cancellation racing the close loses one way or the other and GET
   * /ServiceRequest shows the sender it has been actioned (A5 "Get referral").
   */
  async close(tx: Tx, c: { id: string; expectedVersion: number; byId: string; at: Date }): Promise<boolean> {
    const n = await tx.$executeRaw`
      UPDATE "PharmacyReferral" p
      SET "status" = 'CLOSED', "closedById" = ${c.byId}::uuid, "closedAt" = ${c.at}, "version" = p."version" + 1, "updatedAt" = ${c.at}
      FROM "Referral" r
      WHERE p."referralId" = ${c.id}::uuid AND r."id" = p."referralId" AND p."version" = ${c.expectedVersion}
        AND p."status" = 'OUTCOME_RECORDED' AND r."fhirStatus" = 'active'`
    if (n !== 1) return false
    const m = await tx.$executeRaw`
      UPDATE "Referral" SET "fhirStatus" = 'completed', "version" = "version" + 1, "updatedAt" = ${c.at}
      WHERE "id" = ${c.id}::uuid AND "fhirStatus" = 'active'`
    return m === 1
  },
}
