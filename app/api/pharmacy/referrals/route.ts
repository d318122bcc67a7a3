import { apiRoute } from '@/lib/http/with-route'
import { ZPharmacyListQuery } from '@/lib/pharmacy/action-schemas'
import { listPharmacyWorklist } from '@/lib/pharmacy/list-pharmacy-worklist'

export const dynamic = 'force-dynamic'

// GET /api/pharmacy/referrals — the pharmacist's worklist (tab, search, pharmacy).
export const GET = apiRoute({ permission: 'referrals:read', query: ZPharmacyListQuery, handler: async ({ query }) => listPharmacyWorklist(query) })
