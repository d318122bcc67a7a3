/** Plain JSON shapes the desk screens receive (shared by app/api/slots and components/slots). */
export type TWindowState = 'free' | 'full' | 'overbooked' | 'blocked' | 'ended'

export interface TBoardWindow {
  id: string
  start: string
  end: string
  /** "10:00 to 10:30", London time. */
  label: string
  startLabel: string
  capacity: number
  /** Places taken, overbookings included. */
  booked: number
  overbooked: number
  arrived: number
  noshow: number
  remaining: number
  state: TWindowState
}

export interface TBoardDay {
  date: string
  /** "Monday 2 March 2026". */
  label: string
  windows: TBoardWindow[]
}

export interface TSlotBoard {
  service: { id: string; name: string }
  view: 'day' | 'week'
  date: string
  today: string
  previous: string
  next: string
  days: TBoardDay[]
}

export interface TDeskBooking {
  id: string
  status: string
  statusLabel: string
  patientName: string
  nhsNumber: string | null
  birthDate: string | null
  overbooked: boolean
  overbookReason: string | null
  cancelReason: string | null
  /** desk: reception; api: the sender through BaRS; clinician: a clinician's "book another window". */
  source: 'desk' | 'api' | 'clinician'
  referral: { id: string; caseReference: string } | null
}

export interface TSlotWindowView {
  window: TBoardWindow & { date: string; dateLabel: string; serviceId: string; serviceName: string }
  blockReasons: string[]
  bookings: TDeskBooking[]
  canOverbook: boolean
}

export interface TBookingView {
  booking: TDeskBooking & { slotId: string | null; serviceId: string; windowLabel: string; date: string; dateLabel: string }
  canOverbook: boolean
}

export interface TTemplateView {
  id: string
  weekdays: number[]
  daysLabel: string
  start: string
  end: string
  windowMinutes: number
  capacity: number
  validFrom: string
  validTo: string | null
}

export interface TOverrideView {
  id: string
  kind: 'BLOCK' | 'ADD_CAPACITY' | 'CLOSE_DAY'
  kindLabel: string
  periodLabel: string
  capacityDelta: number
  reason: string
}
