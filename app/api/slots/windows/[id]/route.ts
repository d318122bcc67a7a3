import { staffRoute } from '../../_lib/staff-route'
import { viewSlotWindow } from '@/lib/slots/view-slot-window'

export const dynamic = 'force-dynamic'

export const GET = staffRoute<{ id: string }>('slots:read', async ({ params, user }) => viewSlotWindow({ slotId: params.id, roles: user.roles }))
