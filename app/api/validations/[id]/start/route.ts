import { z } from 'zod'
import { apiRoute } from '@/lib/http/with-route'
import { startValidation } from '@/lib/validations/start-validation'

export const dynamic = 'force-dynamic'

// POST /api/validations/{id}/start — claim the case and send the interim accept.
export const POST = apiRoute({
  permission: 'referrals:act',
  body: z.object({}).strict(),
  handler: async ({ params, user, ip, audit }) => {
    audit({ entityType: 'ValidationCase', entityId: params.id })
    return startValidation({ validationId: params.id ?? '', actor: { userId: user.id, ip } })
  },
})
