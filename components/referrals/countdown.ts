/** Time left to a deadline, in words, and its urgency against the service's thresholds (pure). */
export type TUrgency = 'red' | 'amber' | 'normal' | 'none'

export function timeLeft(deadline: string | null, now: number, amberMinutes: number, redMinutes: number): { text: string; urgency: TUrgency; minutes?: number } {
  if (!deadline) return { text: 'No deadline given', urgency: 'none' }
  const minutes = Math.floor((Date.parse(deadline) - now) / 60_000)
  const words = (m: number) => (m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m} min`)
  if (minutes < 0) return { text: `Overdue by ${words(-minutes)}`, urgency: 'red', minutes }
  const urgency: TUrgency = minutes <= redMinutes ? 'red' : minutes <= amberMinutes ? 'amber' : 'normal'
  return { text: `${words(minutes)} left`, urgency, minutes }
}

export const URGENCY_TAG: Record<TUrgency, string> = {
  red: 'nhsuk-tag nhsuk-tag--red',
  amber: 'nhsuk-tag nhsuk-tag--orange',
  normal: 'nhsuk-tag nhsuk-tag--white',
  none: 'nhsuk-tag nhsuk-tag--grey',
}

export const URGENCY_WORDS: Record<TUrgency, string> = { red: 'Urgent: ', amber: 'Soon: ', normal: '', none: '' }
