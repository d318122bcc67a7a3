import { staffRoute } from '@/lib/http/with-staff-route'
import { ZRebook } from '@/lib/referrals/action-schemas'
import { rebookReferral } from '@/lib/referrals/rebook-referral'

export const dynamic = 'force-dynamic'

export const POST = staffRoute('referrals:act', async ({ req, params, user, ip }) => {
  const body = ZRebook.parse(await req.json())
  return rebookReferral({ referralId: params.id ?? '', ...body, actor: { userId: user.id, ip } })
})
