import { z } from 'zod'
import { apiRoute } from '@/lib/http/with-route'
import { recordAttendance } from '@/lib/slots/record-attendance'
import { deskActor } from '@/lib/slots/slot-actor'

export const dynamic = 'force-dynamic'

const ZAttendance = z.object({ outcome: z.enum(['arrived', 'noshow']) })

export const POST = apiRoute({
  permission: 'slots:manage',
  body: ZAttendance,
  handler: async ({ body, params, user, ip }) => recordAttendance({ bookingId: params.id ?? '', outcome: body.outcome, actor: deskActor(user, ip) }),
})
