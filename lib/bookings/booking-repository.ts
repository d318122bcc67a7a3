import type { Prisma } from '@/generated/prisma/client'
import type { TPatientSummary } from '@/lib/bars/referral'
import { prisma, type Tx } from '@/lib/db/prisma'
import type { SqlTx } from '@/lib/db/sql'

/** What a cancellation needs to know about a candidate booking. */
const candidateSelect = {
  id: true,
  status: true,
  slotId: true,
  referralId: true,
  updatedAt: true,
  createdAt: true,
  version: true,
  overbooked: true,
  patientNhsNumber: true,
  patientFamily: true,
  patientBirthDate: true,
} as const

export type TBookingCandidate = Prisma.BookingGetPayload<{ select: typeof candidateSelect }>

const newestFirst = [{ createdAt: 'desc' as const }]

/** A booking row as the commands need it after a change (the values after the UPDATE). */
export interface TBookingRow {
  id: string
  serviceId: string
  slotId: string | null
  referralId: string | null
  status: string
  version: number
  start: Date
  end: Date
  overbooked: boolean
  patientNhsNumber: string | null
}

/** A version row: the bundle that made the change (a message) or a snapshot of a staff change. */
interface TBookingForLink {
  id: string
  status: string
  referralId: string | null
  referralFhirStatus: string | null
  patientNhsNumber: string | null
  patientFamily: string | null
  patientBirthDate: string | null
}

export interface TVersionNote {
  bundle: unknown
  messageId?: string | null
  summary: string
}

export interface TBookingInsert {
  id: string
  serviceId: string
  slot: { id: string; start: Date; end: Date }
  referralId?: string | null
  correlationId?: string | null
  bundleId?: string | null
  sourceEndpoint?: string | null
  useCase?: string | null
  patient: TPatientSummary
  overbookReason?: string | null
  updatedById?: string | null
  note: TVersionNote
}

const rowSelect = {
  id: true, serviceId: true, slotId: true, referralId: true, status: true, version: true, start: true, end: true, overbooked: true, patientNhsNumber: true,
} as const

/**
 * The only writer of Booking and BookingVersion (called by lib/bookings/booking-commands.ts).
 * Every change is ONE conditional UPDATE (`… WHERE status = 'booked'` and the like) that bumps
 * `version` and RETURNs it; the version row takes that number, so two writers can never clash on
 * (bookingId, version). 0 rows updated means someone else changed the booking first.
 */
