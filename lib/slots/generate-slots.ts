/**
 * Arrival windows from schedule templates — pure (no database, no clock).
 *
 * A template says "on these ISO weekdays, from startMinute to endMinute on the London wall clock,
 * windows of windowMinutes with this capacity". Windows are laid out in REAL time from the first
 * window's start instant to the end instant, so every window lasts exactly windowMinutes even on
 * the days the clocks change:
 *   - last Sunday of March (01:00 GMT → 02:00 BST): the hour that does not exist yields no windows
 *     (a 00:00–04:00 template gives 6 half-hour windows, not 8);
 *   - last Sunday of October (02:00 BST → 01:00 GMT): the repeated hour yields its windows twice,
 *     once in BST and once in GMT (a 00:00–04:00 template gives 10 half-hour windows).
 * Daytime templates (e.g. 08:00–22:00) are unaffected: they start at 08:00 London all year round.
 * Windows of a length that does not divide 60 keep their real-time spacing across a change.
 *
 * Overrides then shape the windows: BLOCK and CLOSE_DAY make overlapping windows busy-unavailable;
 * ADD_CAPACITY adds places to every window overlapping its period.
 */
import { londonWallClockToUtc } from '@/lib/time/london'

export interface TTemplateSpec {
  id?: string
  scheduleId?: string
  /** ISO weekdays 1 (Monday) … 7 (Sunday). */
  weekdays: number[]
  startMinute: number
  /** May be 1440 (midnight at the end of the day). */
  endMinute: number
  windowMinutes: number
  capacity: number
  /** First London date the template applies to (YYYY-MM-DD). */
  validFrom: string
  /** Last London date it applies to (inclusive), or open-ended. */
  validTo?: string | null
}

export interface TOverrideSpec {
  kind: 'BLOCK' | 'ADD_CAPACITY' | 'CLOSE_DAY'
  start: Date
  end: Date
  capacityDelta: number
}

export interface TGeneratedSlot {
  start: Date
  end: Date
  capacity: number
  blocked: boolean
  scheduleId?: string
  templateId?: string
}

const MINUTE = 60_000

/** Add days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** ISO weekday (1 Monday … 7 Sunday) of a YYYY-MM-DD date. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay()
  return day === 0 ? 7 : day
}

/** The windows one template gives on one London date (empty when it does not apply that day). */
export function windowsForDay(t: TTemplateSpec, date: string): { start: Date; end: Date }[] {
  if (date < t.validFrom || (t.validTo && date > t.validTo)) return []
  if (!t.weekdays.includes(isoWeekday(date))) return []
  if (t.windowMinutes <= 0 || t.endMinute <= t.startMinute) return []
  const first = londonWallClockToUtc(date, t.startMinute).getTime()
  const last = londonWallClockToUtc(date, t.endMinute).getTime()
  const out: { start: Date; end: Date }[] = []
  for (let s = first; s + t.windowMinutes * MINUTE <= last; s += t.windowMinutes * MINUTE) {
    out.push({ start: new Date(s), end: new Date(s + t.windowMinutes * MINUTE) })
  }
  return out
}

const overlaps = (a: { start: Date; end: Date }, b: { start: Date; end: Date }) => a.start < b.end && b.start < a.end

/** Capacity and availability of a window after the overrides that overlap it. */
export function applyOverrides(base: { start: Date; end: Date; capacity: number }, overrides: readonly TOverrideSpec[]): { capacity: number; blocked: boolean } {
  let capacity = base.capacity
  let blocked = false
  for (const o of overrides) {
    if (!overlaps(base, o)) continue
    if (o.kind === 'ADD_CAPACITY') capacity += o.capacityDelta
    else blocked = true
  }
  return { capacity: Math.max(0, capacity), blocked }
}

/**
 * Every window of the templates for `days` London dates from `fromDate`, overrides applied, sorted
 * by start. When two templates give the same window, the later template in the list wins.
 */
export function generateSlots(templates: readonly TTemplateSpec[], overrides: readonly TOverrideSpec[], range: { fromDate: string; days: number }): TGeneratedSlot[] {
  const byKey = new Map<string, TGeneratedSlot>()
  for (let d = 0; d < range.days; d++) {
    const date = addDays(range.fromDate, d)
    for (const t of templates) {
      for (const w of windowsForDay(t, date)) {
        const shaped = applyOverrides({ ...w, capacity: t.capacity }, overrides)
        byKey.set(slotKey(w), { ...w, ...shaped, scheduleId: t.scheduleId, templateId: t.id })
      }
    }
  }
  return [...byKey.values()].sort((a, b) => a.start.getTime() - b.start.getTime() || a.end.getTime() - b.end.getTime())
}

/** The natural key of a window within a service (unique in the database). */
export function slotKey(w: { start: Date; end: Date }): string {
  return `${w.start.toISOString()}|${w.end.toISOString()}`
}

export interface TExistingSlot {
  id: string
  start: Date
  end: Date
  capacity: number
  booked: number
  blocked: boolean
  scheduleId: string | null
  hasBookings: boolean
}

export interface TSlotPlan {
  create: TGeneratedSlot[]
  /** New capacity / availability for windows that stay. */
  update: { id: string; capacity: number; blocked: boolean; scheduleId: string | null }[]
  /** Windows no template gives any more and nobody is booked into: removed. */
  remove: string[]
  /** Windows no template gives any more but with bookings: kept, made busy-unavailable. */
  retire: string[]
}

/**
 * Reconcile the windows the templates give with the windows stored (all in the future). Nothing
 * with a booking is ever deleted: a window that has bookings but is no longer in any template is
 * kept and blocked, so its patients still show on the board and nobody else can book into it.
 * Windows not made from a template (scheduleId null) only follow the blocking overrides.
 */
export function planSlotChanges(desired: readonly TGeneratedSlot[], existing: readonly TExistingSlot[], overrides: readonly TOverrideSpec[]): TSlotPlan {
  const want = new Map(desired.map((s) => [slotKey(s), s]))
  const plan: TSlotPlan = { create: [], update: [], remove: [], retire: [] }
  const seen = new Set<string>()
  for (const e of existing) {
    const key = slotKey(e)
    seen.add(key)
    const d = want.get(key)
    if (d) {
      const scheduleId = d.scheduleId ?? e.scheduleId
      if (d.capacity !== e.capacity || d.blocked !== e.blocked || scheduleId !== e.scheduleId) {
        plan.update.push({ id: e.id, capacity: d.capacity, blocked: d.blocked, scheduleId })
      }
    } else if (e.scheduleId === null) {
      const { blocked } = applyOverrides(e, overrides)
      if (blocked !== e.blocked) plan.update.push({ id: e.id, capacity: e.capacity, blocked, scheduleId: null })
    } else if (e.hasBookings || e.booked > 0) {
      if (!e.blocked) plan.retire.push(e.id)
    } else {
      plan.remove.push(e.id)
    }
  }
  for (const [key, d] of want) if (!seen.has(key)) plan.create.push(d)
  return plan
}
