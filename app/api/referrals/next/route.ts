import { staffRoute } from '@/lib/http/with-staff-route'
import { findNextReferral } from '@/lib/referrals/find-next-referral'

export const dynamic = 'force-dynamic'

// GET /api/referrals/next?after=<id> — "review next": the next referral waiting for a decision.
export const GET = staffRoute('referrals:read', async ({ req }) => ({ id: await findNextReferral(new URL(req.url).searchParams.get('after') ?? undefined) }))
