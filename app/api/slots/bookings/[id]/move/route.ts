import { z } from 'zod'
import { readBody, staffRoute } from '../../../_lib/staff-route'
import { moveBooking } from '@/lib/slots/move-booking'

export const dynamic = 'force-dynamic'

const ZMove = z.object({ slotId: z.string().min(1, 'Choose a new window'), overbookReason: z.string().trim().max(500).optional() })

export const POST = staffRoute<{ id: string }>('slots:manage', async ({ req, params, actor }) => {
  const b = await readBody(req, ZMove)
  return moveBooking({ bookingId: params.id, toSlotId: b.slotId, overbookReason: b.overbookReason || undefined, actor })
})
