import { z } from 'zod'
import { readBody, staffRoute } from '../../../_lib/staff-route'
import { cancelBooking } from '@/lib/slots/cancel-booking'

export const dynamic = 'force-dynamic'

const ZCancel = z.object({ reason: z.string().trim().min(1, 'Enter a reason for cancelling').max(500) })

export const POST = staffRoute<{ id: string }>('slots:manage', async ({ req, params, actor }) => cancelBooking({ bookingId: params.id, reason: (await readBody(req, ZCancel)).reason, actor }))
