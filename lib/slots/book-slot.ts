/**
 * Book a patient into an arrival window from the desk. The place is taken by the conditional UPDATE
 * (booked < capacity), exactly as for bookings from the API (bookingCommands.book). A full window
 * can be booked beyond capacity only by a user with 'bookings:overbook' and with a reason; that is
 * counted in Slot.overbooked, flagged on the booking and audited.
 */
import { isValidNhsNumber } from '@/lib/bars/identifiers'
import { can } from '@/lib/auth/permissions'
import { bookingCommands, staffNote } from '@/lib/bookings/booking-commands'
import { inTransaction } from '@/lib/db/transaction'
import { AppError } from '@/lib/errors/app-error'
import { requireUuid, type TActor } from './slot-actor'
import { slotRepository } from './slot-repository'

export interface TBookSlotInput {
  slotId: string
  patient: { given: string; family: string; nhsNumber?: string; birthDate?: string }
  /** Give it to book beyond capacity when the window is full. */
  overbookReason?: string
  actor: TActor
  now?: Date
}

export async function bookSlot(input: TBookSlotInput) {
  const now = input.now ?? new Date()
  const slot = await slotRepository.slot(requireUuid(input.slotId, 'Arrival window'))
  if (!slot) throw new AppError('not-found', 'Arrival window not found.')
  const nhs = input.patient.nhsNumber?.replace(/\s+/g, '')
  if (nhs && !isValidNhsNumber(nhs)) throw new AppError('value', 'Enter a valid 10-digit NHS number.', { expression: 'nhsNumber' })
  const reason = input.overbookReason?.trim()
  if (reason && !can(input.actor.roles, 'bookings:overbook')) throw new AppError('forbidden', 'You do not have permission to book beyond capacity.')

  return inTransaction(async (tx) => {
    const booked = await bookingCommands.book(tx, {
      actor: input.actor,
      serviceId: slot.serviceId,
      slotId: slot.id,
      now,
      claim: { by: 'staff', overbookReason: reason || undefined },
      patient: { ...input.patient, nhsNumber: nhs || undefined },
      note: staffNote('Booked at the desk', { slotId: slot.id }),
      action: 'booking.create',
      overbookAction: 'booking.overbook',
    })
    return (await slotRepository.booking(booked.id, tx))!
  })
}
