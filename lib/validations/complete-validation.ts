import { buildFullResponse, needsCadReference, type TFullResponse } from '@/lib/bars/validation-responses'
import { AppError } from '@/lib/errors/app-error'
import { actOnValidation, type TValidationActor } from './act-on-validation'
import { validationRepository } from './validation-repository'

/**
 * The full validation response (A4.30–A4.41) from the clinician's form: reason `update` after an
 * interim, `new` without one (A4.31); a C1/C2 upgrade needs the CAD reference the ambulance service
 * returned over ITK (A4.37–A4.38), sent as the third Encounter. After it, nothing more is accepted (409).
 */
export async function completeValidation(input: { validationId: string; form: TFullResponse; actor: TValidationActor; now?: Date }) {
  return actOnValidation('complete', input, async ({ tx, record, response, now }) => {
    const original = record.originalArpCode ?? record.arpCode ?? undefined
    if (needsCadReference(original, input.form.arpCode) && !input.form.cadReference) {
      throw new AppError('invalid', 'Enter the CAD reference the ambulance service gave you for the upgraded call.', { expression: 'cadReference' })
    }
    const interimSent = record.interimSentAt !== null
    const changed = await validationRepository.complete(tx, { id: record.id, userId: input.actor.userId, arpCode: input.form.arpCode, now })
    const bundle = buildFullResponse(response, { form: input.form, interimSent, originalArp: original })
    return { changed, kind: 'validation-full', bundle, detail: { outcome: input.form.outcome, arpCode: input.form.arpCode, interimSent, cad: !!input.form.cadReference } }
  })
}
