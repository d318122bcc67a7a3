import { ZServiceInput } from '@/lib/admin/admin-schemas'
import { createService } from '@/lib/admin/manage-services'
import { apiRoute } from '@/lib/http/with-route'

export const dynamic = 'force-dynamic'

export const POST = apiRoute({
  permission: 'admin:configure',
  body: ZServiceInput,
  handler: async ({ body, user, ip, requestId }) => ({ service: await createService(body, { userId: user.id, ip, requestId }) }),
})
