import { z } from 'zod'
import { AppError } from '@/lib/errors/app-error'

/** A record id in a staff URL: every table we address by id has UUID keys. */
export const ZUuidParam = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)

/** Is this a well-formed record id (for pages, which answer 404 otherwise)? */
export function isRecordId(value: unknown): value is string {
  return ZUuidParam.safeParse(value).success
}

/**
 * The one check of the dynamic segments of a staff route (`[id]`): each must be a UUID, else
 * `400 value` naming the segment — before any query, so `not-a-uuid` never reaches PostgreSQL
 * (which would refuse it as a uuid and give a 500). Returns the params with ids lower-cased.
 */
export function parseRouteParams(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...params }
  for (const [name, value] of Object.entries(params)) {
    if (name !== 'id' && !name.endsWith('Id')) continue
    if (!isRecordId(value)) throw new AppError('value', `The ${name} in the path is not a valid record id.`, { expression: name })
    out[name] = value.toLowerCase()
  }
  return out
}
