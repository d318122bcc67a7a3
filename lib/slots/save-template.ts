/**
 * Create or change a recurring template (weekdays, London start–end, window length, places), then
 * reshape the windows of the next SLOT_HORIZON_DAYS: new windows appear, changed capacity applies
 * (never below the places already taken), windows no longer in any template are deleted when nobody
 * is booked into them and otherwise kept but blocked, so booked patients are never lost.
 */
import { z } from 'zod'
import { AppError } from '@/lib/errors/app-error'
import { londonDate } from '@/lib/time/london'
import { reconcileSlots, type TMaterialised } from './materialise-slots'
import { recordDeskChange, requireUuid, type TActor } from './slot-actor'
import { inTransaction } from '@/lib/db/transaction'
import { slotRepository } from './slot-repository'

const DATE = /^\d{4}-\d{2}-\d{2}$/

export const ZTemplateInput = z
  .object({
    weekdays: z.array(z.number().int().min(1).max(7)).min(1, 'Choose at least one day'),
    startMinute: z.number().int().min(0).max(1439),
    endMinute: z.number().int().min(1).max(1440),
    windowMinutes: z.number().int().min(5, 'Windows must be at least 5 minutes').max(720),
    capacity: z.number().int().min(1, 'Capacity must be at least 1').max(500),
    validFrom: z.string().regex(DATE, 'Enter a valid start date'),
    validTo: z.string().regex(DATE, 'Enter a valid end date').nullish(),
  })
  .refine((t) => t.endMinute > t.startMinute, { message: 'The end time must be after the start time', path: ['endMinute'] })
  .refine((t) => t.endMinute - t.startMinute >= t.windowMinutes, { message: 'The window is longer than the opening hours', path: ['windowMinutes'] })
  .refine((t) => !t.validTo || t.validTo >= t.validFrom, { message: 'The end date must be on or after the start date', path: ['validTo'] })

export type TTemplateInput = z.infer<typeof ZTemplateInput>

export const DEFAULT_SCHEDULE_NAME = 'Arrival windows'

export async function saveTemplate(input: { serviceId: string; templateId?: string; template: TTemplateInput; actor: TActor; now?: Date }): Promise<{ id: string; slots: TMaterialised }> {
  const now = input.now ?? new Date()
  const parsed = ZTemplateInput.safeParse(input.template)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new AppError('value', issue.message, { expression: issue.path.join('.') })
  }
  const t = { ...parsed.data, weekdays: [...new Set(parsed.data.weekdays)].sort(), validTo: parsed.data.validTo ?? null }
  const service = await slotRepository.service(requireUuid(input.serviceId, 'Service'))
  if (!service) throw new AppError('not-found', 'Service not found.')
  if (input.templateId) {
    const existing = await slotRepository.template(requireUuid(input.templateId, 'Template'))
    if (!existing || existing.schedule.serviceId !== service.id) throw new AppError('not-found', 'Template not found.')
  }
  return inTransaction(async (tx) => {
    let id = input.templateId
    if (id) await slotRepository.updateTemplate(tx, id, t)
    else {
      const scheduleId = await slotRepository.firstScheduleOrCreate(tx, service.id, DEFAULT_SCHEDULE_NAME)
      id = (await slotRepository.createTemplate(tx, scheduleId, t)).id
    }
    const slots = await reconcileSlots(tx, service.id, { now, fromDate: londonDate(now) })
    await recordDeskChange(tx, input.actor, { action: input.templateId ? 'template.update' : 'template.create', serviceId: service.id, detail: { templateId: id, ...t, slots } })
    return { id, slots }
  })
}

export async function deleteTemplate(input: { templateId: string; actor: TActor; now?: Date }): Promise<{ slots: TMaterialised }> {
  const now = input.now ?? new Date()
  const existing = await slotRepository.template(requireUuid(input.templateId, 'Template'))
  if (!existing) throw new AppError('not-found', 'Template not found.')
  return inTransaction(async (tx) => {
    await slotRepository.deleteTemplate(tx, existing.id)
    const slots = await reconcileSlots(tx, existing.schedule.serviceId, { now })
    await recordDeskChange(tx, input.actor, { action: 'template.delete', serviceId: existing.schedule.serviceId, detail: { templateId: existing.id, slots } })
    return { slots }
  })
}
