import { staffRoute } from '@/lib/http/with-staff-route'
import { getReferralActivity } from '@/lib/referrals/get-referral-activity'

export const dynamic = 'force-dynamic'

// GET /api/referrals/:id — state, allowed actions, responses and who viewed/acted (not audited as a view).
export const GET = staffRoute('referrals:read', async ({ params }) => getReferralActivity(params.id ?? ''))
