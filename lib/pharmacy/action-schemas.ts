import { z } from 'zod'
import { CONTACT_METHODS, CONTACT_RESULTS, PHARMACY_OUTCOMES } from '@/lib/bars/pharmacy-referral'

/** Bodies of the pharmacist's action routes (app/api/pharmacy/referrals/[id]/*). */
export const ZContactAttempt = z.object({
  method: z.enum(CONTACT_METHODS),
  result: z.enum(CONTACT_RESULTS),
  note: z.string().trim().max(1000).optional(),
})

export const ZPharmacyOutcome = z.object({
  version: z.number().int().positive(),
  outcome: z.enum(PHARMACY_OUTCOMES),
  note: z.string().trim().max(2000).optional(),
})

export const ZPharmacyClose = z.object({ version: z.number().int().positive() })

export const ZPharmacyListQuery = z.object({
  tab: z.enum(['open', 'closed', 'cancelled']).optional(),
  q: z.string().max(100).optional(),
  service: z.string().max(20).optional(),
})
