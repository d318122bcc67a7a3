import { apiRoute } from '@/lib/http/with-route'
import { getReferralActivity } from '@/lib/referrals/get-referral-activity'

export const dynamic = 'force-dynamic'

// GET /api/referrals/:id — state, allowed actions, responses and who viewed/acted (not audited as a view).
export const GET = apiRoute({ permission: 'referrals:read', handler: async ({ params }) => getReferralActivity(params.id ?? '') })
