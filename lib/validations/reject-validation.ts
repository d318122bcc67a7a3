import { z } from 'zod'
import { buildInterimReject } from '@/lib/bars/validation-responses'
import { actOnValidation, type TValidationActor } from './act-on-validation'
import { validationRepository } from './validation-repository'

/** The reasons of CodeSystem rejected-reasons-bars 1.1.0 (A4.25) and the clinician's text (required here: the requester must act on it). */
export const ZRejectValidation = z
  .object({
    code: z.enum(['RRNA', 'FC', 'OTH'], { error: 'Choose why you cannot validate this call' }),
    text: z.string().trim().min(1, 'Enter what the 999 service needs to know').max(1000),
  })
  .strict()

/** Reject (A4.21, A4.25–A4.26): interim response with our Encounter cancelled; nothing is sent after it. */
export async function rejectValidation(input: { validationId: string; code: 'RRNA' | 'FC' | 'OTH'; text: string; actor: TValidationActor; now?: Date }) {
  return actOnValidation('reject', input, async ({ tx, record, response, now }) => {
    const changed = await validationRepository.reject(tx, { id: record.id, userId: input.actor.userId, code: input.code, text: input.text, now })
    return { changed, kind: 'validation-interim-reject', bundle: buildInterimReject(response, { code: input.code, text: input.text }), detail: { code: input.code } }
  })
}
