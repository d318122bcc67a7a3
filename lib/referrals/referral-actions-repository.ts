import type { Bundle } from '@medplum/fhirtypes'
import { prisma, type Tx } from '@/lib/db/prisma'
import type { TReferralState } from '@/lib/bars/referral-state'
import { versionBundle, versionBundleSelect } from '@/lib/referrals/version-bundle'

/** What an action on a referral needs: the record, its current bundle, the service and the live booking. */
export interface TReferralForAction {
  id: string
  caseReference: string
  serviceId: string
  state: TReferralState
  fhirStatus: string
  version: number
  category: string
  correlationId: string
  bundleId: string
  encounterId: string
  sourceEndpoint: string
  senderName: string | null
  senderOdsCode: string | null
  patientNhsNumber: string | null
  patientFamily: string | null
  patientGiven: string | null
  patientBirthDate: string | null
  patientPostcode: string | null
  useCase: string
  safeguarding: boolean
  deadline: Date | null
  receivedAt: Date
  service: { dosServiceId: string; name: string; odsCode: string }
  bundle: Bundle
  booking: { id: string; slotId: string | null; start: Date; end: Date; overbooked: boolean } | null
}

export const referralActionsRepository = {
  async loadForAction(tx: Tx, id: string): Promise<TReferralForAction | null> {
    const r = await tx.referral.findUnique({
      where: { id },
      include: {
        service: { select: { dosServiceId: true, name: true, odsCode: true } },
        versions: { orderBy: { version: 'desc' }, take: 1, select: versionBundleSelect },
        bookings: { where: { status: 'booked' }, orderBy: { start: 'asc' }, take: 1, select: { id: true, slotId: true, start: true, end: true, overbooked: true } },
      },
    })
    if (!r) return null
    const { versions, bookings, ...rest } = r
    return { ...rest, bundle: (versions[0] ? versionBundle(versions[0]) : {}) as Bundle, booking: bookings[0] ?? null }
  },

  /**
   * The state change, guarded by the version the clinician saw and the state it was in: one
   * conditional UPDATE, so of two clinicians acting at once exactly one wins. Returns false when
   * someone else changed the referral first.
   */
  async transition(
    tx: Tx,
    t: { id: string; expectedVersion: number; from: TReferralState; to: TReferralState; decision?: { code: string | null; text: string | null; byId: string; at: Date } },
  ): Promise<boolean> {
    const n = await tx.referral.updateMany({
      where: { id: t.id, version: t.expectedVersion, state: t.from, fhirStatus: 'active' },
      data: {
        state: t.to,
        version: { increment: 1 },
        ...(t.decision ? { decisionCode: t.decision.code, decisionText: t.decision.text, decidedById: t.decision.byId, decidedAt: t.decision.at } : {}),
      },
    })
    return n.count === 1
  },

  async currentState(id: string) {
    return prisma().referral.findUnique({ where: { id }, select: { state: true, version: true, fhirStatus: true, decidedAt: true, decidedById: true } })
  },

  /** Windows a referral can be moved into: from now, with a free place, not blocked. */
  async openWindows(serviceId: string, now: Date, limit = 48) {
    return prisma().$queryRaw<{ id: string; start: Date; end: Date; free: number }[]>`
      SELECT "id"::text AS "id", "start", "end", ("capacity" - "booked")::int AS "free" FROM "Slot"
      WHERE "serviceId" = ${serviceId}::uuid AND "end" > ${now}::timestamptz AND "booked" < "capacity" AND NOT "blocked"
      ORDER BY "start" LIMIT ${limit}`
  },

  async serviceOf(referralId: string) {
    return prisma().referral.findUnique({ where: { id: referralId }, select: { serviceId: true } })
  },
}
