import { z } from 'zod'
import { apiRoute } from '@/lib/http/with-route'
import { cancelBooking } from '@/lib/slots/cancel-booking'
import { deskActor } from '@/lib/slots/slot-actor'

export const dynamic = 'force-dynamic'

const ZCancel = z.object({ reason: z.string().trim().min(1, 'Enter a reason for cancelling').max(500) })

export const POST = apiRoute({
  permission: 'slots:manage',
  body: ZCancel,
  handler: async ({ body, params, user, ip }) => cancelBooking({ bookingId: params.id ?? '', reason: body.reason, actor: deskActor(user, ip) }),
})
