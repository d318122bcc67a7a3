import { z } from 'zod'

/** Bodies of the clinician action routes (shared by the routes and the browser). */
export const ZVersioned = z.object({ version: z.number().int().positive() })
export const ZReject = ZVersioned.extend({ reasonCode: z.enum(['RRNA', 'FC', 'OTH']), reasonText: z.string().max(1000).default('') })
export const ZRebook = ZVersioned.extend({ slotId: z.uuid() })
