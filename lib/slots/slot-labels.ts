/** Labels for the desk screens: London times, day names, status words. Pure. */
import { dateTimeFormat, formatLondon } from '@/lib/time/london'
import type { TWindowState } from './slot-views'

export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const

export const londonTime = (d: Date) => formatLondon(d, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })

export function dayLabel(date: string): string {
  return dateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${date}T12:00:00Z`))
}

export function minutesLabel(m: number): string {
  const h = Math.floor(m / 60)
  return `${String(h).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
}

export function weekdaysLabel(days: readonly number[]): string {
  const sorted = [...days].sort()
  if (sorted.length === 7) return 'Every day'
  if (sorted.join() === '1,2,3,4,5') return 'Monday to Friday'
  if (sorted.join() === '6,7') return 'Saturday and Sunday'
  return sorted.map((d) => WEEKDAY_NAMES[d - 1]).join(', ')
}

export function windowState(s: { blocked: boolean; end: Date; booked: number; capacity: number; overbooked: number }, now: Date): TWindowState {
  if (s.blocked) return 'blocked'
  if (s.end <= now) return 'ended'
  if (s.overbooked > 0) return 'overbooked'
  return s.booked >= s.capacity ? 'full' : 'free'
}

export const STATE_LABELS: Record<TWindowState, string> = { free: 'Free', full: 'Full', overbooked: 'Overbooked', blocked: 'Blocked', ended: 'Ended' }

export const BOOKING_STATUS_LABELS: Record<string, string> = {
  booked: 'Booked',
  arrived: 'Arrived',
  noshow: 'Did not attend',
  cancelled: 'Cancelled',
  'entered-in-error': 'Entered in error',
  fulfilled: 'Seen',
}
