import { ZServiceInput } from '@/lib/admin/admin-schemas'
import { updateService } from '@/lib/admin/manage-services'
import { apiRoute } from '@/lib/http/with-route'

export const dynamic = 'force-dynamic'

export const PUT = apiRoute({
  permission: 'admin:configure',
  body: ZServiceInput,
  handler: async ({ body, params, user, ip, requestId }) => ({ service: await updateService(params.id!, body, { userId: user.id, ip, requestId }) }),
})
