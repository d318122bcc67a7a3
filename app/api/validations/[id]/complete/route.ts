import { ZFullResponse } from '@/lib/bars/validation-responses'
import { apiRoute } from '@/lib/http/with-route'
import { completeValidation } from '@/lib/validations/complete-validation'

export const dynamic = 'force-dynamic'

// POST /api/validations/{id}/complete — the full validation response from the clinician's form.
export const POST = apiRoute({
  permission: 'referrals:act',
  body: ZFullResponse,
  handler: async ({ params, body, user, ip, audit }) => {
    audit({ entityType: 'ValidationCase', entityId: params.id })
    return completeValidation({ validationId: params.id ?? '', form: body, actor: { userId: user.id, ip } })
  },
})
