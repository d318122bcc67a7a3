import { londonDate } from './london'

/** Age in whole years on the London calendar date of `now`, or undefined for a missing/invalid date. */
export function ageInYears(birthDate: string | null | undefined, now: Date): number | undefined {
  if (!birthDate || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return undefined
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number]
  const [ty, tm, td] = londonDate(now).split('-').map(Number) as [number, number, number]
  let age = ty - by
  if (tm < bm || (tm === bm && td < bd)) age--
  return age >= 0 ? age : undefined
}
