/**
 * Make the stored arrival windows of a service match its templates and overrides for the next
 * SLOT_HORIZON_DAYS London days. Idempotent (Slot has a unique (serviceId, start, end)); run after every
 * template or override change, on first view of the board when the horizon runs short, and daily
 * (materialiseAllServices). Windows that have ended are never touched; windows with bookings are never
 * deleted (see planSlotChanges: they are kept and made busy-unavailable when no template gives them).
 */
import type { Tx } from '@/lib/db/transaction'
import { londonDate, londonWallClockToUtc } from '@/lib/time/london'
import { addDays, generateSlots, planSlotChanges } from './generate-slots'
import { inTransaction } from '@/lib/db/transaction'
import { slotRepository } from './slot-repository'

export const SLOT_HORIZON_DAYS = 28

export interface TMaterialised {
  created: number
  updated: number
  removed: number
  retired: number
}

/** London midnight at the start of a date, as a UTC instant. */
export const londonMidnight = (date: string) => londonWallClockToUtc(date, 0)

/** Reconcile inside an existing transaction (so an override and its effect commit together). */
export async function reconcileSlots(tx: Tx, serviceId: string, opts: { now: Date; fromDate?: string; days?: number }): Promise<TMaterialised> {
  const today = londonDate(opts.now)
  const fromDate = opts.fromDate && opts.fromDate > today ? opts.fromDate : today
  const lastWanted = addDays(opts.fromDate ?? today, (opts.days ?? SLOT_HORIZON_DAYS) - 1)
  const lastAllowed = addDays(today, SLOT_HORIZON_DAYS - 1)
  const lastDate = lastWanted < lastAllowed ? lastWanted : lastAllowed
  if (lastDate < fromDate) return { created: 0, updated: 0, removed: 0, retired: 0 }
  const days = Math.round((Date.parse(`${lastDate}T12:00:00Z`) - Date.parse(`${fromDate}T12:00:00Z`)) / 86_400_000) + 1
  const from = londonMidnight(fromDate)
  const to = londonMidnight(addDays(lastDate, 1))

  await slotRepository.lockService(tx, serviceId)
  const templates = await slotRepository.activeTemplateSpecs(tx, serviceId)
  const overrides = await slotRepository.overrideSpecs(tx, serviceId, from, to)
  const desired = generateSlots(templates, overrides, { fromDate, days }).filter((s) => s.end > opts.now)
  const existing = await slotRepository.existingSlots(tx, serviceId, from, to, opts.now)
  const plan = planSlotChanges(desired, existing, overrides)

  const created = await slotRepository.insertSlots(tx, serviceId, plan.create)
  await slotRepository.reshapeSlots(tx, plan.update)
  const removed = await slotRepository.deleteUnusedSlots(tx, plan.remove)
  // A window booked into since we looked is not deleted: it is retired (blocked) instead.
  const gone = new Set(removed)
  const retire = [...plan.retire, ...plan.remove.filter((id) => !gone.has(id))]
  await slotRepository.blockSlots(tx, retire)
  return { created, updated: plan.update.length, removed: removed.length, retired: retire.length }
}

export async function materialiseSlots(serviceId: string, opts: { now: Date; fromDate?: string; days?: number }): Promise<TMaterialised> {
  return inTransaction((tx) => reconcileSlots(tx, serviceId, opts))
}

/**
 * Materialise when the furthest template window is less than three weeks ahead (cheap check; the
 * board calls it so that a service never runs out of windows even without the daily job).
 */
export async function ensureSlotHorizon(serviceId: string, now: Date): Promise<void> {
  const horizon = await slotRepository.horizon(serviceId)
  const wanted = londonMidnight(addDays(londonDate(now), SLOT_HORIZON_DAYS - 7))
  if (!horizon || horizon < wanted) await materialiseSlots(serviceId, { now })
}

/** For a daily job: every active service. */
export async function materialiseAllServices(now: Date): Promise<Record<string, TMaterialised>> {
  const out: Record<string, TMaterialised> = {}
  for (const s of await slotRepository.services()) out[s.dosServiceId] = await materialiseSlots(s.id, { now })
  return out
}
