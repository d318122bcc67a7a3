import { can } from '@/lib/auth/permissions'
import { apiRoute } from '@/lib/http/with-route'
import { viewValidation } from '@/lib/validations/view-validation'

export const dynamic = 'force-dynamic'

// GET /api/validations/{id} — one validation case.
export const GET = apiRoute({
  permission: 'referrals:read',
  handler: async ({ params, user, audit }) => {
    audit({ entityType: 'ValidationCase', entityId: params.id })
    return viewValidation(params.id ?? '', { id: user.id, canAct: can(user.roles, 'referrals:act') })
  },
})