export const bookingRepository = {
  async findForService(tx: SqlTx, serviceId: string, id: string) {
    const [row] = await tx.$queryRaw<TBookingForLink[]>`
      SELECT b."id", b."status", b."referralId", r."fhirStatus" AS "referralFhirStatus", b."patientNhsNumber", b."patientFamily", b."patientBirthDate"
      FROM "Booking" b LEFT JOIN "Referral" r ON r."id" = b."referralId"
      WHERE b."id" = ${id}::uuid AND b."serviceId" = ${serviceId}::uuid`
    return row ? { ...row, referral: row.referralFhirStatus === null ? null : { fhirStatus: row.referralFhirStatus } } : null
  },

  /** A slot of this service (whatever its state), or null. */
  async findSlot(tx: Tx, slotId: string, serviceId: string) {
    return tx.slot.findFirst({ where: { id: slotId, serviceId }, select: { id: true, scheduleId: true } })
  },

  /** The booking row with a lock on it (the commands' starting point for a change). */
  async lock(tx: Tx, id: string): Promise<TBookingRow | null> {
    const rows = await tx.$queryRaw<TBookingRow[]>`
      SELECT id, "serviceId", "slotId", "referralId", status, version, start, "end", overbooked, "patientNhsNumber"
      FROM "Booking" WHERE id = ${id}::uuid FOR UPDATE`
    return rows[0] ?? null
  },

  /** Insert a booking with its first version. The partial unique indexes refuse a second current one. */
  async insert(tx: Tx, b: TBookingInsert): Promise<TBookingRow & { createdAt: Date }> {
    return tx.booking.create({
      data: {
        id: b.id,
        serviceId: b.serviceId,
        slotId: b.slot.id,
        referralId: b.referralId ?? null,
        status: 'booked',
        correlationId: b.correlationId ?? null,
        bundleId: b.bundleId ?? null,
        sourceEndpoint: b.sourceEndpoint ?? null,
        useCase: b.useCase ?? null,
        start: b.slot.start,
        end: b.slot.end,
        patientNhsNumber: b.patient.nhsNumber ?? null,
        patientFamily: b.patient.family ?? null,
        patientGiven: b.patient.given ?? null,
        patientBirthDate: b.patient.birthDate ?? null,
        patientPostcode: b.patient.postcode ?? null,
        overbooked: !!b.overbookReason,
        overbookReason: b.overbookReason ?? null,
        updatedById: b.updatedById ?? null,
        versions: { create: { version: 1, bundle: b.note.bundle as Prisma.InputJsonValue, status: 'booked', messageId: b.note.messageId ?? null, summary: b.note.summary } },
      },
      select: { ...rowSelect, createdAt: true },
    })
  },

  /** Add the version row for a change whose UPDATE returned `version`. */
  async addVersion(tx: SqlTx, row: { id: string; version: number; status: string }, note: TVersionNote) {
    await tx.$executeRaw`
      INSERT INTO "BookingVersion" ("id", "bookingId", "version", "bundle", "status", "messageId", "summary")
      VALUES (gen_random_uuid(), ${row.id}::uuid, ${row.version}::int, ${JSON.stringify(note.bundle ?? null)}::jsonb, ${row.status}, ${note.messageId ?? null}::uuid, ${note.summary})`
  },

  /** Cancel a current booking: only `WHERE status = 'booked'`; null when it is no longer current. */
  async cancelIf(tx: Tx, id: string, c: { status: string; reason?: string | null; decouple: boolean; updatedById: string | null }): Promise<(TBookingRow & { previousReferralId: string | null }) | null> {
    const rows = await tx.$queryRaw<(TBookingRow & { previousReferralId: string | null })[]>`
      UPDATE "Booking" b SET status = ${c.status}, "cancelReason" = ${c.reason ?? null},
        "referralId" = CASE WHEN ${c.decouple}::boolean THEN NULL ELSE b."referralId" END,
        "updatedById" = COALESCE(${c.updatedById}::uuid, b."updatedById"), version = b.version + 1, "updatedAt" = now()
      FROM (SELECT id, "referralId" FROM "Booking" WHERE id = ${id}::uuid FOR UPDATE) old
      WHERE b.id = old.id AND b.status = 'booked'
      RETURNING b.id, b."serviceId", b."slotId", b."referralId", b.status, b.version, b.start, b."end", b.overbooked, b."patientNhsNumber", old."referralId" AS "previousReferralId"`
    return rows[0] ?? null
  },

  /** Move a current booking to another window, only if it is still booked in `fromSlotId`. */
  async moveIf(
    tx: Tx,
    id: string,
    fromSlotId: string | null,
    to: { slotId: string; start: Date; end: Date; overbooked: boolean; overbookReason: string | null; updatedById: string | null },
  ): Promise<TBookingRow | null> {
    const rows = await tx.$queryRaw<TBookingRow[]>`
      UPDATE "Booking" SET "slotId" = ${to.slotId}::uuid, start = ${to.start}::timestamptz, "end" = ${to.end}::timestamptz,
        overbooked = ${to.overbooked}, "overbookReason" = ${to.overbookReason}, "updatedById" = COALESCE(${to.updatedById}::uuid, "updatedById"),
        version = version + 1, "updatedAt" = now()
      WHERE id = ${id}::uuid AND status = 'booked' AND "slotId" IS NOT DISTINCT FROM ${fromSlotId}::uuid
      RETURNING id, "serviceId", "slotId", "referralId", status, version, start, "end", overbooked, "patientNhsNumber"`
    return rows[0] ?? null
  },

  /** Arrived / did not attend (or a correction between them), only from one of `from`. */
  /** `startedBy`: only when the booked window has started by then (did not attend is never ahead of the window). */
  async setStatusIf(tx: Tx, id: string, from: readonly string[], status: string, updatedById: string | null, startedBy: Date | null = null): Promise<TBookingRow | null> {
    const rows = await tx.$queryRaw<TBookingRow[]>`
      UPDATE "Booking" SET status = ${status}, "updatedById" = COALESCE(${updatedById}::uuid, "updatedById"), version = version + 1, "updatedAt" = now()
      WHERE id = ${id}::uuid AND status = ANY(${from as string[]}::text[])
        AND (${startedBy}::timestamptz IS NULL OR start <= ${startedBy}::timestamptz)
      RETURNING id, "serviceId", "slotId", "referralId", status, version, start, "end", overbooked, "patientNhsNumber"`
    return rows[0] ?? null
  },

  /** Link a current, unlinked booking to a referral: only `WHERE "referralId" IS NULL AND status = 'booked'`. */
  async linkReferralIf(tx: SqlTx, bookingId: string, referralId: string): Promise<TBookingRow | null> {
    const rows = await tx.$queryRaw<TBookingRow[]>`
      UPDATE "Booking" SET "referralId" = ${referralId}::uuid, version = version + 1, "updatedAt" = now()
      WHERE id = ${bookingId}::uuid AND "referralId" IS NULL AND status = 'booked'
      RETURNING id, "serviceId", "slotId", "referralId", status, version, start, "end", overbooked, "patientNhsNumber"`
    return rows[0] ?? null
  },

  /** Decouple the bookings of a cancelled referral (they stay as they are otherwise). */
  async decoupleFromReferral(tx: Tx, referralId: string): Promise<TBookingRow[]> {
    return tx.$queryRaw<TBookingRow[]>`
      UPDATE "Booking" SET "referralId" = NULL, version = version + 1, "updatedAt" = now()
      WHERE "referralId" = ${referralId}::uuid
      RETURNING id, "serviceId", "slotId", "referralId", status, version, start, "end", overbooked, "patientNhsNumber"`
  },

  /** The current (booked) booking in a conversation, if any. */
  async findBookedForCorrelation(tx: Tx, serviceId: string, correlationId: string) {
    return tx.booking.findFirst({ where: { serviceId, correlationId, status: 'booked' }, select: { id: true } })
  },

  async findBookedForReferral(tx: Tx, referralId: string) {
    return tx.booking.findMany({ where: { referralId, status: 'booked' }, select: { id: true } })
  },

  // Cancellation cascade look-ups (newest first).
  async candidatesById(tx: Tx, serviceId: string, id: string): Promise<TBookingCandidate[]> {
    return tx.booking.findMany({ where: { serviceId, id }, select: candidateSelect })
  },
  async candidatesByBundleId(tx: Tx, serviceId: string, bundleId: string): Promise<TBookingCandidate[]> {
    return tx.booking.findMany({ where: { serviceId, bundleId }, select: candidateSelect, orderBy: newestFirst })
  },
  async candidatesByCorrelation(tx: Tx, serviceId: string, correlationId: string): Promise<TBookingCandidate[]> {
    return tx.booking.findMany({ where: { serviceId, correlationId }, select: candidateSelect, orderBy: newestFirst })
  },
}

