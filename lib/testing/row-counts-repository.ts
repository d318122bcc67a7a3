import { prisma } from '@/lib/db/prisma'

/** What a rejected message must not change (fuzzing's "no partial write" property). */
export interface TRowCounts {
  referrals: number
  referralVersions: number
  bookings: number
  bookingVersions: number
  slotBooked: number
  outbox: number
  /** Audit rows for domain changes (not the per-call `fhir.*` rows every request writes). */
  domainAudit: number
  liveEvents: number
}

export const rowCountsRepository = {
  async counts(): Promise<TRowCounts> {
    const [r] = await prisma().$queryRaw<Record<keyof TRowCounts, bigint>[]>`
      SELECT (SELECT count(*) FROM "Referral") AS referrals,
             (SELECT count(*) FROM "ReferralVersion") AS "referralVersions",
             (SELECT count(*) FROM "Booking") AS bookings,
             (SELECT count(*) FROM "BookingVersion") AS "bookingVersions",
             (SELECT coalesce(sum(booked), 0) FROM "Slot") AS "slotBooked",
             (SELECT count(*) FROM "OutboxMessage") AS outbox,
             (SELECT count(*) FROM "AuditEvent" WHERE action NOT LIKE 'fhir.%') AS "domainAudit",
             (SELECT count(*) FROM "LiveEvent") AS "liveEvents"`
    return Object.fromEntries(Object.entries(r!).map(([k, v]) => [k, Number(v)])) as unknown as TRowCounts
  },
}
