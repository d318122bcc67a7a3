import { apiRoute } from '@/lib/http/with-route'
import { findNextReferral } from '@/lib/referrals/find-next-referral'

export const dynamic = 'force-dynamic'

// GET /api/referrals/next?after=<id> — "review next": the next referral waiting for a decision.
export const GET = apiRoute({
  permission: 'referrals:read',
  handler: async ({ url }) => ({ id: await findNextReferral(url.searchParams.get('after') ?? undefined) }),
})
