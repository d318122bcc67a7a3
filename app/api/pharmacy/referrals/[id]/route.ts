import { apiRoute } from '@/lib/http/with-route'
import { viewPharmacyReferral } from '@/lib/pharmacy/view-pharmacy-referral'

export const dynamic = 'force-dynamic'

// GET /api/pharmacy/referrals/:id — one pharmacy referral, its contact attempts and outcome.
export const GET = apiRoute({
  permission: 'referrals:read',
  handler: async ({ params, audit }) => {
    audit({ entityType: 'Referral', entityId: params.id })
    return viewPharmacyReferral(params.id ?? '')
  },
})
