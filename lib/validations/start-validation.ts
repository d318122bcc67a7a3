import { buildInterimAccept } from '@/lib/bars/validation-responses'
import { actOnValidation, type TValidationActor } from './act-on-validation'
import { validationRepository } from './validation-repository'

/**
 * Start the consultation (A4.20): claim the case — `UPDATE … WHERE claimedById IS NULL`, so of
 * several clinicians exactly one wins — and send the interim accept (our Encounter in-progress).
 * Never triggered by a mere contact attempt: only this explicit action sends it.
 */
export async function startValidation(input: { validationId: string; actor: TValidationActor; now?: Date }) {
  return actOnValidation('start', input, async ({ tx, record, response, now }) => {
    const claimed = await validationRepository.claim(tx, record.id, input.actor.userId, now)
    return { changed: !!claimed, kind: 'validation-interim-accept', bundle: buildInterimAccept(response) }
  })
}
