/**
 * One-off capacity changes (ScheduleOverride): block a period, add places for a period, close a day,
 * block or unblock a single window. Each is stored with its reason and author, then the windows it
 * touches are reshaped in the same transaction.
 */
import { z } from 'zod'
import { AppError } from '@/lib/errors/app-error'
import { londonDate, londonWallClockToUtc } from '@/lib/time/london'
import { addDays } from './generate-slots'
import { reconcileSlots } from './materialise-slots'
import { recordDeskChange, requireUuid, type TActor } from './slot-actor'
import { inTransaction } from '@/lib/db/transaction'
import { slotRepository } from './slot-repository'

const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a valid date')

export const ZOverrideInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('CLOSE_DAY'), date: DATE, reason: z.string().trim().min(1, 'Enter a reason').max(500) }),
  z.object({
    kind: z.enum(['BLOCK', 'ADD_CAPACITY']),
    date: DATE,
    startMinute: z.number().int().min(0).max(1439),
    endMinute: z.number().int().min(1).max(1440),
    capacityDelta: z.number().int().min(0).max(500).default(0),
    reason: z.string().trim().min(1, 'Enter a reason').max(500),
  }),
])

export type TOverrideInput = z.input<typeof ZOverrideInput>

/** Reshape the London dates an instant range covers. */
async function reshape(tx: Parameters<typeof reconcileSlots>[0], serviceId: string, start: Date, end: Date, now: Date) {
  const fromDate = londonDate(start)
  const lastDate = londonDate(new Date(end.getTime() - 1))
  const days = Math.round((Date.parse(`${lastDate}T12:00:00Z`) - Date.parse(`${fromDate}T12:00:00Z`)) / 86_400_000) + 1
  return reconcileSlots(tx, serviceId, { now, fromDate, days })
}

export async function addOverride(input: { serviceId: string; override: TOverrideInput; actor: TActor; now?: Date }) {
  const now = input.now ?? new Date()
  const parsed = ZOverrideInput.safeParse(input.override)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new AppError('value', issue.message, { expression: issue.path.join('.') })
  }
  const o = parsed.data
  const service = await slotRepository.service(requireUuid(input.serviceId, 'Service'))
  if (!service) throw new AppError('not-found', 'Service not found.')
  let start: Date
  let end: Date
  let capacityDelta = 0
  if (o.kind === 'CLOSE_DAY') {
    start = londonWallClockToUtc(o.date, 0)
    end = londonWallClockToUtc(addDays(o.date, 1), 0)
  } else {
    if (o.endMinute <= o.startMinute) throw new AppError('value', 'The end time must be after the start time', { expression: 'endMinute' })
    if (o.kind === 'ADD_CAPACITY' && o.capacityDelta < 1) throw new AppError('value', 'Add at least 1 place', { expression: 'capacityDelta' })
    start = londonWallClockToUtc(o.date, o.startMinute)
    end = londonWallClockToUtc(o.date, o.endMinute)
    capacityDelta = o.kind === 'ADD_CAPACITY' ? o.capacityDelta : 0
  }
  if (end <= now) throw new AppError('value', 'The period has already ended', { expression: 'date' })
  return inTransaction(async (tx) => {
    const { id } = await slotRepository.createOverride(tx, { serviceId: service.id, kind: o.kind, start, end, capacityDelta, reason: o.reason, createdById: input.actor.id })
    const slots = await reshape(tx, service.id, start, end, now)
    await recordDeskChange(tx, input.actor, { action: `override.${o.kind.toLowerCase()}`, serviceId: service.id, detail: { overrideId: id, start, end, capacityDelta, reason: o.reason, slots } })
    return { id, slots }
  })
}

export async function removeOverride(input: { overrideId: string; actor: TActor; now?: Date }) {
  const now = input.now ?? new Date()
  const o = await slotRepository.override(requireUuid(input.overrideId, 'Capacity change'))
  if (!o) throw new AppError('not-found', 'Capacity change not found.')
  return inTransaction(async (tx) => {
    await slotRepository.deleteOverride(tx, o.id)
    const slots = await reshape(tx, o.serviceId, o.start, o.end, now)
    await recordDeskChange(tx, input.actor, { action: 'override.remove', serviceId: o.serviceId, detail: { overrideId: o.id, kind: o.kind, start: o.start, end: o.end, reason: o.reason, slots } })
    return { slots }
  })
}

/** Block one window (a BLOCK override over exactly its period). Bookings already in it stay. */
export async function blockWindow(input: { slotId: string; reason: string; actor: TActor; now?: Date }) {
  const now = input.now ?? new Date()
  const reason = input.reason.trim()
  if (!reason) throw new AppError('required', 'Enter a reason for blocking this window.', { expression: 'reason' })
  const slot = await slotRepository.slot(requireUuid(input.slotId, 'Arrival window'))
  if (!slot) throw new AppError('not-found', 'Arrival window not found.')
  if (slot.end <= now) throw new AppError('conflict', 'This arrival window has ended.')
  if (slot.blocked) throw new AppError('conflict', 'This arrival window is already blocked.')
  return inTransaction(async (tx) => {
    const { id } = await slotRepository.createOverride(tx, { serviceId: slot.serviceId, kind: 'BLOCK', start: slot.start, end: slot.end, capacityDelta: 0, reason, createdById: input.actor.id })
    await reshape(tx, slot.serviceId, slot.start, slot.end, now)
    await recordDeskChange(tx, input.actor, { action: 'slot.block', serviceId: slot.serviceId, slotId: slot.id, detail: { overrideId: id, reason } })
    return { overrideId: id }
  })
}

/** Unblock a window blocked on its own; a window inside a blocked period is unblocked by removing the period. */
export async function unblockWindow(input: { slotId: string; actor: TActor; now?: Date }) {
  const now = input.now ?? new Date()
  const slot = await slotRepository.slot(requireUuid(input.slotId, 'Arrival window'))
  if (!slot) throw new AppError('not-found', 'Arrival window not found.')
  const blocks = await slotRepository.exactBlocks(slot.serviceId, slot.start, slot.end)
  if (blocks.length === 0) throw new AppError('conflict', 'This window is not blocked on its own. Remove the blocked period or closed day under capacity changes.')
  return inTransaction(async (tx) => {
    for (const b of blocks) await slotRepository.deleteOverride(tx, b.id)
    await reshape(tx, slot.serviceId, slot.start, slot.end, now)
    const after = await slotRepository.slot(slot.id, tx)
    await recordDeskChange(tx, input.actor, { action: 'slot.unblock', serviceId: slot.serviceId, slotId: slot.id, detail: { overrideIds: blocks.map((b) => b.id) } })
    return { blocked: after?.blocked ?? false }
  })
}
