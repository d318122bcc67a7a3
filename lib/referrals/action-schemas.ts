import { z } from 'zod'

/** Bodies of the clinician action routes (shared by the routes and the browser). */
/**
 * (triage, issue 11) The longest reject text we accept: it is sent in the response's status reason,
 * which the sender's screen shows in a line or two, so the form and the API share this limit.
 */
export const REJECT_TEXT_MAX = 500

export const ZVersioned = z.object({ version: z.number().int().positive() })
export const ZReject = ZVersioned.extend({ reasonCode: z.enum(['RRNA', 'FC', 'OTH']), reasonText: z.string().max(REJECT_TEXT_MAX).default('') })
export const ZRebook = ZVersioned.extend({ slotId: z.uuid() })
