import { describe, expect, it } from 'vitest'
import { formatLondon } from '@/lib/time/london'
import { addDays, applyOverrides, generateSlots, isoWeekday, planSlotChanges, slotKey, windowsForDay, type TTemplateSpec } from './generate-slots'

const everyDay = [1, 2, 3, 4, 5, 6, 7]
const daytime: TTemplateSpec = { weekdays: everyDay, startMinute: 8 * 60, endMinute: 22 * 60, windowMinutes: 30, capacity: 3, validFrom: '2026-01-01' }
const overnight: TTemplateSpec = { weekdays: everyDay, startMinute: 0, endMinute: 4 * 60, windowMinutes: 30, capacity: 2, validFrom: '2026-01-01' }
const london = (d: Date) => formatLondon(d, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })

function expectContiguousHalfHours(slots: { start: Date; end: Date }[]) {
  for (const s of slots) expect(s.end.getTime() - s.start.getTime()).toBe(30 * 60_000)
  for (let i = 1; i < slots.length; i++) expect(slots[i]!.start.getTime()).toBe(slots[i - 1]!.end.getTime())
  expect(new Set(slots.map(slotKey)).size).toBe(slots.length)
}

describe('dates', () => {
  it('adds days across month ends and knows ISO weekdays', () => {
    expect(addDays('2026-03-31', 1)).toBe('2026-04-01')
    expect(addDays('2026-10-25', -1)).toBe('2026-10-24')
    expect(isoWeekday('2026-03-29')).toBe(7) // a Sunday
    expect(isoWeekday('2026-03-30')).toBe(1)
  })
})

describe('template generation across the March clock change (Sunday 29 March 2026)', () => {
  it('keeps daytime windows at 08:00–22:00 London on both sides: 07:00Z in BST, 08:00Z in GMT', () => {
    const slots = generateSlots([daytime], [], { fromDate: '2026-03-28', days: 3 })
    expect(slots).toHaveLength(3 * 28)
    const firstOfDay = (date: string) => slots.find((s) => s.start.toISOString().startsWith(date))!
    expect(firstOfDay('2026-03-28').start.toISOString()).toBe('2026-03-28T08:00:00.000Z')
    expect(firstOfDay('2026-03-29').start.toISOString()).toBe('2026-03-29T07:00:00.000Z')
    expect(firstOfDay('2026-03-30').start.toISOString()).toBe('2026-03-30T07:00:00.000Z')
    for (const s of slots) {
      const t = london(s.start)
      expect(t >= '08:00' && t <= '21:30').toBe(true)
    }
    const lastOfChangeDay = slots.filter((s) => s.start.toISOString().startsWith('2026-03-29')).at(-1)!
    expect(london(lastOfChangeDay.end)).toBe('22:00')
    expect(lastOfChangeDay.end.toISOString()).toBe('2026-03-29T21:00:00.000Z')
  })

  it('gives no windows in the hour that does not exist, and every window is 30 real minutes', () => {
    const slots = windowsForDay(overnight, '2026-03-29')
    expect(slots).toHaveLength(6)
    expect(slots.map((s) => london(s.start))).toEqual(['00:00', '00:30', '02:00', '02:30', '03:00', '03:30'])
    expectContiguousHalfHours(slots)
    expect(slots[2]!.start.toISOString()).toBe('2026-03-29T01:00:00.000Z')
  })
})

describe('template generation across the October clock change (Sunday 25 October 2026)', () => {
  it('keeps daytime windows at 08:00 London: 07:00Z in BST before, 08:00Z in GMT from the change day', () => {
    const slots = generateSlots([daytime], [], { fromDate: '2026-10-24', days: 2 })
    expect(slots).toHaveLength(2 * 28)
    expect(slots[0]!.start.toISOString()).toBe('2026-10-24T07:00:00.000Z')
    expect(slots[28]!.start.toISOString()).toBe('2026-10-25T08:00:00.000Z')
    expect(london(slots[55]!.end)).toBe('22:00')
  })

  it('gives the repeated hour its windows twice (BST then GMT), never overlapping', () => {
    const slots = windowsForDay(overnight, '2026-10-25')
    expect(slots).toHaveLength(10)
    expect(slots.map((s) => london(s.start))).toEqual(['00:00', '00:30', '01:00', '01:30', '01:00', '01:30', '02:00', '02:30', '03:00', '03:30'])
    expectContiguousHalfHours(slots)
    expect(slots[0]!.start.toISOString()).toBe('2026-10-24T23:00:00.000Z')
    expect(slots[4]!.start.toISOString()).toBe('2026-10-25T01:00:00.000Z')
  })
})

