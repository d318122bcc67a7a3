import { staffRoute } from '@/lib/http/with-staff-route'
import { ZVersioned } from '@/lib/referrals/action-schemas'
import { markDidNotAttend } from '@/lib/referrals/mark-did-not-attend'

export const dynamic = 'force-dynamic'

export const POST = staffRoute('referrals:act', async ({ req, params, user, ip }) => {
  const { version } = ZVersioned.parse(await req.json())
  return markDidNotAttend({ referralId: params.id ?? '', version, actor: { userId: user.id, ip } })
})
