import { resetSenderBearerToken } from '@/lib/admin/manage-senders'
import { apiRoute } from '@/lib/http/with-route'

export const dynamic = 'force-dynamic'

// A new bearer token for a direct integration, returned once (only its hash is kept).
export const POST = apiRoute({
  permission: 'admin:configure',
  handler: async ({ params, user, ip, requestId }) => resetSenderBearerToken(params.id!, { userId: user.id, ip, requestId }),
})
