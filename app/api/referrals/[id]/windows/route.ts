import { staffRoute } from '@/lib/http/with-staff-route'
import { listRebookWindows } from '@/lib/referrals/list-rebook-windows'

export const dynamic = 'force-dynamic'

// GET /api/referrals/:id/windows — arrival windows with a free place.
export const GET = staffRoute('referrals:act', async ({ params }) => ({ windows: await listRebookWindows(params.id ?? '') }))
