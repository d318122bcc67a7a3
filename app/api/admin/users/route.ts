import { ZUserCreate } from '@/lib/admin/admin-schemas'
import { createUser } from '@/lib/admin/manage-users'
import { apiRoute } from '@/lib/http/with-route'

export const dynamic = 'force-dynamic'

export const POST = apiRoute({
  permission: 'admin:users',
  body: ZUserCreate,
  handler: async ({ body, user, ip, requestId }) => ({ user: await createUser(body, { userId: user.id, ip, requestId }) }),
})
