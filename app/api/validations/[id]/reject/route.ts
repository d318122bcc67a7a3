import { apiRoute } from '@/lib/http/with-route'
import { rejectValidation, ZRejectValidation } from '@/lib/validations/reject-validation'

export const dynamic = 'force-dynamic'

// POST /api/validations/{id}/reject — the interim reject (RRNA / FC / OTH + text).
export const POST = apiRoute({
  permission: 'referrals:act',
  body: ZRejectValidation,
  handler: async ({ params, body, user, ip, audit }) => {
    audit({ entityType: 'ValidationCase', entityId: params.id })
    return rejectValidation({ validationId: params.id ?? '', ...body, actor: { userId: user.id, ip } })
  },
})
