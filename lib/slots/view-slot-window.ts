/** One window at the desk: its counts, why it is blocked, and the bookings in it. */
import { can } from '@/lib/auth/permissions'
import { AppError } from '@/lib/errors/app-error'
import { londonDate } from '@/lib/time/london'
import { requireUuid } from './slot-actor'
import { BOOKING_STATUS_LABELS, dayLabel, londonTime } from './slot-labels'
import { slotRepository } from './slot-repository'
import type { TBookingView, TDeskBooking, TSlotWindowView } from './slot-views'
import { toBoardWindow } from './view-slot-board'

/** The first-version summary referral-actions-repository.createBooking writes for a clinician's rebook. */
const CLINICIAN_BOOKING_SUMMARY = 'Booked by the receiving service'

type TBookingRow = NonNullable<Awaited<ReturnType<typeof slotRepository.booking>>>

export function toDeskBooking(b: TBookingRow): TDeskBooking {
  const name = [b.patientGiven, b.patientFamily?.toUpperCase()].filter(Boolean).join(' ')
  return {
    id: b.id,
    status: b.status,
    statusLabel: BOOKING_STATUS_LABELS[b.status] ?? b.status,
    patientName: name || 'Name not provided',
    nhsNumber: b.patientNhsNumber,
    birthDate: b.patientBirthDate,
    overbooked: b.overbooked,
    overbookReason: b.overbookReason,
    cancelReason: b.cancelReason,
    // A clinician's rebook carries the sender's endpoint (it belongs to their conversation) but was made here.
    source: !b.sourceEndpoint ? 'desk' : b.versions[0]?.summary === CLINICIAN_BOOKING_SUMMARY ? 'clinician' : 'api',
    referral: b.referral ? { id: b.referral.id, caseReference: b.referral.caseReference } : null,
  }
}

export async function viewSlotWindow(input: { slotId: string; roles: readonly string[]; now?: Date }): Promise<TSlotWindowView> {
  const now = input.now ?? new Date()
  const slot = await slotRepository.slot(requireUuid(input.slotId, 'Arrival window'))
  if (!slot) throw new AppError('not-found', 'Arrival window not found.')
  const [service, bookings, blocks] = await Promise.all([
    slotRepository.service(slot.serviceId),
    slotRepository.bookingsInSlot(slot.id),
    slotRepository.exactBlocks(slot.serviceId, slot.start, slot.end),
  ])
  const count = (s: string) => bookings.filter((b) => b.status === s).length
  const date = londonDate(slot.start)
  return {
    window: {
      ...toBoardWindow({ ...slot, arrived: count('arrived'), noshow: count('noshow') }, now),
      date,
      dateLabel: dayLabel(date),
      serviceId: slot.serviceId,
      serviceName: service?.name ?? 'Not provided',
    },
    blockReasons: slot.blocked ? (blocks.length ? blocks.map((b) => b.reason) : ['Blocked by a period block, a closed day or a template change']) : [],
    bookings: bookings.map(toDeskBooking),
    canOverbook: can(input.roles, 'bookings:overbook'),
  }
}

export async function viewBooking(input: { bookingId: string; roles: readonly string[] }): Promise<TBookingView> {
  const b = await slotRepository.booking(requireUuid(input.bookingId, 'Booking'))
  if (!b) throw new AppError('not-found', 'Booking not found.')
  const date = londonDate(b.start)
  return {
    booking: { ...toDeskBooking(b), slotId: b.slotId, serviceId: b.serviceId, windowLabel: `${londonTime(b.start)} to ${londonTime(b.end)}`, date, dateLabel: dayLabel(date) },
    canOverbook: can(input.roles, 'bookings:overbook'),
  }
}
