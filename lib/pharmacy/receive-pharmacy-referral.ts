import type { Bundle } from '@medplum/fhirtypes'
import { readPharmacyReferral } from '@/lib/bars/pharmacy-referral'
import { AppError } from '@/lib/errors/app-error'
import type { TWorkflowContext } from '@/lib/messages/process-message'
import { focusFullUrl } from '@/lib/messages/reply-ids'
import { receiveReferral } from '@/lib/referrals/receive-referral'
import { pharmacyRepository } from './pharmacy-repository'

/**
 * A new App 5 referral at a community pharmacy (servicerequest-request / new / ServiceRequest active /
 * referral + a5t1). The referral module stores it as every referral (first version, audit, live event,
 * our ids and planned Encounter in the reply, A5.13); in the same transaction we keep what the
 * pharmacist must be shown (A5.6–A5.12) and the 24-hour guide time the worklist is ordered by (A5.9).
 */
export async function receivePharmacyReferral(ctx: TWorkflowContext): Promise<Bundle> {
  const detail = readPharmacyReferral(ctx.msg.bundle, ctx.msg.focus, ctx.msg.header.sender?.reference, ctx.now)
  const reply = await receiveReferral(ctx)
  const srUrl = focusFullUrl(ctx.msg.bundle, ctx.msg.focus)
  const referralId = reply.entry?.find((e) => e.fullUrl === srUrl && e.resource?.resourceType === 'ServiceRequest')?.resource?.id
  // receiveReferral always gives the focus our referral id; without it there is nothing to attach to.
  if (!referralId) throw new AppError('server-error', 'The stored referral has no id in the reply.')
  await pharmacyRepository.create(ctx.tx, { referralId, serviceId: ctx.service.id, detail })
  return reply
}
