import type { Flag } from '@medplum/fhirtypes'
import { SYSTEMS } from './identifiers'

/** A safeguarding flag: category SG of the BaRS flag categories. */
export function isSafeguarding(flag: Flag): boolean {
  return (flag.category ?? []).some((c) => (c.coding ?? []).some((x) => x.system === SYSTEMS.flagCategories && x.code === 'SG'))
}

/** Flag.period.end, when it is a date we can read. */
export function flagEnd(flag: Flag): string | undefined {
  const end = flag.period?.end
  return end && !Number.isNaN(Date.parse(end)) ? end : undefined
}

/** The flag's period ended before `at`: it is expired (a flag with no readable end has not ended). */
export function flagEnded(flag: Flag, at: Date): boolean {
  const end = flagEnd(flag)
  return end !== undefined && Date.parse(end) < at.getTime()
}
