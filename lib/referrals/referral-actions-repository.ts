import type { Bundle } from '@medplum/fhirtypes'
import type { Prisma } from '@/generated/prisma/client'
import { prisma, type Tx } from '@/lib/db/prisma'
import type { TReferralState } from '@/lib/bars/referral-state'

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
        versions: { orderBy: { version: 'desc' }, take: 1, select: { bundle: true } },
        bookings: { where: { status: 'booked' }, orderBy: { start: 'asc' }, take: 1, select: { id: true, slotId: true, start: true, end: true, overbooked: true } },
      },
    })
    if (!r) return null
    const { versions, bookings, ...rest } = r
    return { ...rest, bundle: (versions[0]?.bundle ?? {}) as unknown as Bundle, booking: bookings[0] ?? null }
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

  /**
   * (triage, issue 11) Did not attend only once the arrival window has started: one conditional
   * UPDATE, so the rule holds however the request arrives. False when the window has not started
   * (or the booking is no longer current).
   */
  async markNoShowIfStarted(tx: Tx, bookingId: string, byId: string, now: Date): Promise<boolean> {
    const n = await tx.booking.updateMany({
      where: { id: bookingId, status: 'booked', start: { lte: now } },
      data: { status: 'noshow', updatedById: byId, version: { increment: 1 } },
    })
    return n.count === 1
  },

  async setBookingStatus(tx: Tx, bookingId: string, status: 'cancelled' | 'noshow', byId: string, reason?: string) {
    await tx.booking.update({
      where: { id: bookingId },
      data: { status, updatedById: byId, version: { increment: 1 }, ...(reason ? { cancelReason: reason } : {}) },
    })
  },

  async createBooking(
    tx: Tx,
    b: { id: string; referral: TReferralForAction; slot: { id: string; start: Date; end: Date }; byId: string; bundle: Bundle },
  ) {
    const r = b.referral
    await tx.booking.create({
      data: {
        id: b.id,
        serviceId: r.serviceId,
        slotId: b.slot.id,
        referralId: r.id,
        status: 'booked',
        correlationId: r.correlationId,
        sourceEndpoint: r.sourceEndpoint,
        useCase: r.useCase,
        start: b.slot.start,
        end: b.slot.end,
        patientNhsNumber: r.patientNhsNumber,
        patientFamily: r.patientFamily,
        patientGiven: r.patientGiven,
        patientBirthDate: r.patientBirthDate,
        patientPostcode: r.patientPostcode,
        updatedById: b.byId,
        versions: { create: { version: 1, bundle: b.bundle as unknown as Prisma.InputJsonValue, status: 'booked', summary: 'Booked by the receiving service' } },
      },
    })
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
