import { staffRoute } from '@/lib/http/with-staff-route'
import { acceptReferral } from '@/lib/referrals/accept-referral'
import { ZVersioned } from '@/lib/referrals/action-schemas'

export const dynamic = 'force-dynamic'

export const POST = staffRoute('referrals:act', async ({ req, params, user, ip }) => {
  const { version } = ZVersioned.parse(await req.json())
  return acceptReferral({ referralId: params.id ?? '', version, actor: { userId: user.id, ip } })
})
