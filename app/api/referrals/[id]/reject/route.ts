import { staffRoute } from '@/lib/http/with-staff-route'
import { ZReject } from '@/lib/referrals/action-schemas'
import { rejectReferral } from '@/lib/referrals/reject-referral'

export const dynamic = 'force-dynamic'

export const POST = staffRoute('referrals:act', async ({ req, params, user, ip }) => {
  const body = ZReject.parse(await req.json())
  return rejectReferral({ referralId: params.id ?? '', ...body, actor: { userId: user.id, ip } })
})
