import { apiRoute } from '@/lib/http/with-route'
import { ZContactAttempt } from '@/lib/pharmacy/action-schemas'
import { recordContactAttempt } from '@/lib/pharmacy/record-contact-attempt'

export const dynamic = 'force-dynamic'

export const POST = apiRoute({
  permission: 'referrals:act',
  body: ZContactAttempt,
  handler: async ({ body, params, user, ip, audit }) => {
    audit({ entityType: 'Referral', entityId: params.id })
    return recordContactAttempt({ referralId: params.id ?? '', ...body, actor: { userId: user.id, ip } })
  },
})
