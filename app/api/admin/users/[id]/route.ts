import { ZUserUpdate } from '@/lib/admin/admin-schemas'
import { updateUser } from '@/lib/admin/manage-users'
import { apiRoute } from '@/lib/http/with-route'

export const dynamic = 'force-dynamic'

export const PUT = apiRoute({
  permission: 'admin:users',
  body: ZUserUpdate,
  handler: async ({ body, params, user, ip, requestId }) => ({ user: await updateUser(params.id!, body, { userId: user.id, ip, requestId }) }),
})
