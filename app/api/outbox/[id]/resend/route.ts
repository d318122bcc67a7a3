import { staffRoute } from '@/lib/http/with-staff-route'
import { resendOutboxMessage } from '@/lib/outbox/resend-outbox-message'

export const dynamic = 'force-dynamic'

export const POST = staffRoute('outbox:manage', async ({ params, user, ip }) => resendOutboxMessage(params.id ?? '', { userId: user.id, ip }))
