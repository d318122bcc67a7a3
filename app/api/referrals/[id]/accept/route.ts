import { staffActor } from '@/lib/audit/actor'
import { apiRoute } from '@/lib/http/with-route'
import { acceptReferral } from '@/lib/referrals/accept-referral'
import { ZVersioned } from '@/lib/referrals/action-schemas'

export const dynamic = 'force-dynamic'

export const POST = apiRoute({
  permission: 'referrals:act',
  body: ZVersioned,
  handler: async ({ body, params, user, ip, audit }) => {
    audit({ entityType: 'Referral', entityId: params.id })
    return acceptReferral({ referralId: params.id ?? '', version: body.version, actor: staffActor(user, ip) })
  },
})
