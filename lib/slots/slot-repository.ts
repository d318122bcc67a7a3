/**
 * The only Prisma caller for slots, schedules, templates and overrides (bookings are written by
 * lib/bookings/booking-repository.ts; this file only reads them for the board and the desk).
 *
 * Capacity is enforced by PostgreSQL: the CHECK constraint "Slot_booked_within_capacity"
 * (0 <= booked <= capacity) and conditional UPDATEs (`… WHERE booked < capacity RETURNING`), never by
 * reading a count and writing later. Overbooking increments `overbooked`, never `booked`.
 */
import { Prisma } from '@/generated/prisma/client'
import { prisma, type Tx } from '@/lib/db/prisma'
import type { TServiceRecord } from '@/lib/services/service-repository'
import type { TExistingSlot, TGeneratedSlot, TOverrideSpec, TTemplateSpec } from './generate-slots'

type Db = Tx | ReturnType<typeof prisma>

export interface TSearchRow {
  id: string
  scheduleId: string
  scheduleName: string
  start: Date
  end: Date
  capacity: number
  booked: number
  overbooked: number
}

/** A service as GET /Slot needs it: what resolving a target gives, plus the widest window it answers. */
export type TSearchService = TServiceRecord & { maxSlotWindowHours: number }

export interface TBoardSlotRow {
  id: string
  start: Date
  end: Date
  capacity: number
  booked: number
  overbooked: number
  blocked: boolean
  scheduleId: string | null
  arrived: number
  noshow: number
  awaiting: number
}

export interface TClaimed {
  id: string
  serviceId: string
  scheduleId: string | null
  start: Date
  end: Date
}

const bookingSelect = {
  id: true,
  serviceId: true,
  slotId: true,
  referralId: true,
  status: true,
  start: true,
  end: true,
  patientNhsNumber: true,
  patientFamily: true,
  patientGiven: true,
  patientBirthDate: true,
  overbooked: true,
  overbookReason: true,
  cancelReason: true,
  sourceEndpoint: true,
  correlationId: true,
  useCase: true,
  patientPostcode: true,
  // (triage, issue 11) Who made the booking: the first version's summary tells a clinician's rebook from the sender's booking.
  versions: { where: { version: 1 }, select: { summary: true } },
  createdAt: true,
  updatedAt: true,
  version: true,
  referral: { select: { id: true, caseReference: true, state: true } },
} as const

