import { buildAcceptResponse } from '@/lib/bars/responses'
import { performReferralAction, type TActionInput, type TActionResult } from './perform-referral-action'

/** Accept: the referral is ours; the sender gets the interim "in progress" response. */
export async function acceptReferral(input: TActionInput): Promise<TActionResult> {
  return performReferralAction('accept', input, async ({ response }) => ({
    kind: 'accept',
    bundle: buildAcceptResponse(response),
    decision: { code: null, text: null },
  }))
}
