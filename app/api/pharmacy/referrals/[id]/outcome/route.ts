import { apiRoute } from '@/lib/http/with-route'
import { ZPharmacyOutcome } from '@/lib/pharmacy/action-schemas'
import { recordPharmacyOutcome } from '@/lib/pharmacy/record-pharmacy-outcome'

export const dynamic = 'force-dynamic'

export const POST = apiRoute({
  permission: 'referrals:act',
  body: ZPharmacyOutcome,
  handler: async ({ body, params, user, ip, audit }) => {
    audit({ entityType: 'Referral', entityId: params.id })
    return recordPharmacyOutcome({ referralId: params.id ?? '', ...body, actor: { userId: user.id, ip } })
  },
})
