import { staffActor } from '@/lib/audit/actor'
import { apiRoute } from '@/lib/http/with-route'
import { ZVersioned } from '@/lib/referrals/action-schemas'
import { markDidNotAttend } from '@/lib/referrals/mark-did-not-attend'

export const dynamic = 'force-dynamic'

export const POST = apiRoute({
  permission: 'referrals:act',
  body: ZVersioned,
  handler: async ({ body, params, user, ip, audit }) => {
    audit({ entityType: 'Referral', entityId: params.id })
    return markDidNotAttend({ referralId: params.id ?? '', version: body.version, actor: staffActor(user, ip) })
  },
})
