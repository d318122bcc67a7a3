import { beforeAll, describe, expect, it } from 'vitest'
import { prisma } from '@/lib/db/prisma'
import { EXAMPLE_APPOINTMENT_ID, EXAMPLE_SLOT_ID } from '@/lib/demo/demo-data'
import { AppError } from '@/lib/errors/app-error'
import { londonDate, londonWallClockToUtc } from '@/lib/time/london'
import { seed } from '@/prisma/seed'
import { bookSlot } from './book-slot'
import { cancelBooking } from './cancel-booking'
import { addOverride, blockWindow, removeOverride, unblockWindow } from './change-capacity'
import { addDays } from './generate-slots'
import { materialiseSlots, SLOT_HORIZON_DAYS } from './materialise-slots'
import { moveBooking } from './move-booking'
import { recordAttendance } from './record-attendance'
import { deleteTemplate, saveTemplate } from './save-template'
import { viewSlotBoard } from './view-slot-board'
import { viewSlotWindow } from './view-slot-window'

const now = new Date()
const today = londonDate(now)
const receptionist = { kind: 'staff' as const, id: crypto.randomUUID(), roles: ['RECEPTIONIST'] }
const clinician = { kind: 'staff' as const, id: crypto.randomUUID(), roles: ['CLINICIAN'] }
let serviceId = ''

beforeAll(async () => {
  await seed(now)
  serviceId = (await prisma().service.findFirstOrThrow({ where: { dosServiceId: '111111111' } })).id
})

