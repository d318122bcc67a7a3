import { apiRoute } from '@/lib/http/with-route'
import { listRebookWindows } from '@/lib/referrals/list-rebook-windows'

export const dynamic = 'force-dynamic'

// GET /api/referrals/:id/windows — arrival windows with a free place.
export const GET = apiRoute({ permission: 'referrals:act', handler: async ({ params }) => ({ windows: await listRebookWindows(params.id ?? '') }) })
