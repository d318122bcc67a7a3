import { prisma } from '@/lib/db/prisma'

/**
 * Row counts of what a rejected message must not change (fuzzing's "no partial write" property), in one round trip.
 * `domainAudit` counts only rows after `sinceAuditId` (through the primary key), so the audit
 * table's size does not slow it down.
 */
export interface TRowCounts {
  referrals: number
  referralVersions: number
  bookings: number
  bookingVersions: number
  slotBooked: number
  outbox: number
  /** Audit rows for domain changes (not the per-call `fhir.*` rows every request writes) after `sinceAuditId`. */
  domainAudit: number
  /** The highest AuditEvent id: the `sinceAuditId` for the next call. */
  lastAuditId: bigint
  liveEvents: number
}

export const rowCountsRepository = {
  async counts(sinceAuditId: bigint): Promise<TRowCounts> {
    const [r] = await prisma().$queryRaw<Record<keyof TRowCounts, bigint>[]>`
      SELECT (SELECT count(*) FROM "Referral") AS referrals,
             (SELECT count(*) FROM "ReferralVersion") AS "referralVersions",
             (SELECT count(*) FROM "Booking") AS bookings,
             (SELECT count(*) FROM "BookingVersion") AS "bookingVersions",
             (SELECT coalesce(sum(booked), 0) FROM "Slot") AS "slotBooked",
             (SELECT count(*) FROM "OutboxMessage") AS outbox,
             (SELECT count(*) FROM "AuditEvent" WHERE id > ${sinceAuditId} AND action NOT LIKE 'fhir.%') AS "domainAudit",
             (SELECT count(*) FROM "LiveEvent") AS "liveEvents",
             (SELECT coalesce(max(id), 0) FROM "AuditEvent") AS "lastAuditId"`
    const { lastAuditId, ...rest } = r!
    return { ...(Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, Number(v)])) as Omit<TRowCounts, 'lastAuditId'>), lastAuditId: BigInt(lastAuditId) }
  },
}
