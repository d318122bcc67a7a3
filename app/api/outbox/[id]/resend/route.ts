import { apiRoute } from '@/lib/http/with-route'
import { resendOutboxMessage } from '@/lib/outbox/resend-outbox-message'

export const dynamic = 'force-dynamic'

export const POST = apiRoute({
  permission: 'outbox:manage',
  handler: async ({ params, user, ip }) => resendOutboxMessage(params.id ?? '', { userId: user.id, ip }),
})
