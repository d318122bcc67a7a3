import { staffActor } from '@/lib/audit/actor'
import { apiRoute } from '@/lib/http/with-route'
import { ZRebook } from '@/lib/referrals/action-schemas'
import { rebookReferral } from '@/lib/referrals/rebook-referral'

export const dynamic = 'force-dynamic'

export const POST = apiRoute({
  permission: 'referrals:act',
  body: ZRebook,
  handler: async ({ body, params, user, ip, audit }) => {
    audit({ entityType: 'Referral', entityId: params.id })
    return rebookReferral({ referralId: params.id ?? '', ...body, actor: staffActor(user, ip) })
  },
})