export const slotRepository = {
  // ——— services ———
  /** Services that take bookings into arrival windows (BaRS Apps 1/2: emergency departments). */
  async services() {
    return prisma().service.findMany({ where: { active: true, kind: 'EMERGENCY' }, select: { id: true, name: true, dosServiceId: true }, orderBy: { name: 'asc' } })
  },

  async service(id: string) {
    return prisma().service.findUnique({ where: { id }, select: { id: true, name: true, dosServiceId: true, odsCode: true, active: true } })
  },

  // ——— GET /Slot ———
  /**
   * GET /Slot in ONE round trip: the service (with its senders, for access control, and its widest
   * window) and its bookable windows whose start lies in [from, to]: not started yet (what a booking
   * request can still take), not blocked, in an active schedule. The windows are only read when
   * the range is within Service.maxSlotWindowHours (the caller answers 422 otherwise), so a too-wide
   * query costs nothing. Served by the index Slot(serviceId, start).
   */
  async searchForService(dosServiceId: string, from: Date, to: Date, now: Date, statuses: { free: boolean; busy: boolean }) {
    const rows = await prisma().$queryRaw<{ service: TSearchService | null; slots: (Omit<TSearchRow, 'start' | 'end'> & { start: string; end: string })[] | null }[]>`
      WITH svc AS (
        SELECT id, "dosServiceId", name, "odsCode", kind, "useCases", "minAppVersion", "maxAppVersion", active, "maxSlotWindowHours"
        FROM "Service" WHERE "dosServiceId" = ${dosServiceId}
      )
      SELECT
        (SELECT json_build_object(
           'id', svc.id, 'dosServiceId', svc."dosServiceId", 'name', svc.name, 'odsCode', svc."odsCode", 'kind', svc.kind, 'useCases', svc."useCases",
           'minAppVersion', svc."minAppVersion", 'maxAppVersion', svc."maxAppVersion", 'active', svc.active, 'maxSlotWindowHours', svc."maxSlotWindowHours",
           'senders', COALESCE((SELECT json_agg(json_build_object('dosServiceId', se."dosServiceId", 'odsCodes', se."odsCodes", 'active', se.active))
                                FROM "ServiceSender" ss JOIN "SenderSystem" se ON se.id = ss."senderId" WHERE ss."serviceId" = svc.id), '[]'::json))
         FROM svc) AS service,
        (SELECT json_agg(json_build_object('id', x.id, 'scheduleId', x."scheduleId", 'scheduleName', x."scheduleName", 'start', x.start, 'end', x."end",
                                           'capacity', x.capacity, 'booked', x.booked, 'overbooked', x.overbooked) ORDER BY x.start, x."end", x.id)
         FROM (
           SELECT s.id, s."scheduleId", sc.name AS "scheduleName", s.start, s."end", s.capacity, s.booked, s.overbooked
           FROM svc
           JOIN "Slot" s ON s."serviceId" = svc.id
           JOIN "Schedule" sc ON sc.id = s."scheduleId" AND sc.active
           WHERE svc.active
             AND ${to}::timestamptz - ${from}::timestamptz <= svc."maxSlotWindowHours" * interval '1 hour'
             AND s.start >= ${from}::timestamptz AND s.start <= ${to}::timestamptz
             AND s.start > ${now}::timestamptz
             AND NOT s.blocked
             AND ((${statuses.free}::boolean AND s.booked < s.capacity AND s.overbooked = 0)
               OR (${statuses.busy}::boolean AND (s.booked >= s.capacity OR s.overbooked > 0)))
         ) x) AS slots`
    const row = rows[0]
    return {
      service: row?.service ?? null,
      slots: (row?.slots ?? []).map((r) => ({ ...r, start: new Date(r.start), end: new Date(r.end) })),
    }
  },

  // ——— the board ———
  async boardSlots(serviceId: string, from: Date, to: Date): Promise<TBoardSlotRow[]> {
    const rows = await prisma().$queryRaw<(Omit<TBoardSlotRow, 'arrived' | 'noshow' | 'awaiting'> & { arrived: bigint; noshow: bigint; awaiting: bigint })[]>`
      SELECT s.id, s.start, s."end", s.capacity, s.booked, s.overbooked, s.blocked, s."scheduleId",
        count(b.id) FILTER (WHERE b.status = 'arrived') AS arrived,
        count(b.id) FILTER (WHERE b.status = 'noshow') AS noshow,
        count(b.id) FILTER (WHERE b.status = 'booked') AS awaiting
      FROM "Slot" s
      LEFT JOIN "Booking" b ON b."slotId" = s.id
      WHERE s."serviceId" = ${serviceId}::uuid AND s.start >= ${from}::timestamptz AND s.start < ${to}::timestamptz
      GROUP BY s.id
      ORDER BY s.start, s."end"`
    return rows.map((r) => ({ ...r, arrived: Number(r.arrived), noshow: Number(r.noshow), awaiting: Number(r.awaiting) }))
  },

  async slot(id: string, db: Db = prisma()) {
    return db.slot.findUnique({
      where: { id },
      select: { id: true, serviceId: true, start: true, end: true, capacity: true, booked: true, overbooked: true, blocked: true, scheduleId: true },
    })
  },

  async bookingsInSlot(slotId: string) {
    return prisma().booking.findMany({ where: { slotId }, select: bookingSelect, orderBy: [{ createdAt: 'asc' }] })
  },

  async booking(id: string, db: Db = prisma()) {
    return db.booking.findUnique({ where: { id }, select: bookingSelect })
  },

  // ——— atomic claims ———
  /**
   * Take one place in a window: ONE conditional UPDATE (with the CHECK booked <= capacity behind it),
   * so of any number of concurrent calls exactly `capacity` succeed. The one place every booking
   * path (API message, desk, clinician rebook: all through lib/bookings/booking-commands.ts) claims through. A desk or clinician may book into a window
   * that has started but not ended (a walk-in); a sender only into one that has not started
   * (GET /Slot offers no other).
   */
  async claim(tx: Tx, slotId: string, serviceId: string, now: Date, opts: { notStarted?: boolean } = {}): Promise<TClaimed | null> {
    const rows = opts.notStarted
      ? await tx.$queryRaw<TClaimed[]>`
          UPDATE "Slot" SET booked = booked + 1
          WHERE id = ${slotId}::uuid AND "serviceId" = ${serviceId}::uuid AND NOT blocked AND start > ${now}::timestamptz AND booked < capacity
          RETURNING id, "serviceId", "scheduleId", start, "end"`
      : await tx.$queryRaw<TClaimed[]>`
          UPDATE "Slot" SET booked = booked + 1
          WHERE id = ${slotId}::uuid AND "serviceId" = ${serviceId}::uuid AND NOT blocked AND "end" > ${now}::timestamptz AND booked < capacity
          RETURNING id, "serviceId", "scheduleId", start, "end"`
    return rows[0] ?? null
  },

  /** Book beyond capacity (permitted users only; the caller has checked): counts in `overbooked`. */
  async claimOverbook(tx: Tx, slotId: string, serviceId: string, now: Date): Promise<TClaimed | null> {
    const rows = await tx.$queryRaw<TClaimed[]>`
      UPDATE "Slot" SET overbooked = overbooked + 1
      WHERE id = ${slotId}::uuid AND "serviceId" = ${serviceId}::uuid AND NOT blocked AND "end" > ${now}::timestamptz
      RETURNING id, "serviceId", "scheduleId", start, "end"`
    return rows[0] ?? null
  },

  /** Give a place back (a cancelled or moved booking). */
  async release(tx: Tx, slotId: string, overbooked: boolean): Promise<void> {
    if (overbooked) await tx.$executeRaw`UPDATE "Slot" SET overbooked = overbooked - 1 WHERE id = ${slotId}::uuid AND overbooked > 0`
    else await tx.$executeRaw`UPDATE "Slot" SET booked = booked - 1 WHERE id = ${slotId}::uuid AND booked > 0`
  },

  // ——— schedules and templates ———
  async schedules(serviceId: string) {
    return prisma().schedule.findMany({ where: { serviceId }, select: { id: true, name: true, active: true }, orderBy: { createdAt: 'asc' } })
  },

  /** Serialise schedule changes of one service (a transaction-scoped advisory lock, any instance). */
  async lockService(tx: Tx, serviceId: string): Promise<void> {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${serviceId}))::text`
  },

  async firstScheduleOrCreate(tx: Tx, serviceId: string, name: string): Promise<string> {
    // Serialise per service so two first templates do not create two schedules.
    await slotRepository.lockService(tx, serviceId)
    const found = await tx.schedule.findFirst({ where: { serviceId, active: true }, select: { id: true }, orderBy: { createdAt: 'asc' } })
    if (found) return found.id
    return (await tx.schedule.create({ data: { serviceId, name }, select: { id: true } })).id
  },

  async templates(serviceId: string) {
    return prisma().scheduleTemplate.findMany({
      where: { schedule: { serviceId } },
      select: { id: true, scheduleId: true, weekdays: true, startMinute: true, endMinute: true, windowMinutes: true, capacity: true, validFrom: true, validTo: true, schedule: { select: { name: true, active: true } } },
      orderBy: [{ validFrom: 'asc' }, { startMinute: 'asc' }],
    })
  },

  async template(id: string) {
    return prisma().scheduleTemplate.findUnique({
      where: { id },
      select: { id: true, scheduleId: true, weekdays: true, startMinute: true, endMinute: true, windowMinutes: true, capacity: true, validFrom: true, validTo: true, schedule: { select: { serviceId: true } } },
    })
  },

  async createTemplate(tx: Tx, scheduleId: string, t: Omit<TTemplateSpec, 'id' | 'scheduleId'>) {
    return tx.scheduleTemplate.create({ data: { scheduleId, ...t, validTo: t.validTo ?? null }, select: { id: true } })
  },

  async updateTemplate(tx: Tx, id: string, t: Omit<TTemplateSpec, 'id' | 'scheduleId'>) {
    await tx.scheduleTemplate.update({ where: { id }, data: { ...t, validTo: t.validTo ?? null } })
  },

  async deleteTemplate(tx: Tx, id: string) {
    await tx.scheduleTemplate.delete({ where: { id } })
  },

  /** Templates of the active schedules of a service, for generation. */
  async activeTemplateSpecs(db: Db, serviceId: string): Promise<TTemplateSpec[]> {
    const rows = await db.scheduleTemplate.findMany({
      where: { schedule: { serviceId, active: true } },
      select: { id: true, scheduleId: true, weekdays: true, startMinute: true, endMinute: true, windowMinutes: true, capacity: true, validFrom: true, validTo: true },
      orderBy: { createdAt: 'asc' },
    })
    return rows
  },

  // ——— overrides ———
  async overrides(serviceId: string, from: Date) {
    return prisma().scheduleOverride.findMany({
      where: { serviceId, end: { gt: from } },
      select: { id: true, kind: true, start: true, end: true, capacityDelta: true, reason: true, createdAt: true },
      orderBy: { start: 'asc' },
    })
  },

  async override(id: string) {
    return prisma().scheduleOverride.findUnique({ where: { id }, select: { id: true, serviceId: true, kind: true, start: true, end: true, capacityDelta: true, reason: true } })
  },

  async overrideSpecs(db: Db, serviceId: string, from: Date, to: Date): Promise<TOverrideSpec[]> {
    return db.scheduleOverride.findMany({ where: { serviceId, start: { lt: to }, end: { gt: from } }, select: { kind: true, start: true, end: true, capacityDelta: true } })
  },

  async createOverride(tx: Tx, o: { serviceId: string; kind: TOverrideSpec['kind']; start: Date; end: Date; capacityDelta: number; reason: string; createdById: string }) {
    return tx.scheduleOverride.create({ data: o, select: { id: true } })
  },

  async deleteOverride(tx: Tx, id: string) {
    await tx.scheduleOverride.delete({ where: { id } })
  },

  /** BLOCK overrides covering exactly this period (what "block this window" made). */
  async exactBlocks(serviceId: string, start: Date, end: Date) {
    return prisma().scheduleOverride.findMany({ where: { serviceId, kind: 'BLOCK', start, end }, select: { id: true, reason: true } })
  },

  // ——— materialising windows ———
  /** Stored windows of a service starting in [from, to) that have not ended (the ones we may change). */
  async existingSlots(tx: Tx, serviceId: string, from: Date, to: Date, now: Date): Promise<TExistingSlot[]> {
    const rows = await tx.$queryRaw<(Omit<TExistingSlot, 'hasBookings'> & { hasBookings: boolean })[]>`
      SELECT s.id, s.start, s."end", s.capacity, s.booked, s.blocked, s."scheduleId",
        EXISTS (SELECT 1 FROM "Booking" b WHERE b."slotId" = s.id) AS "hasBookings"
      FROM "Slot" s
      WHERE s."serviceId" = ${serviceId}::uuid AND s.start >= ${from}::timestamptz AND s.start < ${to}::timestamptz AND s."end" > ${now}::timestamptz`
    return rows
  },

  async insertSlots(tx: Tx, serviceId: string, slots: readonly TGeneratedSlot[]): Promise<number> {
    if (slots.length === 0) return 0
    const res = await tx.slot.createMany({
      data: slots.map((s) => ({ serviceId, start: s.start, end: s.end, capacity: s.capacity, blocked: s.blocked, scheduleId: s.scheduleId ?? null })),
      skipDuplicates: true,
    })
    return res.count
  },

  /** New capacity/availability; capacity never drops below the places already taken (CHECK). */
  async reshapeSlots(tx: Tx, updates: readonly { id: string; capacity: number; blocked: boolean; scheduleId: string | null }[]): Promise<void> {
    for (let i = 0; i < updates.length; i += 500) {
      const chunk = updates.slice(i, i + 500)
      const values = Prisma.join(chunk.map((u) => Prisma.sql`(${u.id}::uuid, ${u.capacity}::int, ${u.blocked}::boolean, ${u.scheduleId}::uuid)`))
      await tx.$executeRaw`
        UPDATE "Slot" s SET capacity = GREATEST(v.capacity, s.booked), blocked = v.blocked, "scheduleId" = v.sid
        FROM (VALUES ${values}) AS v(id, capacity, blocked, sid)
        WHERE s.id = v.id`
    }
  },

  /** Delete windows nobody is booked into; returns the ids actually deleted. */
  async deleteUnusedSlots(tx: Tx, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return []
    const rows = await tx.$queryRaw<{ id: string }[]>`
      DELETE FROM "Slot" s
      WHERE s.id = ANY(${ids as string[]}::uuid[]) AND s.booked = 0 AND s.overbooked = 0
        AND NOT EXISTS (SELECT 1 FROM "Booking" b WHERE b."slotId" = s.id)
      RETURNING s.id`
    return rows.map((r) => r.id)
  },

  async blockSlots(tx: Tx, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return
    await tx.$executeRaw`UPDATE "Slot" SET blocked = true WHERE id = ANY(${ids as string[]}::uuid[])`
  },

  /** Latest start among a service's template windows (how far ahead slots exist). */
  async horizon(serviceId: string): Promise<Date | null> {
    const agg = await prisma().slot.aggregate({ where: { serviceId, scheduleId: { not: null } }, _max: { start: true } })
    return agg._max.start
  },
}
