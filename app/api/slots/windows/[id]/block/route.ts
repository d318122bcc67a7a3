import { z } from 'zod'
import { readBody, staffRoute } from '../../../_lib/staff-route'
import { blockWindow, unblockWindow } from '@/lib/slots/change-capacity'

export const dynamic = 'force-dynamic'

const ZBlock = z.object({ reason: z.string().trim().min(1, 'Enter a reason for blocking this window').max(500) })

// POST blocks the window (with a reason); DELETE unblocks it.
export const POST = staffRoute<{ id: string }>('slots:manage', async ({ req, params, actor }) => blockWindow({ slotId: params.id, reason: (await readBody(req, ZBlock)).reason, actor }))
export const DELETE = staffRoute<{ id: string }>('slots:manage', async ({ params, actor }) => unblockWindow({ slotId: params.id, actor }))