const readSelect = {
  id: true,
  status: true,
  slotId: true,
  referralId: true,
  useCase: true,
  start: true,
  end: true,
  createdAt: true,
  updatedAt: true,
  version: true,
  cancelReason: true,
  patientNhsNumber: true,
  patientFamily: true,
  patientGiven: true,
  patientBirthDate: true,
  patientPostcode: true,
  versions: { orderBy: { version: 'desc' as const }, select: { bundle: true } },
} as const

export type TBookingRead = Prisma.BookingGetPayload<{ select: typeof readSelect }>

/** Reads for GET /Appointment (outside any message transaction). */
export const bookingQueries = {
  async getForService(serviceId: string, id: string, sourceEndpoints?: readonly string[]): Promise<TBookingRead | null> {
    return prisma().booking.findFirst({ where: { id, serviceId, ...(sourceEndpoints ? { sourceEndpoint: { in: [...sourceEndpoints] } } : {}) }, select: readSelect })
  },

  async search(serviceId: string, where: { nhsNumber?: string; birthDate?: string; sourceEndpoints?: readonly string[] }, limit = 100): Promise<TBookingRead[]> {
    return prisma().booking.findMany({
      where: {
        serviceId,
        ...(where.sourceEndpoints ? { sourceEndpoint: { in: [...where.sourceEndpoints] } } : {}),
        ...(where.nhsNumber ? { patientNhsNumber: where.nhsNumber } : {}),
        ...(where.birthDate ? { patientBirthDate: where.birthDate } : {}),
      },
      select: readSelect,
      orderBy: newestFirst,
      take: limit,
    })
  },
}
