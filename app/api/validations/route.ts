import { apiRoute } from '@/lib/http/with-route'
import { listValidations } from '@/lib/validations/list-validations'

export const dynamic = 'force-dynamic'

// GET /api/validations — the CAS validation queue (App 4), by breach time.
export const GET = apiRoute({ permission: 'referrals:read', handler: async ({ user }) => listValidations(user) })
