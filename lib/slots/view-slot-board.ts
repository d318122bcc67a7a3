/** The desk board: each window of a day (or a Monday-to-Sunday week) with its counts. */
import { AppError } from '@/lib/errors/app-error'
import { londonDate } from '@/lib/time/london'
import { addDays, isoWeekday } from './generate-slots'
import { ensureSlotHorizon, londonMidnight } from './materialise-slots'
import { requireUuid } from './slot-actor'
import { dayLabel, londonTime, windowState } from './slot-labels'
import { slotRepository, type TBoardSlotRow } from './slot-repository'
import type { TBoardDay, TBoardWindow, TSlotBoard } from './slot-views'

export function toBoardWindow(s: Omit<TBoardSlotRow, 'awaiting'>, now: Date): TBoardWindow {
  const taken = s.booked + s.overbooked
  return {
    id: s.id,
    start: s.start.toISOString(),
    end: s.end.toISOString(),
    label: `${londonTime(s.start)} to ${londonTime(s.end)}`,
    startLabel: londonTime(s.start),
    capacity: s.capacity,
    booked: taken,
    overbooked: s.overbooked,
    arrived: s.arrived,
    noshow: s.noshow,
    remaining: s.blocked ? 0 : Math.max(0, s.capacity - s.booked),
    state: windowState(s, now),
  }
}

export async function viewSlotBoard(input: { serviceId: string; date?: string; view: 'day' | 'week'; now?: Date }): Promise<TSlotBoard> {
  const now = input.now ?? new Date()
  const service = await slotRepository.service(requireUuid(input.serviceId, 'Service'))
  if (!service) throw new AppError('not-found', 'Service not found.')
  await ensureSlotHorizon(service.id, now)
  const today = londonDate(now)
  const date = input.date && /^\d{4}-\d{2}-\d{2}$/.test(input.date) && !Number.isNaN(Date.parse(`${input.date}T12:00:00Z`)) ? input.date : today
  const first = input.view === 'week' ? addDays(date, 1 - isoWeekday(date)) : date
  const length = input.view === 'week' ? 7 : 1
  const rows = await slotRepository.boardSlots(service.id, londonMidnight(first), londonMidnight(addDays(first, length)))
  const days: TBoardDay[] = Array.from({ length }, (_, i) => {
    const d = addDays(first, i)
    return { date: d, label: dayLabel(d), windows: [] }
  })
  for (const r of rows) days.find((d) => d.date === londonDate(r.start))?.windows.push(toBoardWindow(r, now))
  return { service: { id: service.id, name: service.name }, view: input.view, date: first, today, previous: addDays(first, -length), next: addDays(first, length), days }
}
