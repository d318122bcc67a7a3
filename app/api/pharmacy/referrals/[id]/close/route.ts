import { apiRoute } from '@/lib/http/with-route'
import { ZPharmacyClose } from '@/lib/pharmacy/action-schemas'
import { closePharmacyReferral } from '@/lib/pharmacy/close-pharmacy-referral'

export const dynamic = 'force-dynamic'

export const POST = apiRoute({
  permission: 'referrals:act',
  body: ZPharmacyClose,
  handler: async ({ body, params, user, ip, audit }) => {
    audit({ entityType: 'Referral', entityId: params.id })
    return closePharmacyReferral({ referralId: params.id ?? '', version: body.version, actor: { userId: user.id, ip } })
  },
})
