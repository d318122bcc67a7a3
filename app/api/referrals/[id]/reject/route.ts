import { staffActor } from '@/lib/audit/actor'
import { apiRoute } from '@/lib/http/with-route'
import { ZReject } from '@/lib/referrals/action-schemas'
import { rejectReferral } from '@/lib/referrals/reject-referral'

export const dynamic = 'force-dynamic'

export const POST = apiRoute({
  permission: 'referrals:act',
  body: ZReject,
  handler: async ({ body, params, user, ip, audit }) => {
    audit({ entityType: 'Referral', entityId: params.id })
    return rejectReferral({ referralId: params.id ?? '', ...body, actor: staffActor(user, ip) })
  },
})