const windowAt = (date: string, minutes: number) => prisma().slot.findFirstOrThrow({ where: { serviceId, start: londonWallClockToUtc(date, minutes) } })
const slotNow = (id: string) => prisma().slot.findUniqueOrThrow({ where: { id } })
async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  )
  if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${String(e)}`)
  return e
}
const patient = (family: string) => ({ given: 'Sam', family })

describe('the seed', () => {
  it('makes the demo windows from the template: 28 a day for the horizon, the example window tomorrow at 10:00', async () => {
    const d = addDays(today, 5)
    const count = await prisma().slot.count({ where: { serviceId, start: { gte: londonWallClockToUtc(d, 0), lt: londonWallClockToUtc(addDays(d, 1), 0) } } })
    expect(count).toBe(28)
    const example = await slotNow(EXAMPLE_SLOT_ID)
    expect(example.start).toEqual(londonWallClockToUtc(addDays(today, 1), 10 * 60))
    expect(example).toMatchObject({ capacity: 3, blocked: false })
    expect(example.scheduleId).toBeTruthy()
  })

  it('materialising again changes nothing (idempotent)', async () => {
    const before = await prisma().slot.count()
    expect(await materialiseSlots(serviceId, { now })).toEqual({ created: 0, updated: 0, removed: 0, retired: 0 })
    expect(await prisma().slot.count()).toBe(before)
  })
})

describe('desk bookings', () => {
  it('books, then refuses a full window with 409 unless a permitted user gives a reason: then it is an audited overbooking', async () => {
    const w = await windowAt(addDays(today, 2), 9 * 60)
    for (let i = 0; i < 3; i++) await bookSlot({ slotId: w.id, patient: patient(`Full${i}`), actor: receptionist, now })
    const full = await rejection(bookSlot({ slotId: w.id, patient: patient('Extra'), actor: receptionist, now }))
    expect(full.kind).toBe('conflict')
    const denied = await rejection(bookSlot({ slotId: w.id, patient: patient('Extra'), overbookReason: 'Clinician asked', actor: clinician, now }))
    expect(denied.kind).toBe('forbidden')

    const over = await bookSlot({ slotId: w.id, patient: patient('Extra'), overbookReason: 'Clinician asked', actor: receptionist, now })
    expect(over).toMatchObject({ overbooked: true, overbookReason: 'Clinician asked' })
    expect(await slotNow(w.id)).toMatchObject({ booked: 3, overbooked: 1 })
    const audit = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'booking.overbook', entityId: over.id } })
    expect(audit).toMatchObject({ actorId: receptionist.id, outcome: 'success' })
    expect((audit.detail as any).reason).toBe('Clinician asked')

    const view = await viewSlotWindow({ slotId: w.id, roles: receptionist.roles, now })
    expect(view.window).toMatchObject({ booked: 4, overbooked: 1, remaining: 0, state: 'overbooked' })
    expect(view.bookings.filter((b) => b.overbooked)).toHaveLength(1)
  })

  it('refuses a malformed NHS number and an unknown window', async () => {
    const w = await windowAt(addDays(today, 2), 10 * 60)
    expect((await rejection(bookSlot({ slotId: w.id, patient: { ...patient('X'), nhsNumber: '1234567890' }, actor: receptionist, now }))).kind).toBe('value')
    expect((await rejection(bookSlot({ slotId: crypto.randomUUID(), patient: patient('X'), actor: receptionist, now }))).kind).toBe('not-found')
    expect((await rejection(bookSlot({ slotId: 'not-a-uuid', patient: patient('X'), actor: receptionist, now }))).kind).toBe('not-found')
  })

  it('moves a booking: the new window gains the place, the old one gets it back; a full target is 409', async () => {
    const from = await windowAt(addDays(today, 2), 11 * 60)
    const to = await windowAt(addDays(today, 2), 11 * 60 + 30)
    const b = await bookSlot({ slotId: from.id, patient: patient('Mover'), actor: receptionist, now })
    await moveBooking({ bookingId: b.id, toSlotId: to.id, actor: receptionist, now })
    expect((await slotNow(from.id)).booked).toBe(0)
    expect((await slotNow(to.id)).booked).toBe(1)
    const moved = await prisma().booking.findUniqueOrThrow({ where: { id: b.id } })
    expect(moved).toMatchObject({ slotId: to.id, start: to.start, end: to.end, version: 2 })

    const full = await windowAt(addDays(today, 2), 12 * 60)
    await prisma().slot.update({ where: { id: full.id }, data: { capacity: 1 } })
    await bookSlot({ slotId: full.id, patient: patient('Occupier'), actor: receptionist, now })
    expect((await rejection(moveBooking({ bookingId: b.id, toSlotId: full.id, actor: receptionist, now }))).kind).toBe('conflict')
    expect((await slotNow(to.id)).booked).toBe(1) // nothing changed
    await moveBooking({ bookingId: b.id, toSlotId: full.id, overbookReason: 'Family request', actor: receptionist, now })
    expect(await slotNow(full.id)).toMatchObject({ booked: 1, overbooked: 1 })
    expect((await slotNow(to.id)).booked).toBe(0)
  })

  it('cancels with a reason and gives the place back; a cancelled booking cannot be cancelled again', async () => {
    const w = await windowAt(addDays(today, 2), 13 * 60)
    const b = await bookSlot({ slotId: w.id, patient: patient('Canceller'), actor: receptionist, now })
    expect((await rejection(cancelBooking({ bookingId: b.id, reason: '  ', actor: receptionist }))).kind).toBe('required')
    await cancelBooking({ bookingId: b.id, reason: 'Patient phoned', actor: receptionist })
    expect((await slotNow(w.id)).booked).toBe(0)
    expect(await prisma().booking.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({ status: 'cancelled', cancelReason: 'Patient phoned' })
    expect((await rejection(cancelBooking({ bookingId: b.id, reason: 'again', actor: receptionist }))).kind).toBe('conflict')
  })

  it('marks arrived and did not attend; the board counts them', async () => {
    const d = addDays(today, 2)
    const w = await windowAt(d, 14 * 60)
    const a = await bookSlot({ slotId: w.id, patient: patient('Arriver'), actor: receptionist, now })
    const n = await bookSlot({ slotId: w.id, patient: patient('Noshow'), actor: receptionist, now })
    await recordAttendance({ bookingId: a.id, outcome: 'arrived', actor: receptionist })
    await recordAttendance({ bookingId: n.id, outcome: 'noshow', actor: receptionist })
    expect((await rejection(recordAttendance({ bookingId: a.id, outcome: 'arrived', actor: receptionist }))).kind).toBe('conflict')
    const board = await viewSlotBoard({ serviceId, date: d, view: 'day', now })
    const row = board.days[0]!.windows.find((x) => x.id === w.id)!
    expect(row).toMatchObject({ label: '14:00 to 14:30', booked: 2, arrived: 1, noshow: 1, remaining: 1, state: 'free' })
    expect(board.days[0]!.windows).toHaveLength(28)
    const week = await viewSlotBoard({ serviceId, date: d, view: 'week', now })
    expect(week.days).toHaveLength(7)
    expect(week.days.map((x) => x.date)).toContain(d)
  })

  it('marking the patient of a linked referral arrived moves the referral to Arrived', async () => {
    // The seeded example booking (REFREQ01 links to it) gets a referral through the real pipeline.
    const booking = await prisma().booking.findFirstOrThrow({ where: { id: EXAMPLE_APPOINTMENT_ID } })
    const referral = await prisma().referral.findFirstOrThrow({ where: { state: 'NEW' } })
    await prisma().booking.update({ where: { id: booking.id }, data: { referralId: referral.id } })
    await recordAttendance({ bookingId: booking.id, outcome: 'arrived', actor: receptionist })
    const after = await prisma().referral.findUniqueOrThrow({ where: { id: referral.id } })
    expect(after.state).toBe('ARRIVED')
    expect(after.version).toBe(referral.version + 1)
    expect(await prisma().liveEvent.count({ where: { type: 'referral.updated', entityId: referral.id } })).toBe(1)
  })
})

describe('blocking and capacity changes', () => {
  it('blocking a window keeps its bookings, refuses new ones (even overbooking), and unblocking brings it back', async () => {
    const w = await windowAt(addDays(today, 3), 9 * 60)
    const b = await bookSlot({ slotId: w.id, patient: patient('Blocked'), actor: receptionist, now })
    expect((await rejection(blockWindow({ slotId: w.id, reason: '', actor: receptionist, now }))).kind).toBe('required')
    await blockWindow({ slotId: w.id, reason: 'Staff training', actor: receptionist, now })
    expect(await slotNow(w.id)).toMatchObject({ blocked: true, booked: 1 })
    expect((await prisma().booking.findUniqueOrThrow({ where: { id: b.id } })).status).toBe('booked')
    expect((await rejection(bookSlot({ slotId: w.id, patient: patient('Late'), overbookReason: 'x', actor: receptionist, now }))).message).toBe('This arrival window is blocked.')
    // materialising again keeps it blocked (the block is an override)
    await materialiseSlots(serviceId, { now })
    expect((await slotNow(w.id)).blocked).toBe(true)
    await unblockWindow({ slotId: w.id, actor: receptionist, now })
    expect((await slotNow(w.id)).blocked).toBe(false)
  })

  it('adds places for a period and closes a day; removing the change restores the windows', async () => {
    const d = addDays(today, 4)
    const extra = await addOverride({ serviceId, override: { kind: 'ADD_CAPACITY', date: d, startMinute: 9 * 60, endMinute: 10 * 60, capacityDelta: 2, reason: 'Extra nurse' }, actor: receptionist, now })
    expect((await windowAt(d, 9 * 60)).capacity).toBe(5)
    expect((await windowAt(d, 9 * 60 + 30)).capacity).toBe(5)
    expect((await windowAt(d, 10 * 60)).capacity).toBe(3)
    await removeOverride({ overrideId: extra.id, actor: receptionist, now })
    expect((await windowAt(d, 9 * 60)).capacity).toBe(3)

    const closed = await addOverride({ serviceId, override: { kind: 'CLOSE_DAY', date: d, reason: 'Building works' }, actor: receptionist, now })
    const dayRange = { gte: londonWallClockToUtc(d, 0), lt: londonWallClockToUtc(addDays(d, 1), 0) }
    expect(await prisma().slot.count({ where: { serviceId, start: dayRange, blocked: false } })).toBe(0)
    await removeOverride({ overrideId: closed.id, actor: receptionist, now })
    expect(await prisma().slot.count({ where: { serviceId, start: dayRange, blocked: false } })).toBe(28)
  })
})

describe('templates', () => {
  it('a new template adds its windows; changing it never deletes a booked window (kept, blocked); deleting removes unused ones', async () => {
    const d = addDays(today, 6)
    const evening = { weekdays: [1, 2, 3, 4, 5, 6, 7], startMinute: 22 * 60, endMinute: 24 * 60, windowMinutes: 60, capacity: 2, validFrom: today, validTo: null }
    const { id, slots } = await saveTemplate({ serviceId, template: evening, actor: receptionist, now })
    expect(slots.created).toBeGreaterThanOrEqual(2 * (SLOT_HORIZON_DAYS - 1))
    const late = await windowAt(d, 23 * 60)
    expect(late.capacity).toBe(2)
    const b = await bookSlot({ slotId: late.id, patient: patient('Night'), actor: receptionist, now })

    // Narrow the template to 22:00–23:00: the booked 23:00 window stays (blocked); the others go.
    await saveTemplate({ serviceId, templateId: id, template: { ...evening, endMinute: 23 * 60, capacity: 4 }, actor: receptionist, now })
    expect(await slotNow(late.id)).toMatchObject({ blocked: true, booked: 1 })
    expect((await prisma().booking.findUniqueOrThrow({ where: { id: b.id } })).slotId).toBe(late.id)
    expect(await prisma().slot.count({ where: { serviceId, start: londonWallClockToUtc(addDays(d, 1), 23 * 60) } })).toBe(0)
    expect((await windowAt(d, 22 * 60)).capacity).toBe(4)

    await deleteTemplate({ templateId: id, actor: receptionist, now })
    expect(await prisma().slot.count({ where: { serviceId, start: londonWallClockToUtc(d, 22 * 60) } })).toBe(0)
    expect(await slotNow(late.id)).toMatchObject({ blocked: true, booked: 1 })
    expect(await prisma().auditEvent.count({ where: { action: { startsWith: 'template.' } } })).toBe(3)
  })

  it('refuses a template whose end is before its start', async () => {
    const e = await rejection(saveTemplate({ serviceId, template: { weekdays: [1], startMinute: 600, endMinute: 500, windowMinutes: 30, capacity: 1, validFrom: today }, actor: receptionist, now }))
    expect(e.kind).toBe('value')
    expect(e.expression).toEqual(['endMinute'])
  })
})
