import type { Bundle } from '@medplum/fhirtypes'
import type { Prisma } from '@/generated/prisma/client'
import type { TPatientSummary } from '@/lib/bars/referral'
import { prisma, type Tx } from '@/lib/db/prisma'
import { AppError } from '@/lib/errors/app-error'
import { slotRepository } from '@/lib/slots/slot-repository'

export interface TClaimedSlot {
  id: string
  start: Date
  end: Date
  scheduleId: string | null
}

export interface TNewBooking {
  id: string
  serviceId: string
  slot: TClaimedSlot
  referralId?: string
  correlationId: string
  bundleId?: string
  sourceEndpoint?: string
  useCase?: string
  patient: TPatientSummary
  bundle: Bundle
  messageId: string
}

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

export const bookingRepository = {
  async findForService(tx: Tx, serviceId: string, id: string) {
    return tx.booking.findFirst({
      where: { id, serviceId },
      select: {
        id: true, status: true, referralId: true, referral: { select: { fhirStatus: true } },
        patientNhsNumber: true, patientFamily: true, patientBirthDate: true,
      },
    })
  },

  async linkReferral(tx: Tx, bookingId: string, referralId: string) {
    await tx.booking.update({ where: { id: bookingId }, data: { referralId, version: { increment: 1 } } })
  },

  /** A slot of this service (whatever its state), or null. */
  async findSlot(tx: Tx, slotId: string, serviceId: string) {
    return tx.slot.findFirst({ where: { id: slotId, serviceId }, select: { id: true, scheduleId: true } })
  },

  /**
   * Take one place in a slot for a sender's booking (lib/slots/slot-repository.ts claim, the one
   * conditional UPDATE): only a free, unblocked, not-yet-started slot of this service; otherwise
   * AppError('conflict') (409 REC_CONFLICT). Call inside the transaction of the booking.
   */
  async claimSlot(tx: Tx, slotId: string, serviceId: string, now = new Date()): Promise<TClaimedSlot> {
    const claimed = await slotRepository.claim(tx, slotId, serviceId, now, { notStarted: true })
    if (!claimed) throw new AppError('conflict', 'The slot is no longer free.', { expression: 'Appointment.slot' })
    return claimed
  },

  /** Give back the place a cancelled booking held (from `overbooked` when it was an overbooking). */
  async releaseSlot(tx: Tx, slotId: string, overbooked = false): Promise<void> {
    await slotRepository.release(tx, slotId, overbooked)
  },

  async create(tx: Tx, b: TNewBooking): Promise<{ id: string; createdAt: Date }> {
    const row = await tx.booking.create({
      data: {
        id: b.id,
        serviceId: b.serviceId,
        slotId: b.slot.id,
        referralId: b.referralId ?? null,
        status: 'booked',
        correlationId: b.correlationId,
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
        versions: {
          create: { version: 1, bundle: b.bundle as unknown as Prisma.InputJsonValue, status: 'booked', messageId: b.messageId, summary: 'Booking received' },
        },
      },
      select: { id: true, createdAt: true },
    })
    return row
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

  /** Cancel a booking: new status and version (with the bundle), decoupled from its referral. */
  async cancel(tx: Tx, b: { id: string; status: string; reason?: string; bundle: Bundle; messageId: string; version: number }) {
    const next = b.version + 1
    await tx.booking.update({
      where: { id: b.id },
      data: { status: b.status, cancelReason: b.reason ?? null, referralId: null, version: next },
    })
    await tx.bookingVersion.create({
      data: { bookingId: b.id, version: next, bundle: b.bundle as unknown as Prisma.InputJsonValue, status: b.status, messageId: b.messageId, summary: `Booking ${b.status} by the sender` },
    })
  },

  /** Decouple the bookings of a cancelled referral (they stay booked). Returns their ids. */
  async decoupleFromReferral(tx: Tx, referralId: string): Promise<string[]> {
    const linked = await tx.booking.findMany({ where: { referralId }, select: { id: true } })
    if (linked.length) await tx.booking.updateMany({ where: { referralId }, data: { referralId: null, version: { increment: 1 } } })
    return linked.map((b) => b.id)
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
