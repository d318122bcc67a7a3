import { z } from 'zod'
import { apiRoute } from '@/lib/http/with-route'
import { blockWindow, unblockWindow } from '@/lib/slots/change-capacity'
import { deskActor } from '@/lib/slots/slot-actor'

export const dynamic = 'force-dynamic'

const ZBlock = z.object({ reason: z.string().trim().min(1, 'Enter a reason for blocking this window').max(500) })

// POST blocks the window (with a reason); DELETE unblocks it.
export const POST = apiRoute({
  permission: 'slots:manage',
  body: ZBlock,
  handler: async ({ body, params, user, ip }) => blockWindow({ slotId: params.id ?? '', reason: body.reason, actor: deskActor(user, ip) }),
})
export const DELETE = apiRoute({ permission: 'slots:manage', handler: async ({ params, user, ip }) => unblockWindow({ slotId: params.id ?? '', actor: deskActor(user, ip) }) })
