import { z } from 'zod'
import { apiRoute } from '@/lib/http/with-route'
import { moveBooking } from '@/lib/slots/move-booking'
import { deskActor } from '@/lib/slots/slot-actor'

export const dynamic = 'force-dynamic'

const ZMove = z.object({ slotId: z.string().min(1, 'Choose a new window'), overbookReason: z.string().trim().max(500).optional() })

export const POST = apiRoute({
  permission: 'slots:manage',
  body: ZMove,
  handler: async ({ body, params, user, ip }) =>
    moveBooking({ bookingId: params.id ?? '', toSlotId: body.slotId, overbookReason: body.overbookReason || undefined, actor: deskActor(user, ip) }),
})
