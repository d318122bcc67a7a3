import { REJECTED_REASONS, type TRejectedReason } from '@/lib/bars/referral-state'
import { buildRejectResponse } from '@/lib/bars/responses'
import { AppError } from '@/lib/errors/app-error'
import { performReferralAction, type TActionInput, type TActionResult } from './perform-referral-action'

/** Reject with a rejected-reasons-bars code and the clinician's words; the sender gets the interim rejection. */
export async function rejectReferral(input: TActionInput & { reasonCode: TRejectedReason; reasonText: string }): Promise<TActionResult> {
  const text = input.reasonText.trim()
  if (input.reasonCode === 'OTH' && !text) throw new AppError('invalid', 'Say why the referral is rejected when the reason is Other.')
  return performReferralAction('reject', input, async ({ response }) => ({
    kind: 'reject',
    bundle: buildRejectResponse(response, { code: input.reasonCode, text }),
    decision: { code: input.reasonCode, text: text || null },
    detail: { reasonCode: input.reasonCode, reason: REJECTED_REASONS[input.reasonCode] },
  }))
}