describe('template rules', () => {
  it('honours weekdays and the validity dates', () => {
    const weekdaysOnly: TTemplateSpec = { ...daytime, weekdays: [1, 2, 3, 4, 5], validFrom: '2026-06-02', validTo: '2026-06-05' }
    const slots = generateSlots([weekdaysOnly], [], { fromDate: '2026-06-01', days: 7 }) // Mon 1 … Sun 7 June
    const dates = [...new Set(slots.map((s) => s.start.toISOString().slice(0, 10)))]
    expect(dates).toEqual(['2026-06-02', '2026-06-03', '2026-06-04', '2026-06-05'])
  })

  it('runs to midnight when the end is 24:00 and drops a last window that would not fit', () => {
    const late: TTemplateSpec = { ...daytime, startMinute: 22 * 60 + 30, endMinute: 1440, windowMinutes: 45 }
    const slots = windowsForDay(late, '2026-06-01')
    expect(slots.map((s) => london(s.start))).toEqual(['22:30', '23:15'])
    expect(london(slots[1]!.end)).toBe('00:00')
  })

  it('lets a later template replace the same window of an earlier one', () => {
    const busier = { ...daytime, capacity: 5 }
    const slots = generateSlots([daytime, busier], [], { fromDate: '2026-06-01', days: 1 })
    expect(slots).toHaveLength(28)
    expect(slots.every((s) => s.capacity === 5)).toBe(true)
  })
})

describe('overrides', () => {
  const w = { start: new Date('2026-06-01T09:00:00Z'), end: new Date('2026-06-01T09:30:00Z'), capacity: 3 }
  it('blocks overlapping windows and adds capacity, but ignores periods that only touch', () => {
    expect(applyOverrides(w, [{ kind: 'BLOCK', start: new Date('2026-06-01T09:15:00Z'), end: new Date('2026-06-01T10:00:00Z'), capacityDelta: 0 }])).toEqual({ capacity: 3, blocked: true })
    expect(applyOverrides(w, [{ kind: 'BLOCK', start: new Date('2026-06-01T09:30:00Z'), end: new Date('2026-06-01T10:00:00Z'), capacityDelta: 0 }])).toEqual({ capacity: 3, blocked: false })
    expect(applyOverrides(w, [{ kind: 'ADD_CAPACITY', start: new Date('2026-06-01T08:00:00Z'), end: new Date('2026-06-01T12:00:00Z'), capacityDelta: 2 }])).toEqual({ capacity: 5, blocked: false })
    expect(applyOverrides(w, [{ kind: 'CLOSE_DAY', start: new Date('2026-05-31T23:00:00Z'), end: new Date('2026-06-01T23:00:00Z'), capacityDelta: 0 }]).blocked).toBe(true)
  })

  it('are applied while generating', () => {
    const slots = generateSlots([daytime], [{ kind: 'ADD_CAPACITY', start: new Date('2026-06-01T07:00:00Z'), end: new Date('2026-06-01T08:00:00Z'), capacityDelta: 1 }], { fromDate: '2026-06-01', days: 1 })
    expect(slots.slice(0, 3).map((s) => s.capacity)).toEqual([4, 4, 3]) // 08:00 and 08:30 BST get one more place
  })
})

describe('planSlotChanges', () => {
  const tmpl = { ...daytime, scheduleId: 'sched-1' }
  const desired = generateSlots([tmpl], [], { fromDate: '2026-06-01', days: 1 })
  const stored = (s: { start: Date; end: Date }, extra: Partial<{ booked: number; hasBookings: boolean; capacity: number; scheduleId: string | null; blocked: boolean }> = {}) => ({
    id: `id-${s.start.toISOString()}`,
    start: s.start,
    end: s.end,
    capacity: 3,
    booked: 0,
    blocked: false,
    scheduleId: 'sched-1',
    hasBookings: false,
    ...extra,
  })

  it('is idempotent: nothing to do when the stored windows match', () => {
    expect(planSlotChanges(desired, desired.map((d) => stored(d)), [])).toEqual({ create: [], update: [], remove: [], retire: [] })
  })

  it('creates missing windows, updates capacity, removes unused windows, keeps and blocks booked ones', () => {
    const narrowed = generateSlots([{ ...tmpl, startMinute: 9 * 60, capacity: 4 }], [], { fromDate: '2026-06-01', days: 1 })
    const existing = [stored(desired[0]!), stored(desired[1]!, { booked: 1, hasBookings: true }), stored(desired[2]!)]
    const plan = planSlotChanges(narrowed, existing, [])
    expect(plan.remove).toEqual([existing[0]!.id])
    expect(plan.retire).toEqual([existing[1]!.id])
    expect(plan.update).toEqual([{ id: existing[2]!.id, capacity: 4, blocked: false, scheduleId: 'sched-1' }])
    expect(plan.create).toHaveLength(narrowed.length - 1)
  })
})
