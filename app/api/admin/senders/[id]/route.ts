import { ZSenderInput } from '@/lib/admin/admin-schemas'
import { updateSender } from '@/lib/admin/manage-senders'
import { apiRoute } from '@/lib/http/with-route'

export const dynamic = 'force-dynamic'

export const PUT = apiRoute({
  permission: 'admin:configure',
  body: ZSenderInput,
  handler: async ({ body, params, user, ip, requestId }) => ({ sender: await updateSender(params.id!, body, { userId: user.id, ip, requestId }) }),
})
