/** What the template and capacity-change screens list. */
import { AppError } from '@/lib/errors/app-error'
import { formatLondon } from '@/lib/time/london'
import { requireUuid } from './slot-actor'
import { minutesLabel, weekdaysLabel } from './slot-labels'
import { slotRepository } from './slot-repository'
import type { TOverrideView, TTemplateView } from './slot-views'

export async function listSlotServices() {
  return slotRepository.services()
}

type TTemplateRow = { id: string; weekdays: number[]; startMinute: number; endMinute: number; windowMinutes: number; capacity: number; validFrom: string; validTo: string | null }

function templateView(t: TTemplateRow): TTemplateView {
  return {
    id: t.id,
    weekdays: t.weekdays,
    daysLabel: weekdaysLabel(t.weekdays),
    start: minutesLabel(t.startMinute),
    end: minutesLabel(t.endMinute),
    windowMinutes: t.windowMinutes,
    capacity: t.capacity,
    validFrom: t.validFrom,
    validTo: t.validTo,
  }
}

export async function listTemplates(serviceId: string): Promise<TTemplateView[]> {
  const rows = await slotRepository.templates(requireUuid(serviceId, 'Service'))
  return rows.map(templateView)
}

export async function viewTemplate(templateId: string): Promise<TTemplateView & { serviceId: string }> {
  const t = await slotRepository.template(requireUuid(templateId, 'Template'))
  if (!t) throw new AppError('not-found', 'Template not found.')
  return { ...templateView(t), serviceId: t.schedule.serviceId }
}

const KIND_LABELS = { BLOCK: 'Blocked period', ADD_CAPACITY: 'Extra places', CLOSE_DAY: 'Closed day' } as const

export async function listOverrides(serviceId: string, now = new Date()): Promise<TOverrideView[]> {
  const rows = await slotRepository.overrides(requireUuid(serviceId, 'Service'), now)
  return rows.map((o) => ({
    id: o.id,
    kind: o.kind,
    kindLabel: KIND_LABELS[o.kind],
    periodLabel:
      o.kind === 'CLOSE_DAY'
        ? formatLondon(o.start, { dateStyle: 'full' })
        : `${formatLondon(o.start, { dateStyle: 'medium', timeStyle: 'short' })} to ${formatLondon(o.end, { timeStyle: 'short' })}`,
    capacityDelta: o.capacityDelta,
    reason: o.reason,
  }))
}
