import { ZSenderInput } from '@/lib/admin/admin-schemas'
import { createSender } from '@/lib/admin/manage-senders'
import { apiRoute } from '@/lib/http/with-route'

export const dynamic = 'force-dynamic'

export const POST = apiRoute({
  permission: 'admin:configure',
  body: ZSenderInput,
  handler: async ({ body, user, ip, requestId }) => ({ sender: await createSender(body, { userId: user.id, ip, requestId }) }),
})
