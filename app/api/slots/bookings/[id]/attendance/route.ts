import { z } from 'zod'
import { readBody, staffRoute } from '../../../_lib/staff-route'
import { recordAttendance } from '@/lib/slots/record-attendance'

export const dynamic = 'force-dynamic'

const ZAttendance = z.object({ outcome: z.enum(['arrived', 'noshow']) })

export const POST = staffRoute<{ id: string }>('slots:manage', async ({ req, params, actor }) => recordAttendance({ bookingId: params.id, outcome: (await readBody(req, ZAttendance)).outcome, actor }))
